/* SPDX-License-Identifier: MIT */
/* simd.h - the generator variant chosen by simd.c.  Internal header. */
#ifndef DGEN_SIMD_H
#define DGEN_SIMD_H

#include "piece.h"

dgen_piece_fn dgen_pieces_current(void);

#endif
