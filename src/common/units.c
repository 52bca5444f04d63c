/* SPDX-License-Identifier: MIT */
/*
 * units.c - rates and amounts in words, fio's way (units.h): one prefix
 * chosen by the binary value, printed in binary and decimal units.
 *
 * Not here: JSON (json_out.c), which holds bytes and seconds only.
 */
#include "config.h"

#include <stdio.h>

#include "units.h"

struct units_scale units_scale_for(double largest)
{
	static const char *const binary[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	static const char *const decimal[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	struct units_scale s = { 1.0, 1.0, binary[0], decimal[0] };

	for (int u = 1; u < 7 && largest >= s.binary * 1024.0; u++) {
		s.binary *= 1024.0;
		s.decimal *= 1000.0;
		s.binary_name = binary[u];
		s.decimal_name = decimal[u];
	}
	return s;
}

char *units_number(double v, char *buf, size_t len)
{
	snprintf(buf, len, v < 10.0 ? "%.2f" : v < 100.0 ? "%.1f" : "%.0f", v);
	return buf;
}

char *units_format(double amount, const char *per, char *buf, size_t len)
{
	struct units_scale s = units_scale_for(amount);
	char b[32], d[32];

	snprintf(buf, len, "%s %s%s (%s %s%s)",
		 units_number(amount / s.binary, b, sizeof(b)), s.binary_name, per,
		 units_number(amount / s.decimal, d, sizeof(d)), s.decimal_name, per);
	return buf;
}
