// SPDX-License-Identifier: MIT
/*
 * profile_builtin.c - the built-in profiles `text`, `binary` and `mixed`
 * (ids 1, 2, 3): their version 2 texts, as dgen learn wrote them of
 * corpora every Debian 12 machine has.  The block between the marks is
 * generated (bench/profiles_build.sh writes it): regenerate it, do not
 * edit it.  An empty text is a profile not generated yet; using it is
 * refused.  Not here: loading them (profile_registry.c).
 */
#include "config.h"

#include "profile/profile_content.h"

/* BEGIN builtin_profiles (bench/profiles_build.sh) */
static const char builtin_text[] = "";
static const char builtin_binary[] = "";
static const char builtin_mixed[] = "";
/* END builtin_profiles */

static const char *const names[DGEN_PROFILE_BUILTINS + 1] = { NULL, "text", "binary", "mixed" };
static const char *const texts[DGEN_PROFILE_BUILTINS + 1] = {
	NULL, builtin_text, builtin_binary, builtin_mixed
};

const char *dgen_profile_builtin_name(unsigned i)
{
	return i >= 1 && i <= DGEN_PROFILE_BUILTINS ? names[i] : NULL;
}

const char *dgen_profile_builtin_text(unsigned i)
{
	return i >= 1 && i <= DGEN_PROFILE_BUILTINS ? texts[i] : NULL;
}
