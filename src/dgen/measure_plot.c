/* SPDX-License-Identifier: MIT */
/*
 * measure_plot.c - dgen measure --plot FILE: the figures measure reports per
 * unit size as a PNG picture of two bar charts: the dedup ratio at each
 * dedup unit (4 to 128 KiB) and the compression ratio of each codec (lz4,
 * zstd, zlib) at each compression unit (4, 32, 128 KiB).  The bars rise
 * from 1 (no reduction) on a log scale, so data that does not reduce draws
 * none, and each is labelled with its figure.  The file is opened before
 * the measurement, so a path that cannot be written fails at once.
 *
 * Not here: the figures (cmd_measure.c, measure_report.c), the drawing and
 * the PNG encoding (raster.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "measure.h"
#include "raster.h"

#define WIDTH 1000
#define HEIGHT 500
#define PANEL (WIDTH / 2)
#define AXIS_LEFT 72		/* from a panel's left: room for tick labels */
#define AXIS_RIGHT 20
#define AXIS_TOP 136
#define AXIS_BOTTOM 420
#define AXIS_HEIGHT (AXIS_BOTTOM - AXIS_TOP)
#define TOP_EXPONENT_MAX 40	/* the axis ends at 2^40 at most */

enum color { BACKGROUND, INK, GRID, FAINT, DEDUP, LZ4, ZSTD, ZLIB, COLORS };

/* The colors, in palette order: a test counts each bar color's pixels. */
static const unsigned char palette[COLORS][3] = {
	[BACKGROUND] = { 0xff, 0xff, 0xff },
	[INK] = { 0x20, 0x20, 0x20 },
	[GRID] = { 0xdd, 0xdd, 0xdd },
	[FAINT] = { 0x70, 0x70, 0x70 },
	[DEDUP] = { 0x4e, 0x79, 0xa7 },
	[LZ4] = { 0xf2, 0x8e, 0x2b },
	[ZSTD] = { 0x59, 0xa1, 0x4f },
	[ZLIB] = { 0xe1, 0x57, 0x59 },
};

static const char *const codec_label[CODECS] = { "lz4", "zstd", "zlib" };
static const unsigned csize_kib[CSIZES] = { 4, 32, 128 };

/* One chart: where it is and the top of its axis (2^top). */
struct chart {
	struct raster *r;
	int left, right;	/* of the axis, in pixels */
	unsigned top;
};

static double ratio(double in, double out)
{
	return out > 0 ? in / out : 1.0;
}

/* The pixels a bar of ratio v rises above the axis: log2(v) of the axis's
 * 2^top; none at 1 or below. */
static int bar_height(const struct chart *c, double v)
{
	if (!(v > 1.0))
		return 0;
	if (v > ldexp(1.0, (int)c->top))
		v = ldexp(1.0, (int)c->top);
	return (int)lround(log2(v) / c->top * AXIS_HEIGHT);
}

/* The axis's top exponent: the largest figure with room for its label,
 * at least 2^1. */
static unsigned top_exponent(const double *v, size_t n)
{
	double most = 1.0;
	unsigned top = 1;

	for (size_t i = 0; i < n; i++)
		if (v[i] > most)
			most = v[i];
	while (top < TOP_EXPONENT_MAX && ldexp(1.0, (int)top) < most * 1.15)
		top++;
	return top;
}

/* "4x", "1024x", "1Mx". */
static void power_label(char *buf, size_t len, unsigned e)
{
	if (e >= 20)
		snprintf(buf, len, "%" PRIu64 "Mx", (uint64_t)1 << (e - 20));
	else
		snprintf(buf, len, "%" PRIu64 "x", (uint64_t)1 << e);
}

/* Title, grid, ticks and axes of chart c with its figures v[0..n). */
static void axes(struct chart *c, int panel, const char *title,
		 const double *v, size_t n)
{
	struct raster *r = c->r;
	unsigned step;
	char label[32];

	c->left = panel + AXIS_LEFT;
	c->right = panel + PANEL - AXIS_RIGHT;
	c->top = top_exponent(v, n);
	step = (c->top + 7) / 8;	/* at most 8 ticks above 1x */
	raster_text(r, c->left, 84, 2, INK, title);
	for (unsigned e = 0; e <= c->top; e += step) {
		int y = AXIS_BOTTOM - (int)lround((double)e / c->top * AXIS_HEIGHT);

		if (e)
			raster_rect(r, c->left, y, c->right - c->left, 1, GRID);
		power_label(label, sizeof(label), e);
		raster_text(r, c->left - 8 - (int)raster_text_width(label, 2),
			    y - (int)raster_text_height(2) / 2, 2, INK, label);
	}
	raster_rect(r, c->left - 1, AXIS_TOP, 2, AXIS_HEIGHT + 1, INK);
	raster_rect(r, c->left - 1, AXIS_BOTTOM, c->right - c->left + 1, 2, INK);
}

/* A bar of ratio v, w wide, centred on x, with its figure above it. */
static void bar(struct chart *c, int x, int w, double v, unsigned char color)
{
	int h = bar_height(c, v);
	char label[32];

	raster_rect(c->r, x - w / 2, AXIS_BOTTOM - h, w, h, color);
	snprintf(label, sizeof(label), v < 100 ? "%.2f" : "%.0f", v);
	raster_text(c->r, x - (int)raster_text_width(label, 1) / 2,
		    AXIS_BOTTOM - h - 4 - (int)raster_text_height(1), 1, INK, label);
}

