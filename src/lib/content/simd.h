/* SPDX-License-Identifier: MIT */
/* simd.h - the generator variant chosen by simd.c.  Internal header. */
#ifndef DGEN_SIMD_H
#define DGEN_SIMD_H

#include "content/piece.h"

/* The variant in use for a content format's pieces. */
dgen_piece_fn dgen_pieces_current(unsigned format);

#endif
