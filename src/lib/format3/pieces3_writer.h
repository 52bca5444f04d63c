/* SPDX-License-Identifier: MIT */
/*
 * pieces3_writer.h - the vector writer of format 3 pieces (piece3.h),
 * written once for both instruction sets: a template that
 * pieces3_avx2.c and pieces3_avx512.c include after defining
 *   P3_TARGET   the target attribute, e.g. "avx2"
 *   P3_W        bytes in one vector (32 or 64), P3_VEC its type, P3_ENT,
 *               P3_DIR, P3_SRCM the program's entries and step masks for
 *               chunks of that size; P3_UPTO its groups of ops, or
 *   P3_MASK_LOAD(v, mask, p), P3_MASK_STORE(p, mask, v)  masked by bytes,
 *               for the ops of AVX-512 (piece3.h)
 *   P3_LOAD(p), P3_STORE(p, v)   unaligned; P3_STREAM(p, v) non-temporal,
 *   p aligned to P3_W; P3_STREAM16(p, v) non-temporal, p 16-byte aligned
 *   P3_JOIN_T, P3_JOIN_AT(lead), P3_JOIN(a, b, at)   the last P3_W - lead
 *               bytes of a then the first lead bytes of b (lead 16 to
 *               P3_W - 16, a multiple of 16), at made once by P3_JOIN_AT
 *   P3_TAKE(v, p, start)   v with its bytes from `start` on loaded from p
 *   struct p3_lanes, p3_seed(q, lanes) and p3_step(lanes, out) giving one
 *   64-byte step of the piece's lanes (content/lanes.h) as 64 / P3_W vectors.
 * Not for any other file; it holds no alphabet lookup (the including file
 * passes its own, as a p3_phrase_fn).
 *
 * A batch goes in two passes.  First each piece's random steps and its
 * phrase, into the piece's source buffer.  Then each piece, one aligned
 * chunk at a time, from the program's entries: every byte of the piece is
 * stored once, as format 1 stores it.  Only the NULL shape's pieces are
 * streamed past the cache when asked (a streaming fill makes the others in
 * a buffer that stays in the cache and streams that out: a line written
 * partly by plain stores and partly past the cache costs several times
 * more), with vectors where the piece is aligned to one; else (a Python
 * bytearray's data is 16 bytes past a line) the vectors are joined two by
 * two into aligned ones, and the partial lines at a piece's ends go 16
 * bytes at a time.  A load of bytes stored just before at another alignment waits
 * until every store before it has drained (to a buffer larger than the
 * cache, slowly); between the two passes lies the rest of the batch's
 * first pass.  The batch's source buffers are on the stack; only the
 * lines a program uses are touched.
 */

#define P3_VECS (DGEN_STEP_BYTES / P3_W)
/* Chunks of the phrase repeated read from one phase. */
#define P3_TBLOCK (DGEN_P3_REPEATED / P3_W)
/* Every function here: the target, and no loop turned into a call of
 * memcpy or memset. */
#define P3_FN __attribute__((target(P3_TARGET), optimize("no-tree-loop-distribute-patterns")))

/* Write P (the program's phrase) from r[0, p) to P[0, p); bytes past p up
 * to the next vector are free. */
typedef void (*p3_phrase_fn)(const struct dgen_program3 *pg, const uint8_t *r,
			     uint8_t *P, const void *ctx);

/* How a piece's bytes are stored: plainly, past the cache a vector at a
 * time (the piece aligned to P3_W), or past the cache 16 bytes at a time. */
enum p3_put { P3_PLAIN, P3_VECTOR, P3_BY16 };

/* Where a piece's steps go: step j to piece + 64j when bit j of dir is
 * set (stored as put says), to src + 64j when bit j of scr is. */
struct p3_job {
	struct p3_lanes lanes;
	unsigned steps;
	uint8_t *piece, *src;
	uint64_t dir, scr;
	enum p3_put put;
};

/* Step j of a job, its vectors in v. */
P3_FN __attribute__((always_inline))
static inline void p3_put_step(const struct p3_job job, unsigned j, const P3_VEC *v)
{
	uint8_t *piece = job.piece + DGEN_STEP_BYTES * j, *src = job.src + DGEN_STEP_BYTES * j;

	/* one test per step and target, none per vector */
	if (job.dir >> j & 1 && job.put == P3_VECTOR) {
		for (unsigned k = 0; k < P3_VECS; k++)
			P3_STREAM(piece + P3_W * k, v[k]);
	} else if (job.dir >> j & 1 && job.put == P3_BY16) {
		for (unsigned k = 0; k < P3_VECS; k++)
			P3_STREAM16(piece + P3_W * k, v[k]);
	} else if (job.dir >> j & 1) {
		for (unsigned k = 0; k < P3_VECS; k++)
			P3_STORE(piece + P3_W * k, v[k]);
	}
	if (job.scr >> j & 1)
		for (unsigned k = 0; k < P3_VECS; k++)
			P3_STORE(src + P3_W * k, v[k]);
}

