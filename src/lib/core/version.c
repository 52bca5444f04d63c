/* SPDX-License-Identifier: MIT */
/*
 * version.c - what the running libdgen is: its package version and the
 * content format it generates (dgen_version, dgen_version_number,
 * dgen_format_version).  Only reports; compatibility decisions are the
 * caller's.
 */
#include "config.h"

#include "dgen.h"

const char *dgen_version(void)
{
	return PACKAGE_VERSION;
}

unsigned dgen_version_number(void)
{
	return DGEN_VERSION_NUMBER;
}

int dgen_format_version(void)
{
	return DGEN_FORMAT_VERSION;
}
