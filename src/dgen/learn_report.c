/* SPDX-License-Identifier: MIT */
/*
 * learn_report.c - a profile's statistics for people and scripts: every
 * key of the profile file (dgen_profile_stat walks them), as text "NAME
 * VALUE" a line in the file's units, or beside another profile's with the
 * ratio input / profile (dgen measure --against), or as JSON objects.
 *
 * Not here: measuring (learn_stats.c, learn_run.c), the file (libdgen).
 */
#include "config.h"

#include <math.h>

#include "cli.h"
#include "learn.h"

#define NAME_MAX_LEN 48

/* input / profile, 1 where both are 0, infinite where only the profile's is. */
static double ratio_of(double input, double profile)
{
	if (profile == 0)
		return input == 0 ? 1 : INFINITY;
	return input / profile;
}

void learn_print(FILE *out, const struct dgen_profile *p)
{
	char name[NAME_MAX_LEN];
	double v;
	int d;

	for (size_t i = 0; (d = dgen_profile_stat(p, i, name, sizeof(name), &v)) >= 0; i++)
		fprintf(out, "%-28s %.*f\n", name, d, v);
}

void learn_print_against(FILE *out, const struct dgen_profile *profile,
			 const struct dgen_profile *input)
{
	char name[NAME_MAX_LEN];
	double a, b;
	int d;

	fprintf(out, "%-28s %14s %14s %8s\n", "statistic", "profile", "input", "ratio");
	for (size_t i = 0; (d = dgen_profile_stat(profile, i, name, sizeof(name), &a)) >= 0;
	     i++) {
		dgen_profile_stat(input, i, name, sizeof(name), &b);
		fprintf(out, "%-28s %14.*f %14.*f %8.3f\n", name, d, a, d, b, ratio_of(b, a));
	}
}

json_t *learn_json(const struct dgen_profile *input, const struct dgen_profile *profile)
{
	json_t *o = json_object();
	char name[NAME_MAX_LEN];
	double a, b;

	for (size_t i = 0; o && dgen_profile_stat(input, i, name, sizeof(name), &b) >= 0; i++) {
		json_t *row;

		if (!profile) {
			jout_set_real(o, name, b);
			continue;
		}
		dgen_profile_stat(profile, i, name, sizeof(name), &a);
		if (!(row = json_object()))
			break;
		jout_set_real(row, "profile", a);
		jout_set_real(row, "input", b);
		jout_set_real(row, "ratio", ratio_of(b, a));
		json_object_set_new(o, name, row);
	}
	return o;
}