/* Two jobs' steps side by side (a step waits for the one before it; two
 * pieces' chains are independent), then the longer one's rest.  The jobs
 * in registers: the stores could alias them for all the compiler knows. */
P3_FN __attribute__((always_inline))
static inline void p3_steps(const struct p3_job *pa, const struct p3_job *pb)
{
	const struct p3_job a = *pa, b = *pb;
	struct p3_lanes la = a.lanes, lb = b.lanes;
	unsigned both = a.steps < b.steps ? a.steps : b.steps, j;

	for (j = 0; j < both; j++) {
		P3_VEC va[P3_VECS], vb[P3_VECS];

		p3_step(&la, va);
		p3_step(&lb, vb);
		p3_put_step(a, j, va);
		p3_put_step(b, j, vb);
	}
	for (; j < a.steps; j++) {
		P3_VEC v[P3_VECS];

		p3_step(&la, v);
		p3_put_step(a, j, v);
	}
	for (; j < b.steps; j++) {
		P3_VEC v[P3_VECS];

		p3_step(&lb, v);
		p3_put_step(b, j, v);
	}
}

/* Two pieces of the NULL shape (random bytes only) side by side: every
 * step straight into the piece, no test per step. */
P3_FN __attribute__((always_inline))
static inline void p3_null_pair(const struct p3_job *a, const struct p3_job *b,
				bool stream)
{
	struct p3_lanes la = a->lanes, lb = b->lanes;

	for (unsigned j = 0; j < DGEN_PIECE_SIZE / DGEN_STEP_BYTES; j++) {
		P3_VEC va[P3_VECS], vb[P3_VECS];

		p3_step(&la, va);
		p3_step(&lb, vb);
		for (unsigned k = 0; k < P3_VECS; k++) {
			if (stream) {
				P3_STREAM(a->piece + DGEN_STEP_BYTES * j + P3_W * k, va[k]);
				P3_STREAM(b->piece + DGEN_STEP_BYTES * j + P3_W * k, vb[k]);
			} else {
				P3_STORE(a->piece + DGEN_STEP_BYTES * j + P3_W * k, va[k]);
				P3_STORE(b->piece + DGEN_STEP_BYTES * j + P3_W * k, vb[k]);
			}
		}
	}
}

/* v's 16-byte lanes [from, to) to p + from, past the cache. */
P3_FN __attribute__((always_inline))
static inline void p3_stream_lanes(uint8_t *p, P3_VEC v, unsigned from, unsigned to)
{
	uint8_t t[P3_W] __attribute__((aligned(64)));

	P3_STORE(t, v);
	for (unsigned o = from; o < to; o += 16)
		_mm_stream_si128((__m128i *)(p + o), _mm_load_si128((const __m128i *)(t + o)));
}

/* Two pieces of the NULL shape side by side, 16-byte aligned but not to
 * P3_W (the same distance past it): each piece's vectors joined two by
 * two into aligned ones and streamed, its first lead bytes and last
 * P3_W - lead bytes (lines it shares with its neighbours) 16 at a time. */
P3_FN __attribute__((always_inline))
static inline void p3_null_pair_joined(const struct p3_job *a, const struct p3_job *b)
{
	struct p3_lanes la = a->lanes, lb = b->lanes;
	unsigned lead = P3_W - ((uintptr_t)a->piece & (P3_W - 1));
	P3_JOIN_T at = P3_JOIN_AT(lead);
	uint8_t *pa = a->piece + lead - P3_W, *pb = b->piece + lead - P3_W;
	P3_VEC va[P3_VECS], vb[P3_VECS], prev_a, prev_b;

	p3_step(&la, va);
	p3_step(&lb, vb);
	p3_stream_lanes(a->piece, va[0], 0, lead);
	p3_stream_lanes(b->piece, vb[0], 0, lead);
	prev_a = va[0];
	prev_b = vb[0];
	for (unsigned j = 0; j < DGEN_PIECE_SIZE / DGEN_STEP_BYTES; j++) {
		if (j) {
			p3_step(&la, va);
			p3_step(&lb, vb);
		}
		for (unsigned k = j ? 0 : 1; k < P3_VECS; k++) {
			unsigned o = DGEN_STEP_BYTES * j + P3_W * k;

			P3_STREAM(pa + o, P3_JOIN(prev_a, va[k], at));
			P3_STREAM(pb + o, P3_JOIN(prev_b, vb[k], at));
			prev_a = va[k];
			prev_b = vb[k];
		}
	}
	p3_stream_lanes(a->piece + DGEN_PIECE_SIZE - P3_W, prev_a, lead, P3_W);
	p3_stream_lanes(b->piece + DGEN_PIECE_SIZE - P3_W, prev_b, lead, P3_W);
}