/* A label centred under the axis at x. */
static void tick_label(struct chart *c, int x, const char *text)
{
	raster_text(c->r, x - (int)raster_text_width(text, 2) / 2, AXIS_BOTTOM + 10,
		    2, INK, text);
}

static void dedup_chart(struct raster *ras, const struct results *res)
{
	struct chart c = { .r = ras };
	double v[LEVELS];
	char label[16];
	int slot;

	for (unsigned l = 0; l < LEVELS; l++)
		v[l] = ratio((double)res->t.bytes, res->dedup[l].unique_bytes);
	axes(&c, 0, "dedup ratio by unit", v, LEVELS);
	slot = (c.right - c.left) / LEVELS;
	for (unsigned l = 0; l < LEVELS; l++) {
		int x = c.left + slot * (int)l + slot / 2;

		bar(&c, x, slot * 2 / 3, v[l], DEDUP);
		snprintf(label, sizeof(label), "%uK", (LEAF << l) >> 10);
		tick_label(&c, x, label);
	}
	raster_text(ras, c.left, AXIS_BOTTOM + 34, 2, FAINT, "unit, KiB");
}

static void compress_chart(struct raster *ras, const struct results *res)
{
	struct chart c = { .r = ras };
	double v[CODECS * CSIZES];
	char label[16];
	int group, w, lx;

	for (unsigned k = 0; k < CODECS; k++)
		for (unsigned s = 0; s < CSIZES; s++)
			v[s * CODECS + k] = res->compress[k][s];
	axes(&c, PANEL, "compression ratio by unit", v, CODECS * CSIZES);
	group = (c.right - c.left) / CSIZES;
	w = group / (CODECS + 1);
	for (unsigned s = 0; s < CSIZES; s++) {
		int x0 = c.left + group * (int)s + group / 2 - w * CODECS / 2;

		for (unsigned k = 0; k < CODECS; k++)
			bar(&c, x0 + w * (int)k + w / 2, w - 4, v[s * CODECS + k],
			    (unsigned char)(LZ4 + k));
		snprintf(label, sizeof(label), "%uK", csize_kib[s]);
		tick_label(&c, c.left + group * (int)s + group / 2, label);
	}
	raster_text(ras, c.left, AXIS_BOTTOM + 34, 2, FAINT, "unit, KiB");
	/* the legend, right-aligned above the axis */
	lx = c.right;
	for (int k = CODECS - 1; k >= 0; k--) {
		lx -= (int)raster_text_width(codec_label[k], 2);
		raster_text(ras, lx, AXIS_TOP - 26, 2, INK, codec_label[k]);
		lx -= 20;
		raster_rect(ras, lx, AXIS_TOP - 26, 14, 14, (unsigned char)(LZ4 + k));
		lx -= 16;
	}
}

/* The title and, at the foot, how the figures were found. */
static void captions(struct raster *ras, const struct results *res)
{
	char line[256], size[32], sample[32];

	snprintf(line, sizeof(line), "dgen measure: %" PRIu64 " input%s, %s",
		 res->inputs, res->inputs == 1 ? "" : "s",
		 dgen_size_format(res->t.bytes, size, sizeof(size)));
	raster_text(ras, 16, 16, 3, INK, line);
	snprintf(line, sizeof(line), "dedup %s; compression of %s (zlib %s); "
		 "zero 4 KiB units: %.2f%%",
		 res->dedup[0].max_shift ? "by hash sampling" : "exact",
		 dgen_size_format(res->compressed_bytes[0], size, sizeof(size)),
		 dgen_size_format(res->compressed_bytes[CODECS - 1], sample, sizeof(sample)),
		 res->t.bytes ? 100.0 * (double)res->t.zero_bytes / (double)res->t.bytes : 0.0);
	raster_text(ras, 16, 52, 2, FAINT, line);
	raster_text(ras, 16, HEIGHT - 20, 1, FAINT, "bars rise from 1 (no reduction) "
		    "on a log scale; lz4 default, zstd -1, zlib -1");
}

FILE *plot_open(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		cli_error("measure: --plot %s: %s", path, strerror(errno));
	return f;
}

/* Whether f is a regular file: what a failure removes (a device such as
 * /dev/full must stay). */
static bool regular(FILE *f)
{
	struct stat st;

	return !fstat(fileno(f), &st) && S_ISREG(st.st_mode);
}

void plot_abandon(FILE *f, const char *path)
{
	bool remove = regular(f);

	fclose(f);
	if (remove)
		unlink(path);
}

int plot_write(FILE *f, const char *path, const struct results *res)
{
	bool remove = regular(f);
	struct raster ras;
	int err = 0;

	if (raster_init(&ras, WIDTH, HEIGHT, palette, COLORS)) {
		err = ENOMEM;
	} else {
		captions(&ras, res);
		dedup_chart(&ras, res);
		compress_chart(&ras, res);
		errno = 0;
		if (raster_write_png(&ras, f) || fflush(f) || ferror(f))
			err = errno ? errno : EIO;
		raster_free(&ras);
	}
	if (fclose(f) && !err)
		err = errno;
	if (!err)
		return 0;
	cli_error("measure: --plot %s: %s", path, strerror(err));
	if (remove)
		unlink(path);
	return -1;
}
