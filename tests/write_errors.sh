#!/bin/sh
# SPDX-License-Identifier: MIT
# write_errors.sh - a write that fails stops dgen write with the path, the
# offset and the errno, exit status 3: /dev/full, and a small tmpfs that
# fills up in the middle of a file and of a dataset (as root; that part is
# skipped with a note where tmpfs cannot be mounted).
. "${top_srcdir:-.}/tests/cli_lib.sh"

run 3 "$DGEN" write 5M /dev/full --force --threads 1
expect_err "/dev/full: write at offset 0 failed: No space left on device (errno 28)"
expect_out "stopped by an I/O error"
run 3 "$DGEN" write 5M /dev/full --force --iodepth 8 --json
expect_err "/dev/full: write at offset "
expect_out '"errors": 1,'

small=$work/small
mkdir "$small"
if ! mount -t tmpfs -o size=1M dgen-test "$small" 2>/dev/null; then
	echo "NOTE: cannot mount a tmpfs here: the full-filesystem part is skipped"
	exit 0
fi
trap 'umount "$small"; rm -rf "$work"' EXIT
# one thread, 64 KiB pieces: the first write past the 1 MiB fails
run 3 "$DGEN" write 4M-c2 "$small/big" --threads 1 --block 64K
expect_err "$small/big: write at offset 1048576 failed: No space left on device (errno 28)"
rm -f "$small/big"
# any number of threads: the first failure is reported, with its offset
run 3 "$DGEN" write 4M "$small/big" --threads 4 --block 64K --iodepth 4
grep -qE "$small/big: write at offset [0-9]+ failed: No space left on device \\(errno 28\\)" \
	"$work/err" || { cat "$work/err" >&2; fail "no offset and errno"; }
[ "$(grep -c "write at offset" "$work/err")" = 1 ] || fail "more than one error reported"
rm -f "$small/big"
cat >"$work/conf" <<'CONF'
[dataset many]
files = 64
file_size = 64KiB
compress = 2
unit = 4KiB
CONF
run 3 "$DGEN" write --dataset many -c "$work/conf" "$small/many"
expect_err "$small/many/"
expect_err "No space left on device (errno 28)"
exit 0
