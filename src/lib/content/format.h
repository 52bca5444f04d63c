/* SPDX-License-Identifier: MIT */
/*
 * format.h - what a content format does to make a file's bytes: the
 * operations the fill loop (file/fill.c) and the preparation of a file
 * (content/file.c) call, one struct per format (format1/file.c,
 * format2/file.c), reached through the format table (formats/formats.h).
 * Internal header, not installed.
 */
#ifndef DGEN_CONTENT_FORMAT_H
#define DGEN_CONTENT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "content/piece.h"

struct dgen_content_ops {
	/* the codecs a ratio of this format can be calibrated for, a bit
	 * (1u << codec) each */
	unsigned codecs;
	/* whether a spec may ask for a generation (history/history.h): the
	 * formats whose predictions know about them */
	bool generations;
	/* whether a spec may name a profile (dgen_spec.profile): the formats
	 * that make content from one */
	bool profiles;
	/* the piece writers, by SIMD variant (enum dgen_simd); or, for a
	 * format whose pieces need more of the file than a seed and a literal
	 * count, write (below) */
	dgen_piece_fn pieces[DGEN_SIMD_COUNT];
	/* pieces number piece[0..count), seeded seed[i], into dst[i] (stream:
	 * the pieces are 16-byte aligned, and those all literal go past the
	 * cache; format3/piece3.h); NULL where pieces[] do it */
	void (*write)(const struct dgen_file *f, const uint64_t *piece,
		      const uint64_t *seed, uint8_t *const *dst, unsigned count,
		      bool stream);
	/* the spec's fields only this format reads (format 2: the extent);
	 * 0, or -1 with a reason */
	int (*check)(const struct dgen_spec *spec, char *err, size_t errlen);
	/* the format's fields of f, whose common ones (content/file.c) are
	 * set; 0, or -1 with a reason */
	int (*prepare)(struct dgen_file *f, const struct dgen_spec *spec,
		       char *err, size_t errlen);
	/* the unique unit that unit g of the dedup domain shows */
	uint64_t (*unique_unit)(const struct dgen_file *f, uint64_t g);
	/* the literal bytes of pieces number piece[0..count) into
	 * literal[0..count): one call per batch, not per piece, so the fill
	 * pays one indirect call for DGEN_BATCH pieces; a streaming fill makes
	 * the pieces not all literal in scratch (file/fill.c) */
	void (*piece_literals)(const struct dgen_file *f, const uint64_t *piece,
			       uint32_t *literal, unsigned count);
};

/* Prepare f for spec in a dedup domain of domain_units units from
 * first_unit, in the format ops makes (NULL: an unknown format, refused):
 * the checks every format shares, the format's, the common fields, the
 * format's fields.  0, or -1 with a reason in err. */
int dgen_file_prepare(const struct dgen_content_ops *ops, struct dgen_file *f,
		      const struct dgen_spec *spec, uint64_t domain_units,
		      uint64_t first_unit, char *err, size_t errlen);

/* The same for a standalone file: its own dedup domain. */
int dgen_file_prepare_alone(const struct dgen_content_ops *ops,
			    struct dgen_file *f, const struct dgen_spec *spec,
			    char *err, size_t errlen);

/* What the format of `ops` refuses of spec (its codec, ratio, extent,
 * unit), with the reason: 0, or -1.  NULL ops (an unknown format) pass
 * here; preparing a file refuses them. */
int dgen_content_check(const struct dgen_content_ops *ops,
		       const struct dgen_spec *spec, char *err, size_t errlen);

/* The unique unit count for n units at a dedup ratio: round(n / dedup),
 * from 1 to n. */
uint64_t dgen_unique_count(uint64_t n, double dedup);

#endif
