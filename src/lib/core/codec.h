/* SPDX-License-Identifier: MIT */
/*
 * codec.h - what every content format knows of the codecs its ratios are
 * calibrated for (codec.c).  Internal header, not installed.
 */
#ifndef DGEN_CODEC_H
#define DGEN_CODEC_H

#include <stdint.h>

#include "dgen.h"

/* zlib Huffman-codes literals: 6-bit literals keep its cost per piece the
 * same at every unit size, but cannot go below ratio 4096/3100 = 1.32, so
 * ratios under 1.5 use full bytes. */
#define DGEN_ZLIB_6BIT_FROM 1.5

/* The mask AND-ed into each literal byte at a ratio (the entropy each
 * carries): 0xff, or 0x3f for zlib's 6-bit literals. */
uint32_t dgen_literal_mask(double compress, enum dgen_codec codec);

#endif
