/* SPDX-License-Identifier: MIT */
/* unique.h - format 1's unique-unit model of a dataset (format1/unique.c).
 * Internal header, not installed. */
#ifndef DGEN_FORMAT1_UNIQUE_H
#define DGEN_FORMAT1_UNIQUE_H

#include <stddef.h>

struct dgen_dataset;

/* Settle ds->unique_units and ds->domain_dedup for ds->spec.dedup; 0, or
 * -1 with a reason in why.  Then ds->unique_bytes: what a perfect dedup
 * at the unit keeps of a copy. */
int dgen_dataset_pick_unique(struct dgen_dataset *ds, char *why, size_t len);
void dgen_dataset_count_bytes(struct dgen_dataset *ds);

#endif
