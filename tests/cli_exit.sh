#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_exit.sh - dgen's exit statuses mean what dgen(1) says: a failed write
# of data or of a report is an I/O error (3), never "content differs" (1),
# and a reader that goes away is one too (3, silently, not SIGPIPE's 141);
# --help and dgen(1) name --version; a DGEN_SIMD the CPU cannot honour is bad input (2), for dgenfs too.
. "${top_srcdir:-.}/tests/cli_lib.sh"

[ -w /dev/full ] || { echo "SKIP: no writable /dev/full"; exit 77; }

# full KIND CMD...: CMD with stdout on /dev/full exits 3 and says why
full() {
	what=$1
	shift
	"$@" >/dev/full 2>"$work/err"
	rc=$?
	[ "$rc" = 3 ] || { cat "$work/err" >&2; fail "$what to /dev/full exited $rc, expected 3"; }
	expect_err "$what: write: No space left on device"
}

full cat "$DGEN" cat 1MiB
full cat "$DGEN" cat 1MiB --length 1
full info "$DGEN" info 1G-d2
"$DGEN" cat 3MiB-d2 >"$work/file" || fail "dgen cat"
full measure "$DGEN" measure "$work/file"
full measure "$DGEN" measure --json "$work/file"
full verify "$DGEN" verify "$work/file" --as 3MiB-d2

# a mismatch is still 1, and bad input is still 2 even when stdout is full
printf x | dd of="$work/file" bs=1 seek=5000 conv=notrunc 2>/dev/null
run 1 "$DGEN" verify "$work/file" --as 3MiB-d2
"$DGEN" cat 1G --offset 2G >/dev/full 2>"$work/err"
[ $? = 2 ] || fail "bad input with stdout on /dev/full is not 2"
expect_err "past the end"
# --help succeeds on a good stdout, and names --version, as dgen(1) does
run 0 "$DGEN" cat --help
run 0 "$DGEN" --help
expect_out "'dgen --version'"
grep -q '^\.B dgen \\-\\-version$' "${top_srcdir:-.}/man/dgen.1" ||
	fail "dgen(1) does not list dgen --version"

# a reader that goes away is a failed write (3), silently; SIGPIPE is at
# its default in dgen whatever this shell was started with
{ env --default-signal=PIPE "$DGEN" cat 1G 2>"$work/err"; echo $? >"$work/status"; } |
	head -c1 >/dev/null
[ "$(cat "$work/status")" = 3 ] ||
	fail "dgen cat 1G | head -c1: dgen exited $(cat "$work/status"), expected 3"
[ ! -s "$work/err" ] || fail "a closed pipe made noise: $(cat "$work/err")"

# DGEN_SIMD that cannot be honoured is bad input naming the choices, for
# dgen and dgenfs alike (before anything is mounted)
run 2 env DGEN_SIMD=sse9 "$DGEN" info 1G
expect_err "DGEN_SIMD=sse9: unknown (choices: scalar, avx2, avx512"
run 2 env DGEN_SIMD=sse9 "${top_builddir:-.}/dgenfs" "$work"
expect_err "dgenfs: DGEN_SIMD=sse9: unknown (choices: scalar, avx2, avx512"
run 0 env DGEN_SIMD=scalar "$DGEN" --version
expect_out ", scalar)"
exit 0
