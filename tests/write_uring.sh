#!/bin/sh
# SPDX-License-Identifier: MIT
# write_uring.sh - dgen write's io_uring queue does not ignore what
# io_uring_submit says.  tests/uring_shim.so (LD_PRELOAD) makes the
# submissions fail as the kernel can: EAGAIN, EINTR and EBUSY a few times
# (retried: the file is written whole and right), or EINVAL or EAGAIN for
# good (a write failure: exit 3 with the path, the offset and the errno).
# An ignored failure leaves a thread waiting for a completion that cannot
# come; the shim turns that wait into exit status 99 rather than a hang.
# SKIPs where dgen writes without io_uring (no liburing, or a kernel that
# refuses it).
. "${top_srcdir:-.}/tests/cli_lib.sh"

SHIM=${top_builddir:-.}/tests/.libs/uring_shim.so
[ -f "$SHIM" ] || fail "no $SHIM (make check builds it)"
SHIM=$(cd "$(dirname "$SHIM")" && pwd)/uring_shim.so
# a sanitizer build: the shim comes before the ASan runtime
case "${ASAN_OPTIONS:-}" in
?*) export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0" ;;
esac

run 0 "$DGEN" write 1M "$work/probe" --iodepth 2 --threads 1
grep -q "io_uring depth 2" "$work/out" ||
	{ echo "SKIP: dgen writes without io_uring here: $(cat "$work/err")"; exit 77; }

# shim FAILS THEN dgen ARGS...: dgen under the shim
shim() {
	fails=$1 then=$2
	shift 2
	env LD_PRELOAD="$SHIM" URING_SHIM_FAILS="$fails" URING_SHIM_THEN="$then" "$@"
}

# refused three times, then taken: one piece, so nothing else submits the
# entry; then many pieces in flight
run 0 shim 3 pass "$DGEN" write 256K "$work/one" --iodepth 2 --threads 1
"$DGEN" cat 256K | cmp - "$work/one" || fail "the retried write differs"
run 0 shim 7 pass "$DGEN" write 9000000 "$work/many" --iodepth 4 --threads 1 --block 64K
"$DGEN" cat 9000000 | cmp - "$work/many" || fail "the retried writes differ"
# refused a few times, then with EINVAL for good: a write failure
run 3 shim 3 EINVAL "$DGEN" write 4M "$work/bad" --iodepth 4 --threads 1
expect_err "dgen: write: $work/bad: write at offset 0 failed: Invalid argument (errno 22)"
expect_out "stopped by an I/O error"
# busy for good: retried, then a write failure too
run 3 shim 0 EAGAIN "$DGEN" write 4M "$work/busy" --iodepth 4 --threads 1 --direct
expect_err "dgen: write: $work/busy: write at offset 0 failed: Resource temporarily unavailable (errno 11)"
exit 0
