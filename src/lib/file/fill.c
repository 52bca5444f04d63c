/* SPDX-License-Identifier: MIT */
/*
 * fill.c - the content function's loop (dgen_fill): for each 4 KiB piece
 * of a read, the unique unit it shows and its literal bytes, asked of the
 * file's format through the format table, and the pieces written a batch
 * at a time by the SIMD variant chosen (content/simd.c), past the cache
 * for long fills.  docs/FORMAT.md is the normative description.
 *
 * Not here: what a format's units and literals are (format1/file.c,
 * format2/file.c), the pieces' bytes (format1/pieces.c,
 * format2/pieces.c), preparing a file (file/file.c, content/file.c).
 */
#include "config.h"

#include <emmintrin.h>
#include <string.h>

#include "dgen.h"
#include "core/mix.h"
#include "content/format.h"
#include "formats/formats.h"
#include "history/history.h"

#define PIECE_SHIFT 12

/* Domain separation of the pieces' seeds. */
#define KEY_PIECE   0x7069656365732121ull

/* Fills at least this long go past the cache with non-temporal stores, so
 * memory sees one write per line instead of a read for ownership and a
 * write-back: the pieces with a run (read back while they are made) are
 * made in a scratch buffer that stays in L1 and streamed out, the others
 * are streamed by the piece writers.  Shorter fills (FUSE replies, dgen cat
 * buffers) are read back soon, from the cache, and are written in place.
 * bench/bench_memory.sh measures it; below about 8 MiB plain stores won. */
#define STREAM_MIN (8u << 20)

/* n bytes (a multiple of 64) from the cache-hot, 64-byte aligned src to
 * the 16-byte aligned dst, past the cache. */
static void stream_out(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i += 64) {
		__m128i a = _mm_load_si128((const __m128i *)(src + i));
		__m128i b = _mm_load_si128((const __m128i *)(src + i + 16));
		__m128i c = _mm_load_si128((const __m128i *)(src + i + 32));
		__m128i d = _mm_load_si128((const __m128i *)(src + i + 48));

		_mm_stream_si128((__m128i *)(dst + i), a);
		_mm_stream_si128((__m128i *)(dst + i + 16), b);
		_mm_stream_si128((__m128i *)(dst + i + 32), c);
		_mm_stream_si128((__m128i *)(dst + i + 48), d);
	}
}

/* A fill that goes past the cache (STREAM_MIN). */
struct stream {
	bool direct;	/* whole pieces land 64-byte aligned: writers stream too */
	uint8_t scratch[DGEN_BATCH * DGEN_PIECE_SIZE] __attribute__((aligned(64)));
};

/*
 * The bytes of pieces number piece[0..count) (unique unit * pieces per unit
 * + index in unit) into dst[0..count), each seeded from the key and its
 * number; their layout is the format's (format1/pieces.c, format2/pieces.c,
 * format3/).  In a streaming fill (below) the pieces with a run, and every
 * piece of a fill whose pieces are not 64-byte aligned, are made into
 * scratch and streamed out from there; the others go straight to dst.
 */
static void make_pieces(const struct dgen_file *f,
			const struct dgen_content_ops *ops, dgen_piece_fn pieces_fn,
			const uint64_t *piece, uint8_t *const *dst,
			unsigned count, struct stream *st)
{
	uint64_t seed[DGEN_BATCH] = { 0 };
	uint32_t literal[DGEN_BATCH] = { 0 };
	uint8_t *to[DGEN_BATCH] = { 0 };

	for (unsigned i = 0; i < count; i++)
		seed[i] = dgen_mix64(f->key ^ (piece[i] * DGEN_GOLDEN) ^ KEY_PIECE);
	if (f->history.generation)
		dgen_history_reseed(&f->history, piece, seed, count);
	/* the piece writers stream in place only to 64-byte aligned pieces,
	 * a format's own writers (ops->write) to 16-byte aligned ones too (a
	 * Python bytearray's data is 16 bytes past a line) */
	bool stream = st && (st->direct || ops->write);

	ops->piece_literals(f, piece, literal, count);
	for (unsigned i = 0; i < count; i++) {
		/* pieces with a run, and any piece that cannot be streamed
		 * in place, are made in scratch and streamed out from there */
		bool aside = st && (!stream || literal[i] < DGEN_PIECE_SIZE);

		to[i] = aside ? st->scratch + (size_t)i * DGEN_PIECE_SIZE : dst[i];
	}
	if (ops->write)
		ops->write(f, piece, seed, to, count, stream);
	else
		pieces_fn(seed, to, literal, count, (uint8_t)f->literal_mask, stream);
	for (unsigned i = 0; st && i < count; i++)
		if (to[i] != dst[i])
			stream_out(dst[i], to[i], DGEN_PIECE_SIZE);
}

size_t dgen_fill(const struct dgen_file *f, uint64_t offset, void *buf,
		 size_t len)
{
	const struct dgen_content_ops *ops = dgen_format_content(f->format);
	dgen_piece_fn pieces_fn = ops->write ? NULL : ops->pieces[dgen_simd_current()];
	uint8_t scratch[DGEN_PIECE_SIZE] __attribute__((aligned(64)));
	uint8_t *out = buf;
	uint64_t pieces_per_unit_mask = (1ull << (f->unit_shift - PIECE_SHIFT)) - 1;
	uint64_t unit = UINT64_MAX, base_piece = 0;
	uint64_t batch_piece[DGEN_BATCH];
	uint8_t *batch_dst[DGEN_BATCH];
	unsigned batched = 0;
	size_t done, first_whole = (size_t)(-offset & (DGEN_PIECE_SIZE - 1));
	uintptr_t whole_at = (uintptr_t)(out + first_whole);
	struct stream stream, *st = NULL;

	if (offset >= f->size)
		return 0;
	if (len > f->size - offset)
		len = (size_t)(f->size - offset);
	/* streaming stores need 16-byte aligned destinations, 64 for the
	 * piece writers' own */
	if (len >= STREAM_MIN && !(whole_at & 15)) {
		stream.direct = !(whole_at & 63);
		st = &stream;
	}

	for (done = 0; done < len;) {
		uint64_t pos = offset + done;
		uint64_t u = pos >> f->unit_shift;
		uint64_t piece;
		size_t in_piece = pos & (DGEN_PIECE_SIZE - 1);
		size_t n = DGEN_PIECE_SIZE - in_piece;

		if (u != unit) {
			unit = u;
			base_piece = ops->unique_unit(f, f->first_unit + u)
				     << (f->unit_shift - PIECE_SHIFT);
		}
		piece = base_piece + ((pos >> PIECE_SHIFT) & pieces_per_unit_mask);
		if (in_piece == 0 && len - done >= DGEN_PIECE_SIZE) {
			/* whole pieces go to the caller, a batch at a time */
			batch_piece[batched] = piece;
			batch_dst[batched++] = out + done;
			if (batched == DGEN_BATCH) {
				make_pieces(f, ops, pieces_fn, batch_piece, batch_dst, batched, st);
				batched = 0;
			}
		} else {
			/* a piece cut by the read: made whole aside, then copied */
			uint8_t *aside = scratch;

			if (n > len - done)
				n = len - done;
			make_pieces(f, ops, pieces_fn, &piece, &aside, 1, NULL);
			memcpy(out + done, scratch + in_piece, n);
		}
		done += n;
	}
	if (batched)
		make_pieces(f, ops, pieces_fn, batch_piece, batch_dst, batched, st);
	if (st)
		_mm_sfence();	/* non-temporal stores are weakly ordered */
	return len;
}
