// SPDX-License-Identifier: MIT
/*
 * profile_table.c - a profile's byte table (docs/PROFILES.md, "Content
 * from a profile"): the 256 slots of a uint8 -> uint8 map shared among the
 * byte values by the largest-remainder method from the [bytes] histogram,
 * and the map applied to bytes.  The one place both are done, for format
 * 3's profiled pieces and dgen_profile_record.  Not here: which pieces
 * (format3/file3.c), the histogram's measuring (dgen learn).
 */
#include "config.h"

#include "profile/profile_content.h"

#define SLOTS 256u

void dgen_profile_table(const struct dgen_profile *p, uint8_t table[256])
{
	uint32_t slots[256], rem[256];
	unsigned given = 0, at = 0;

	for (unsigned v = 0; v < 256; v++) {
		uint64_t q = (uint64_t)p->bytes_ppm[v] * SLOTS;

		slots[v] = (uint32_t)(q / DGEN_PROFILE_PPM);
		rem[v] = (uint32_t)(q % DGEN_PROFILE_PPM);
		given += slots[v];
	}
	/* the slots left go to the largest remainders, the lower value first
	 * on a tie (a histogram not summing to 1000000 gives fewer or none) */
	while (given < SLOTS) {
		unsigned best = 256;

		for (unsigned v = 0; v < 256; v++)
			if (rem[v] && (best == 256 || rem[v] > rem[best]))
				best = v;
		if (best == 256)
			break;
		slots[best]++;
		rem[best] = 0;
		given++;
	}
	for (unsigned v = 0; v < 256 && at < SLOTS; v++)
		for (uint32_t k = 0; k < slots[v] && at < SLOTS; k++)
			table[at++] = (uint8_t)v;
	/* only a histogram that fails dgen_profile_check leaves slots: the
	 * identity there keeps the function total */
	for (; at < SLOTS; at++)
		table[at] = (uint8_t)at;
}

void dgen_profile_apply(const uint8_t table[256], uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		bytes[i] = table[bytes[i]];
}
