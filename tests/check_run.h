/* SPDX-License-Identifier: MIT */
/*
 * check_run.h - how every Check unit test runs its suite: all its tests
 * (in forked processes unless CK_FORK=no), exit status 0 only if all pass.
 * Header only; included by the tests/test_*.c mains.
 */
#ifndef DGEN_CHECK_RUN_H
#define DGEN_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
