/* SPDX-License-Identifier: MIT */
/*
 * piece3.h - the 4 KiB pieces of content format 3: a piece's SHAPE,
 * the PROGRAM a shape compiles to once, and the piece writers that replay
 * a program over a piece's random bytes (docs/FORMAT3-PIECES.md defines
 * the bytes).  Internal header, not installed.
 *
 * Not here: which shape a ratio or codec wants (calibration3.c), which
 * piece a file offset shows and which alphabet a file has (file3.c).
 */
#ifndef DGEN_PIECE3_H
#define DGEN_PIECE3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dgen.h"
#include "content/piece.h"

/* The piece's random stream r is seeded q = mix64(seed ^ DGEN_KEY_PIECE3). */
#define DGEN_KEY_PIECE3 0x7069656365332121ull	/* "piece3!!" */
/* Constant behind the literal runs between copies. */
#define DGEN_KEY_RUNS3 0x72756e7321212121ull	/* "runs!!!!" */

#define DGEN_P3_ALPHA 64	/* byte values of a file's alphabet */
#define DGEN_P3_TAIL 16		/* literal bytes that end every piece */
#define DGEN_P3_P_MIN 32	/* phrase length bounds */
#define DGEN_P3_P_MAX 256
#define DGEN_P3_MMIN_MIN 4	/* shortest copy (LZ4's shortest match) */

/*
 * A piece's shape.  p == 0 is the NULL shape (every field 0): the piece is
 * 4096 random bytes, compression ratio 1.  Otherwise a phrase of p bytes
 * over 2^abits alphabet values (dtail of them forced to alpha[0]), lit
 * literal bytes (plus the 16-byte tail), up to n copies of suffixes of the
 * phrase of lengths mmin .. p, the phrase repeated up to the tail.
 */
struct dgen_shape3 {
	uint16_t lit, p, mmin, n;
	uint8_t abits, dtail;
};

/*
 * The vector writers' source buffer, per piece: the random stream r at
 * DGEN_P3_SRC_R, the phrase P at DGEN_P3_SRC_P followed by the next
 * DGEN_P3_REPEATED bytes of the phrase repeated (so that many bytes of it
 * can be read from any phase), each with 64 bytes of margin on both sides
 * that loads may touch.
 */
#define DGEN_P3_REPEATED 256u
#define DGEN_P3_SRC_R 64u
#define DGEN_P3_SRC_P (DGEN_P3_SRC_R + DGEN_PIECE_SIZE + 128u)
#define DGEN_P3_SRC_SIZE (DGEN_P3_SRC_P + DGEN_P3_P_MAX + DGEN_P3_REPEATED + 64u)

/*
 * The writers make a piece one aligned W-byte chunk at a time (W = 32 or
 * 64), from the program's entries for W, in order:
 *  - a span (count > 0): the next count & ~DGEN_P3_REPEAT chunks, each one
 *    load from the source buffer, from src on, W bytes further each
 *    chunk; or with DGEN_P3_REPEAT, from the phrase repeated: src is
 *    DGEN_P3_SRC_P + the phase, which grows by W modulo p each chunk
 *    (by t_step each DGEN_P3_REPEATED bytes);
 *  - with src 0, a span of chunks skipped: literals in place, stored
 *    there by the steps (below);
 *  - count DGEN_P3_OPS: the program's runs and copies, as ops (below),
 *    then on with the chunk at byte src;
 *  - a chunk of several parts (count 0): one load at src, then each entry
 *    after it with start > 0 replaces the chunk's bytes from start on by
 *    a load at its src.
 * The list ends with an entry of start 0 (the next chunk's, or an end).
 */
struct dgen_ent3 {
	uint16_t src;
	uint8_t start, count;
};

#define DGEN_P3_REPEAT 0x80u
#define DGEN_P3_SPAN_MAX 0x7fu
#define DGEN_P3_OPS DGEN_P3_REPEAT

/*
 * Many copies cut many chunks into parts; the writers then store the runs
 * and copies themselves, in order, each op a run (one 16-byte store) then
 * a copy of copy_len bytes (ceil(copy_len / W) W-byte stores), each past
 * its end, where the next op or the chunks after the ops store again: the
 * last copy's end lies DGEN_P3_OPS_ROOM bytes or more before the piece's.
 */
struct dgen_op3 {
	uint16_t run_dst, run_src, copy_dst, copy_src, copy_len;
};
#define DGEN_P3_OPS_ROOM 64u

/*
 * An op as AVX-512 makes it: its run and copy as one span of len = run +
 * copy_len bytes at dst (the op's run_dst), ceil(len / 64) stores of the
 * bytes at src + src (the copy's source less the run) on, the first with
 * the run's bytes from src + run_src merged in (the bytes of rmask), the
 * last storing only its bytes (lmask): nothing past the span, so the ops
 * go in any order, grouped by store count.
 */
struct dgen_opm3 {
	uint64_t rmask, lmask;
	uint16_t dst, run_src, src;
};
#define DGEN_P3_OPM_STORES ((14u + DGEN_P3_P_MAX + 63u) / 64u)
#define DGEN_P3_OPS_MIN 4u	/* copies that make ops worth it */

/* Entries: every chunk one, and one more per part of the layout (P, R0,
 * runs, copies, the repeats, the literals), and the end mark. */
#define DGEN_P3_ENT_MAX (DGEN_PIECE_SIZE / 32u + 2u * DGEN_P3_P_MAX + 6u)

