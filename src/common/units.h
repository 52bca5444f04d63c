/* SPDX-License-Identifier: MIT */
/*
 * units.h - the one way both programs write a rate or an amount for people
 * to read, fio's: "754 MiB/s (791 MB/s)", binary first and decimal after
 * it, the same prefix in both.  Progress lines, summaries and the daemon's
 * stats text use it; JSON carries bytes and seconds only (json_out.h).
 *
 * Not here: sizes in names and configs (libdgen's dgen_size_format).
 */
#ifndef DGEN_COMMON_UNITS_H
#define DGEN_COMMON_UNITS_H

#include <stddef.h>

/* A prefix for amounts up to `largest`: its binary and decimal divisors
 * and names ("MiB", "MB"); "B" for both below 1 KiB. */
struct units_scale {
	double binary, decimal;
	const char *binary_name, *decimal_name;
};
struct units_scale units_scale_for(double largest);

/* v with three significant digits or more: 1.23, 12.3, 123, 1234. */
char *units_number(double v, char *buf, size_t len);

/* "754 MiB<per> (791 MB<per>)": amount in bytes, per "/s" for a rate or ""
 * for an amount.  Returns buf. */
char *units_format(double amount, const char *per, char *buf, size_t len);

/* A rate of bytes per second: "754 MiB/s (791 MB/s)". */
#define units_rate(bytes_per_second, buf, len) \
	units_format((bytes_per_second), "/s", (buf), (len))

#endif
