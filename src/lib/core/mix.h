/* SPDX-License-Identifier: MIT */
/*
 * mix.h - the integer mixing function every part of libdgen derives keys
 * from (the splitmix64 finaliser).  Internal header, not installed.
 */
#ifndef DGEN_MIX_H
#define DGEN_MIX_H

#include <stdint.h>

#define DGEN_GOLDEN 0x9e3779b97f4a7c15ull

/* A bijection on 64-bit integers with full avalanche. */
static inline uint64_t dgen_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* 64-bit FNV-1a of a string, finalised with dgen_mix64. */
static inline uint64_t dgen_hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return dgen_mix64(h);
}

#endif
