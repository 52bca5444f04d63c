/* SPDX-License-Identifier: MIT */
/*
 * ratios.h - what the tests measure on real data: fixed-block dedup by
 * hashing aligned units (confirmed byte for byte), and per-unit compression
 * with the real lz4, zstd and zlib libraries.  Test support, not installed.
 */
#ifndef DGEN_TEST_RATIOS_H
#define DGEN_TEST_RATIOS_H

#include <stddef.h>
#include <stdint.h>

#include "dgen.h"

/* Units / distinct units over aligned units of `unit` bytes (len a multiple). */
double measure_dedup(const uint8_t *buf, size_t len, size_t unit);

/* Number of all-zero aligned units of `unit` bytes. */
size_t count_zero_units(const uint8_t *buf, size_t len, size_t unit);

/* Bytes / sum over aligned units of min(compressed size, unit size): an
 * incompressible unit counts at its own size. */
double measure_compress(enum dgen_codec codec, const uint8_t *buf, size_t len,
			size_t unit);

/* Fill a fresh buffer with a whole file; the caller frees it. */
uint8_t *generate(const char *name, struct dgen_file *file);

#endif
