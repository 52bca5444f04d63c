/* SPDX-License-Identifier: MIT */
/*
 * json_out.h - the one JSON writer of both programs: dgen's --json
 * documents and dgenfs's /.dgenfs/stats.json, built with jansson (Debian's
 * libjansson-dev) and these helpers, so that the same thing has the same
 * key and the same shape everywhere (the schemas in docs/json/; dgen(1) and
 * dgenfs(1) list the keys):
 *
 *   bytes, seconds, cpu_seconds, bytes_per_second   a measured run
 *   seed                 a string of decimal digits (exact above 2^53)
 *   shard                null (the whole), or {"index": I, "count": N}
 *   any text             valid UTF-8 always: a byte that is not UTF-8
 *                        becomes U+FFFD, and KEY_bytes beside KEY holds
 *                        the raw bytes in base64 (a path is kept exactly)
 *
 * Numbers are bytes and seconds, never MB or GiB (units.h is for people).
 * Not here: what each document holds, where dgen writes it (cli_json.c).
 */
#ifndef DGEN_COMMON_JSON_OUT_H
#define DGEN_COMMON_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* s as a JSON string, each byte that is not part of valid UTF-8 replaced
 * by U+FFFD; NULL (jansson's "no value") only when out of memory. */
json_t *jout_text(const char *s);

/* obj[key] = s as text (null for NULL); where s is not valid UTF-8 also
 * obj[key + "_bytes"] = its bytes in base64 (RFC 4648). */
void jout_set_text(json_t *obj, const char *key, const char *s);
void jout_set_u64(json_t *obj, const char *key, uint64_t v);
/* A real, or null where v is not finite (a copy's dedup). */
void jout_set_real(json_t *obj, const char *key, double v);
void jout_set_bool(json_t *obj, const char *key, bool v);
void jout_set_seed(json_t *obj, const char *key, uint64_t seed);
/* "shard": null without sharded, else {"index": index, "count": count};
 * returns the object (to add to) or NULL. */
json_t *jout_set_shard(json_t *obj, bool sharded, uint32_t index, uint32_t count);
/* bytes, seconds, cpu_seconds and bytes_per_second (0 when seconds is 0). */
void jout_set_timing(json_t *obj, uint64_t bytes, double seconds, double cpu_seconds);

/* doc on one line and a newline to out (not flushed: the caller's fflush
 * or fclose sees a failed write, and its errno); doc is released.  0, or
 * -1 (out of memory: doc is NULL; a failed write). */
int jout_write(json_t *doc, FILE *out);

#endif
