/* SPDX-License-Identifier: MIT */
/*
 * heuristic.c - btrfs's compression heuristic, statement for statement
 * as fs/btrfs/compression.c has it (btrfs_compress_heuristic and its
 * helpers; read at btrfs/linux commit 29b7793e53e1, unchanged in substance
 * since v4.15): a sample of 16 bytes at every 256 of each page of at most
 * 128 KiB, then the repeated-pattern check, the byte-set size, the core
 * set after the kernel's 4-bit radix sort and the integer Shannon entropy.
 * The quirks are kept on purpose: the sort handles only ALIGN(ilog2(max),
 * 8) bits of the counts (a maximum count of 256..511 sorts by its low 8
 * bits, of 1 not at all), and the entropy sum stops at the first zero
 * count of that order.
 *
 * Not here: what btrfs does with the verdict (btrfs.c).
 */
#include "config.h"

#include <string.h>

#include "stores.h"

#define SAMPLING_READ_SIZE 16u
#define SAMPLING_INTERVAL 256u
#define BUCKET_SIZE 256
#define MAX_UNCOMPRESSED (128u << 10)
#define MAX_SAMPLE_SIZE (MAX_UNCOMPRESSED * SAMPLING_READ_SIZE / SAMPLING_INTERVAL)
#define BYTE_SET_THRESHOLD 64u
#define BYTE_CORE_SET_LOW 64u
#define BYTE_CORE_SET_HIGH 200u
#define ENTROPY_LVL_ACEPTABLE 65u
#define ENTROPY_LVL_HIGH 80u
#define RADIX_BASE 4u
#define COUNTERS_SIZE (1u << RADIX_BASE)

struct ws {
	uint8_t sample[MAX_SAMPLE_SIZE];
	uint32_t sample_size;
	uint32_t bucket[BUCKET_SIZE];
	uint32_t bucket_b[BUCKET_SIZE];
};

/* The kernel's ilog2 of a non-zero 64-bit value. */
static uint32_t ilog2(uint64_t n)
{
	return 63u - (uint32_t)__builtin_clzll(n);
}

static uint32_t ilog2_w(uint64_t n)
{
	return ilog2(n * n * n * n);
}

static uint32_t shannon_entropy(const struct ws *ws)
{
	const uint32_t entropy_max = 8 * ilog2_w(2);
	uint32_t entropy_sum = 0, sz_base = ilog2_w(ws->sample_size);

	for (uint32_t i = 0; i < BUCKET_SIZE && ws->bucket[i] > 0; i++) {
		uint32_t p = ws->bucket[i];

		entropy_sum += p * (sz_base - ilog2_w(p));
	}
	entropy_sum /= ws->sample_size;
	return entropy_sum * 100 / entropy_max;
}

static uint8_t get4bits(uint64_t num, int shift)
{
	num >>= shift;
	return (uint8_t)((COUNTERS_SIZE - 1) - (num % COUNTERS_SIZE));	/* reverse order */
}

/* One counting pass of 4 bits from `from` into `to`, stable. */
static void radix_pass(const uint32_t *from, uint32_t *to, int num, int shift)
{
	uint32_t counters[COUNTERS_SIZE];

	memset(counters, 0, sizeof(counters));
	for (int i = 0; i < num; i++)
		counters[get4bits(from[i], shift)]++;
	for (unsigned i = 1; i < COUNTERS_SIZE; i++)
		counters[i] += counters[i - 1];
	for (int i = num - 1; i >= 0; i--) {
		uint8_t addr = get4bits(from[i], shift);

		to[--counters[addr]] = from[i];
	}
}

static void radix_sort(uint32_t *array, uint32_t *array_buf, int num)
{
	uint64_t max_num = array[0];
	int bitlen, shift = 0;

	for (int i = 1; i < num; i++)
		if (array[i] > max_num)
			max_num = array[i];
	/* ALIGN(ilog2(max_num), RADIX_BASE * 2), as the kernel */
	bitlen = (int)((ilog2(max_num) + RADIX_BASE * 2 - 1) & ~(RADIX_BASE * 2 - 1));
	while (shift < bitlen) {
		radix_pass(array, array_buf, num, shift);
		shift += RADIX_BASE;
		radix_pass(array_buf, array, num, shift);
		shift += RADIX_BASE;
	}
}

static uint32_t byte_core_set_size(struct ws *ws)
{
	uint32_t i, coreset_sum = 0;
	const uint32_t core_set_threshold = ws->sample_size * 90 / 100;

	radix_sort(ws->bucket, ws->bucket_b, BUCKET_SIZE);
	for (i = 0; i < BYTE_CORE_SET_LOW; i++)
		coreset_sum += ws->bucket[i];
	if (coreset_sum > core_set_threshold)
		return i;
	for (; i < BYTE_CORE_SET_HIGH && ws->bucket[i] > 0; i++) {
		coreset_sum += ws->bucket[i];
		if (coreset_sum > core_set_threshold)
			break;
	}
	return i;
}

static uint32_t byte_set_size(const struct ws *ws)
{
	uint32_t i, size = 0;

	for (i = 0; i < BYTE_SET_THRESHOLD; i++)
		if (ws->bucket[i] > 0)
			size++;
	for (; i < BUCKET_SIZE; i++)
		if (ws->bucket[i] > 0 && ++size > BYTE_SET_THRESHOLD)
			return size;
	return size;
}

/* heuristic_collect_sample: pages past the file's end read as zeros. */
static void collect_sample(const uint8_t *buf, uint64_t len, uint64_t start,
			   uint64_t end, struct ws *ws)
{
	uint64_t index, index_end;
	uint32_t pos = 0;

	if (end - start > MAX_UNCOMPRESSED)
		end = start + MAX_UNCOMPRESSED;
	index = start / STORES_SECTOR;
	index_end = end / STORES_SECTOR;
	if (end % STORES_SECTOR)
		index_end++;
	for (; index < index_end; index++) {
		uint32_t i = (uint32_t)(start % STORES_SECTOR);

		while (i < STORES_SECTOR - SAMPLING_READ_SIZE) {
			uint64_t at = index * STORES_SECTOR + i;

			if (start > end - SAMPLING_READ_SIZE)
				break;
			for (uint32_t k = 0; k < SAMPLING_READ_SIZE; k++)
				ws->sample[pos + k] = at + k < len ? buf[at + k] : 0;
			i += SAMPLING_INTERVAL;
			start += SAMPLING_INTERVAL;
			pos += SAMPLING_READ_SIZE;
		}
	}
	ws->sample_size = pos;
}

int stores_btrfs_heuristic(const uint8_t *buf, uint64_t len, uint64_t start,
			   uint64_t end)
{
	struct ws ws;	/* 10 KiB on the stack: callers may be threads */
	uint32_t i;

	collect_sample(buf, len, start, end, &ws);
	if (!memcmp(ws.sample, ws.sample + ws.sample_size / 2, ws.sample_size / 2))
		return 1;	/* sample_repeated_patterns */
	memset(ws.bucket, 0, sizeof(ws.bucket));
	for (i = 0; i < ws.sample_size; i++)
		ws.bucket[ws.sample[i]]++;
	if (byte_set_size(&ws) < BYTE_SET_THRESHOLD)
		return 2;
	i = byte_core_set_size(&ws);
	if (i <= BYTE_CORE_SET_LOW)
		return 3;
	if (i >= BYTE_CORE_SET_HIGH)
		return 0;
	i = shannon_entropy(&ws);
	if (i <= ENTROPY_LVL_ACEPTABLE)
		return 4;
	return i < ENTROPY_LVL_HIGH ? 5 : 0;
}