#ifndef P3_MASK_STORE
/* Ops [i, to) of the program, whose copies take c stores each. */
P3_FN __attribute__((always_inline))
static inline void p3_ops_of(const struct dgen_program3 *pg, const uint8_t *src,
			     uint8_t *piece, unsigned i, unsigned to, unsigned c)
{
	/* the op in registers: the stores could alias it for all the
	 * compiler knows */
	for (; i < to; i++) {
		const struct dgen_op3 op = pg->op[i];
		uint8_t *at = piece + op.copy_dst;
		const uint8_t *from = src + op.copy_src;

		_mm_storeu_si128((__m128i *)(piece + op.run_dst),
				 _mm_loadu_si128((const __m128i *)(src + op.run_src)));
#pragma GCC unroll 8
		for (unsigned k = 0; k < c; k++)
			P3_STORE(at + P3_W * k, P3_LOAD(from + P3_W * k));
	}
}

/* The runs and copies as ops (piece3.h), one loop per store count. */
P3_FN __attribute__((always_inline))
static inline void p3_ops(const struct dgen_program3 *pg, const uint8_t *src,
			  uint8_t *piece)
{
	const uint16_t *upto = pg->P3_UPTO;

#pragma GCC unroll 8
	for (unsigned c = 1; c <= DGEN_P3_P_MAX / P3_W; c++)
		p3_ops_of(pg, src, piece, upto[c - 1], upto[c], c);
}
#else
/* The runs and copies as AVX-512's ops (piece3.h), one loop per store
 * count: a run merged into its copy, the last store masked. */
P3_FN __attribute__((always_inline))
static inline void p3_ops(const struct dgen_program3 *pg, const uint8_t *src,
			  uint8_t *piece)
{
#pragma GCC unroll 8
	for (unsigned c = 1; c <= DGEN_P3_OPM_STORES; c++)
		for (unsigned i = pg->uptom[c - 1]; i < pg->uptom[c]; i++) {
			/* the op in registers (see above) */
			const struct dgen_opm3 op = pg->opm[i];
			const uint8_t *from = src + op.src;
			uint8_t *to = piece + op.dst;
			P3_VEC v = P3_MASK_LOAD(P3_LOAD(from), op.rmask, src + op.run_src);

#pragma GCC unroll 8
			for (unsigned k = 1; k < c; k++) {
				P3_STORE(to + P3_W * (k - 1), v);
				v = P3_LOAD(from + P3_W * k);
			}
			P3_MASK_STORE(to + P3_W * (c - 1), op.lmask, v);
		}
}
#endif

/* Whether the phrase repeated is stored from registers (p3_repeat_regs):
 * p one or two vectors.  The source buffer then holds the phrase repeated
 * p bytes on after P only, all that any load reads (a phase is below p,
 * a load W bytes from it, W <= p). */
#define P3_T_IN_REGS(p) ((p) == P3_W || (p) == 2 * P3_W)

/* count chunks of the phrase repeated from phase at, to piece + o on,
 * where p is n vectors (n a constant): the n vectors of one period loaded
 * once, then stored from the registers in turn, no load per chunk.  The
 * next o. */
P3_FN __attribute__((always_inline))
static inline unsigned p3_repeat_regs(const uint8_t *P, unsigned at, unsigned count,
				      uint8_t *piece, unsigned o, unsigned n)
{
	P3_VEC v[2];

	for (unsigned j = 0; j < n; j++)
		v[j] = P3_LOAD(P + at + P3_W * j);	/* at + p <= 2p, within the repetition */
	for (; count >= n; count -= n)
		for (unsigned j = 0; j < n; j++, o += P3_W)
			P3_STORE(piece + o, v[j]);
	for (unsigned j = 0; j < count; j++, o += P3_W)
		P3_STORE(piece + o, v[j]);
	return o;
}

