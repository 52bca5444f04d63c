#!/bin/sh
# SPDX-License-Identifier: MIT
# ranks_text.sh - reports gathered over MPI (tests/ranks_text.c, the ranks
# layer of a dgen built with MPI) under mpirun -np 2: every rank's text
# reaches rank 0 whole and in rank order; a rank's report over 2 GiB (INT_MAX
# bytes, what MPI's counts carry) ends the run with exit status 3 and a
# message, as ranks.h says, and never reaches rank 0 cut.  SKIPs without
# mpirun (in CI, where it must be there, that fails), passes with a note
# where dgen is built without MPI (there is nothing to gather).
. "${top_srcdir:-.}/tests/mount_lib.sh"
. "$top_srcdir/tests/mpi_lib.sh"
OUTDIR=$WORK
. "$top_srcdir/tests/expect_lib.sh"

if ! grep -q '^#define HAVE_MPI 1' "$top_builddir/config.h"; then
	echo "NOTE: dgen is built without MPI: it gathers nothing"
	exit 0
fi
TEXT=$top_builddir/tests/ranks_text

mpirun --oversubscribe -np 2 "$TEXT" >"$WORK/out" 2>"$WORK/err" ||
	{ cat "$WORK/err" >&2; fail "two ranks' small reports"; }
printf '0 12 rank 0 of 2\n1 12 rank 1 of 2\n' | cmp -s - "$WORK/out" ||
	{ cat "$WORK/out" >&2; fail "the reports did not reach rank 0 whole and in order"; }

rc=0
mpirun --oversubscribe -np 2 "$TEXT" big >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 3 ] || { cat "$WORK/out" "$WORK/err" >&2; fail "a report over 2 GiB: exit status $rc, expected 3"; }
expect_err "dgen: this rank's report is 2147483648 bytes, more than the 2 GiB MPI carries"
grep -q '^1 ' "$WORK/out" && fail "rank 0 printed a cut report: $(cat "$WORK/out")"
exit 0
