/* simd.h - the generator variant chosen by simd.c.  Internal header. */
#ifndef DGEN_SIMD_H
#define DGEN_SIMD_H

#include "piece.h"

dgen_random_fn dgen_random_current(void);

#endif
