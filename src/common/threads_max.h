/* SPDX-License-Identifier: MIT */
/*
 * threads_max.h - the programs' bound on a pool of worker threads: dgen
 * verify/measure --threads, dgenfs -o threads (per NUMA node) and -o ahead.
 * Policy of dgen and dgenfs, not of libdgen, which starts no threads and
 * so does not declare it (its old name is kept: the programs read as
 * before).
 */
#ifndef DGEN_COMMON_THREADS_MAX_H
#define DGEN_COMMON_THREADS_MAX_H

#define DGEN_THREADS_MAX 1024

#endif
