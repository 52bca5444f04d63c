/* SPDX-License-Identifier: MIT */
/*
 * raster.h - a small paletted picture with text in a built-in bitmap font,
 * written as PNG (raster.c).  Internal to dgen: measure --plot draws with it.
 */
#ifndef DGEN_RASTER_H
#define DGEN_RASTER_H

#include <stdint.h>
#include <stdio.h>

struct raster {
	unsigned width, height;
	unsigned char *pixels;	/* palette indices, row after row */
	const unsigned char (*palette)[3];	/* colors x RGB, not owned */
	unsigned colors;
};

/* A picture of width x height pixels of color 0; 0, or -1 (out of memory,
 * or a size or palette out of range). */
int raster_init(struct raster *r, unsigned width, unsigned height,
		const unsigned char (*palette)[3], unsigned colors);
void raster_free(struct raster *r);

/* Fill w x h pixels from (x, y), the top left; clipped to the picture. */
void raster_rect(struct raster *r, int x, int y, int w, int h, unsigned char color);

/* Text from (x, y), its top left, in 5x7 glyphs of scale x scale pixels a
 * dot, one dot apart; a byte outside printable ASCII shows as '?'. */
void raster_text(struct raster *r, int x, int y, unsigned scale,
		 unsigned char color, const char *text);
unsigned raster_text_width(const char *text, unsigned scale);
unsigned raster_text_height(unsigned scale);

/* Write r as PNG to out; 0, or -1 with errno set (a failed write: the
 * stream's error). */
int raster_write_png(const struct raster *r, FILE *out);

#endif