/* A shape compiled (dgen_program3_compile); read-only afterwards, shared
 * by any number of threads. */
struct dgen_program3 {
	uint8_t dom[DGEN_P3_P_MAX + 64] __attribute__((aligned(64)));
				/* 0xff where P takes alpha[0] (dtail) */
	uint64_t dom_bits[(DGEN_P3_P_MAX + 64) / 64];	/* dom, one bit a byte */
	struct dgen_shape3 shape;
	bool null;		/* the NULL shape */
	uint16_t steps;		/* 64-byte steps of r used */
	uint16_t copies;	/* copies that fit (at most n) */
	uint16_t r0;		/* literals after P */
	uint16_t t_at, t_len;	/* the phrase repeated: where, how long */
	uint16_t t_step;	/* DGEN_P3_REPEATED mod p */
	uint16_t m[DGEN_P3_P_MAX];	/* copy i: length */
	uint8_t run[DGEN_P3_P_MAX];	/* copy i: literals before it */
	/* The vector writers' steps: step j is stored at piece byte
	 * shift + 64j when bit j of dir (for W) is set, at src + SRC_R + 64j
	 * when bit j of src is. */
	uint16_t shift;
	uint64_t dir32, src32, dir64, src64;
	uint16_t ops;		/* ops, 0 if none */
	struct dgen_op3 op[DGEN_P3_P_MAX];
	/* The copies take nondecreasing counts of W-byte stores: copies
	 * [upto[c - 1], upto[c]) take c each, so the writers run one loop per
	 * count with no test per store (a count that changes from copy to
	 * copy is a branch the CPU mispredicts). */
	uint16_t upto16[DGEN_P3_P_MAX / 16 + 1], upto32[DGEN_P3_P_MAX / 32 + 1];
	/* AVX-512's ops (with masked loads and stores), grouped by store
	 * count: ops [uptom[c - 1], uptom[c]) take c stores each. */
	uint16_t uptom[DGEN_P3_OPM_STORES + 1];
	struct dgen_opm3 opm[DGEN_P3_P_MAX];
	struct dgen_ent3 ent32[DGEN_P3_ENT_MAX];	/* chunks of 32 bytes */
	struct dgen_ent3 ent64[DGEN_P3_ENT_MAX];	/* chunks of 64 bytes */
};

/* An alphabet: the first DGEN_P3_ALPHA values of the permutation of
 * 0..255 that a Fisher-Yates shuffle draws with j = mix64(key + i *
 * GOLDEN) mod (i + 1) for i = 255 down to 1. */
void dgen_alpha3(uint64_t key, uint8_t *alpha);

/* The literals before copy i, before trimming (0 .. 14). */
unsigned dgen_run3(unsigned i);

/* Compile a shape; -1 with a reason for a shape out of bounds. */
int dgen_program3_compile(const struct dgen_shape3 *shape,
			  struct dgen_program3 *prog, char *err, size_t errlen);

/*
 * Write count (1 to DGEN_BATCH) whole pieces: piece i seeded seed[i], of
 * program prog[i], over the file's alphabet alpha (DGEN_P3_ALPHA bytes),
 * to dst[i].  stream: the dst pieces are 16-byte aligned and not read back
 * soon, so the vector writers store the NULL shape's pieces past the cache
 * (a vector at a time where a piece is aligned to one); the others are
 * stored plainly (a streaming fill makes them in a cache-hot buffer and
 * streams that out, file/fill.c).  It never changes the bytes.
 */
typedef void (*dgen_pieces3_fn)(const uint64_t *seed, uint8_t *const *dst,
				unsigned count,
				const struct dgen_program3 *const *prog,
				const uint8_t *alpha, bool stream);

/* The portable reference: one piece, byte by byte from the layout. */
void dgen_piece3_ref(uint64_t seed, const struct dgen_program3 *prog,
		     const uint8_t *alpha, uint8_t *piece);

/* The writers: plain C (the scalar path), AVX2, AVX-512. */
void dgen_pieces3_scalar(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			 const struct dgen_program3 *const *prog,
			 const uint8_t *alpha, bool stream);
void dgen_pieces3_avx2(const uint64_t *seed, uint8_t *const *dst, unsigned count,
		       const struct dgen_program3 *const *prog,
		       const uint8_t *alpha, bool stream);
/* AVX-512 F, DQ and BW; the vbmi one looks the alphabet up with vpermb. */
void dgen_pieces3_avx512(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			 const struct dgen_program3 *const *prog,
			 const uint8_t *alpha, bool stream);
void dgen_pieces3_avx512vbmi(const uint64_t *seed, uint8_t *const *dst, unsigned count,
			     const struct dgen_program3 *const *prog,
			     const uint8_t *alpha, bool stream);

/* The writers, for tests and benchmarks to force one. */
enum dgen_p3_variant {
	DGEN_P3_SCALAR, DGEN_P3_AVX2, DGEN_P3_AVX512, DGEN_P3_AVX512VBMI,
	DGEN_P3_VARIANTS
};
const char *dgen_pieces3_variant_name(enum dgen_p3_variant v);
bool dgen_pieces3_variant_supported(enum dgen_p3_variant v);
dgen_pieces3_fn dgen_pieces3_variant(enum dgen_p3_variant v);

/* The writer for the generator path in use (dgen_simd_current(), so
 * DGEN_SIMD picks it): AVX-512 with VBMI where the CPU has it. */
dgen_pieces3_fn dgen_pieces3_current(void);

#endif
