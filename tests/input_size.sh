#!/bin/sh
# SPDX-License-Identifier: MIT
# input_size.sh - dgen verify and dgen measure read a file to its end
# rather than trust its size (st_size): a /proc file (size 0, bytes to
# read) and a sysfs file (size 4096, a few bytes) are mismatches for
# verify and input errors for measure, each with a message that says so;
# verify refuses a FIFO without opening it (an open would wait for a
# writer), measure reads one to its end.
. "${top_srcdir:-.}/tests/cli_lib.sh"

# /proc: 0 bytes by its size, more by its reads
run 1 "$DGEN" verify /proc/self/status --as 0
expect_out "BAD      /proc/self/status: first bad offset 0"
expect_out "reads gave bytes past its size 0: it changed while read, or its size is not its length"
expect_out "verify: 0 ok, 1 bad"
run 1 "$DGEN" verify /proc/self/status --as 4K --json
expect_out '"read_past_size": true'
run 2 "$DGEN" measure /proc/self/status
expect_err "measure: /proc/self/status: reads gave bytes past its size 0"
expect_out "errors: 1 inputs or reads failed"
# read as a stream it is measured whole
cat /proc/self/status >"$work/status"
run 0 "$DGEN" measure --json - <"$work/status"
expect_out "\"bytes\": $(stat -c %s "$work/status"),"

# sysfs: 4096 bytes by its size, fewer by its reads
sysfs=/sys/devices/system/cpu/online
if [ -r "$sysfs" ] && [ "$(stat -c %s "$sysfs")" = 4096 ]; then
	len=$(wc -c <"$sysfs")
	run 1 "$DGEN" verify "$sysfs" --as 4K
	expect_out "reads ended at offset $len, short of its size 4096: it changed while read"
	run 2 "$DGEN" measure "$sysfs"
	expect_err "measure: $sysfs: reads ended at offset $len, short of its size 4096"
else
	echo "NOTE: no $sysfs of size 4096: the sysfs part is skipped"
fi

# a file that ends where its size says is still fine, empty or a whole
# number of chunks (the last read asks for a byte more)
: >"$work/empty"
run 0 "$DGEN" verify "$work/empty" --as 0
run 0 "$DGEN" measure "$work/empty"
"$DGEN" cat 8M >"$work/8M" || fail "dgen cat"
run 0 "$DGEN" verify "$work/8M" --as 8M
run 0 "$DGEN" measure "$work/8M"

# a FIFO: verify refuses it before any open, so it never waits for a
# writer.  An open by dgen would make a non-blocking open for writing
# succeed (a reader is there, waiting): that is the failure looked for
# until dgen has exited.
mkfifo "$work/fifo"
"$DGEN" verify "$work/fifo" --as 0 >"$work/out" 2>"$work/err" &
pid=$!
opened=no
while state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) &&
	[ -n "$state" ] && [ "$state" != Z ]; do
	if dd if=/dev/null of="$work/fifo" oflag=nonblock status=none 2>/dev/null; then
		opened=yes
		break
	fi
done
wait "$pid"
rc=$?
[ "$opened" = no ] || fail "dgen verify opened the FIFO: without a writer it waits for ever"
[ "$rc" = 2 ] || fail "dgen verify FIFO exited $rc, expected 2"
expect_err "verify: $work/fifo: not a regular file or block device"
# measure reads a FIFO as it reads a pipe: to its end
"$DGEN" cat 3M >"$work/fifo" &
run 0 "$DGEN" measure --json "$work/fifo"
wait $! || fail "dgen cat into the FIFO"
expect_out '"bytes": 3145728,'
exit 0
