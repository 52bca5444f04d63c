/* SPDX-License-Identifier: MIT */
/*
 * ratios.h - what the tests measure on real data: fixed-block dedup by
 * hashing aligned units (confirmed byte for byte), and per-unit compression
 * with the real lz4, zstd and zlib libraries.  Test support, not installed.
 */
#ifndef DGEN_TEST_RATIOS_H
#define DGEN_TEST_RATIOS_H

#include <stdbool.h>
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

/*
 * Whether `got` honours a ratio `want` promised for the codec of file f,
 * measured with `codec`: within 3 % either way, but zstd -1 on a format 3
 * file calibrated for lz4 (the default) up to 6 % above - lz4 decides its
 * sectors and zstd stores the same records smaller (docs/FORMAT3-PIECES.md,
 * Calibration III); @zstd names hold zstd within 3 %.
 */
bool ratio_honoured(const struct dgen_file *f, enum dgen_codec codec, double got,
		    double want);

/* Fill a fresh buffer with a whole file; the caller frees it. */
uint8_t *generate(const char *name, struct dgen_file *file);

#endif