/* The piece from its source buffer, chunk by chunk (piece3.h). */
P3_FN __attribute__((always_inline))
static inline void p3_chunks(const struct dgen_program3 *pg, const struct dgen_ent3 *e,
			     const uint8_t *src, uint8_t *piece)
{
	unsigned p = pg->shape.p, t_step = pg->t_step;

#define P3_PUT(o, v) P3_STORE(piece + (o), (v))
	for (unsigned o = 0; o < DGEN_PIECE_SIZE; e++) {
		unsigned count = e->count & DGEN_P3_SPAN_MAX, at = e->src;

		if (e->count == DGEN_P3_OPS) {
			p3_ops(pg, src, piece);
			o = e->src;
		} else if (e->count & DGEN_P3_REPEAT) {
			const uint8_t *P = src + DGEN_P3_SRC_P;

			at -= DGEN_P3_SRC_P;
			if (P3_T_IN_REGS(p)) {
				o = p == P3_W ? p3_repeat_regs(P, at, count, piece, o, 1) :
						p3_repeat_regs(P, at, count, piece, o, 2);
				continue;
			}
			/* DGEN_P3_REPEATED bytes from one phase, then the
			 * rest a chunk at a time */
			for (; count >= P3_TBLOCK; count -= P3_TBLOCK) {
#pragma GCC unroll 8
				for (unsigned k = 0; k < P3_TBLOCK; k++, o += P3_W)
					P3_PUT(o, P3_LOAD(P + at + P3_W * k));
				at += t_step;
				at = at >= p ? at - p : at;
			}
			for (; count; count--, o += P3_W) {
				P3_PUT(o, P3_LOAD(P + at));
				at += P3_W;
				at = at >= p ? at - p : at;
			}
		} else if (count && !at) {
			o += count * P3_W;	/* in place already */
		} else if (count) {
			for (unsigned k = 0; k < count; k++, o += P3_W, at += P3_W)
				P3_PUT(o, P3_LOAD(src + at));
		} else {
			P3_VEC v = P3_LOAD(src + at);

			for (; e[1].start; e++)
				v = P3_TAKE(v, src + e[1].src, e[1].start);
			P3_PUT(o, v);
			o += P3_W;
		}
	}
#undef P3_PUT
}

/* The batch (piece3.h's dgen_pieces3_fn, with the lookup). */
P3_FN
static void p3_write(const uint64_t *seed, uint8_t *const *dst, unsigned count,
		     const struct dgen_program3 *const *prog, bool stream,
		     p3_phrase_fn phrase, const void *ctx)
{
	uint8_t src[DGEN_BATCH][DGEN_P3_SRC_SIZE] __attribute__((aligned(64)));
	struct p3_job job[DGEN_BATCH + 1];

	for (unsigned i = 0; i < count; i++) {
		const struct dgen_program3 *pg = prog[i];

		p3_seed(dgen_mix64(seed[i] ^ DGEN_KEY_PIECE3), &job[i].lanes);
		job[i].steps = pg->steps;
		job[i].src = src[i] + DGEN_P3_SRC_R;
		job[i].piece = dst[i] + pg->shift;
		job[i].dir = pg->null ? ~0ull : pg->P3_DIR;
		job[i].scr = pg->null ? 0 : pg->P3_SRCM;
		job[i].put = !stream || !pg->null ? P3_PLAIN :
			     (uintptr_t)job[i].piece & (P3_W - 1) ? P3_BY16 : P3_VECTOR;
	}
	job[count] = (struct p3_job){ .steps = 0 };	/* an odd count's partner */
	for (unsigned i = 0; i < count; i += 2) {
		if (i + 1 == count || !prog[i]->null || !prog[i + 1]->null ||
		    job[i].put != job[i + 1].put)
			p3_steps(&job[i], &job[i + 1]);
		else if (job[i].put == P3_VECTOR)	/* a copy each: no test per store */
			p3_null_pair(&job[i], &job[i + 1], true);
		else if (job[i].put == P3_BY16)
			p3_null_pair_joined(&job[i], &job[i + 1]);
		else
			p3_null_pair(&job[i], &job[i + 1], false);
	}
	for (unsigned i = 0; i < count; i++) {
		const struct dgen_program3 *pg = prog[i];
		uint8_t *P = src[i] + DGEN_P3_SRC_P;

		if (pg->null)
			continue;
		phrase(pg, src[i] + DGEN_P3_SRC_R, P, ctx);
		/* the phrase repeated DGEN_P3_REPEATED bytes on after P, for
		 * the repeats (p bytes when they come from registers): 32 at
		 * a time, each loaded from bytes stored before it (p >= 32) */
		unsigned reps = P3_T_IN_REGS(pg->shape.p) ? pg->shape.p : DGEN_P3_REPEATED;

		for (unsigned x = 0; x < reps; x += 32)
			_mm256_storeu_si256((__m256i *)(P + pg->shape.p + x),
					    _mm256_load_si256((const __m256i *)(P + x)));
	}
	for (unsigned i = 0; i < count; i++) {
		if (prog[i]->null)
			continue;
		p3_chunks(prog[i], prog[i]->P3_ENT, src[i], dst[i]);
	}
}
