#!/bin/sh
# SPDX-License-Identifier: MIT
# verify_file.sh - dgen verify PATH --as NAME: an exact copy passes, and a
# flipped byte, a truncation, an append and two swapped units are each
# reported at the right offset with exit status 1, in text and in JSON;
# bad input exits 2.
. "${top_srcdir:-.}/tests/cli_lib.sh"
PYTHON=${PYTHON:-python3}

name=9000000-d2-c3-s7	# not a multiple of 4 KiB: a partial last unit
size=9000000
"$DGEN" cat "$name" >"$work/good" || fail "dgen cat"
[ "$(stat -c %s "$work/good")" = $size ] || fail "dgen cat wrote the wrong size"

# an exact copy, with one thread and with several
for t in 1 3; do
	run 0 "$DGEN" verify "$work/good" --as "$name" --threads $t
	expect_out "OK       $work/good ($size bytes)"
	expect_out "verify: 1 ok, 0 bad"
done

# one flipped byte in the second 4 MiB chunk
cp "$work/good" "$work/bad"
printf '\377' | dd of="$work/bad" bs=1 seek=5000017 conv=notrunc 2>/dev/null
cmp -s "$work/good" "$work/bad" && { printf '\0' | dd of="$work/bad" bs=1 seek=5000017 conv=notrunc 2>/dev/null; }
cmp -s "$work/good" "$work/bad" && fail "could not corrupt the copy"
run 1 "$DGEN" verify "$work/bad" --as "$name"
expect_out "first bad offset 5000017, 1 of 2198 4 KiB units bad"
expect_out "bad units (offset / 4096): 1220"

# truncated in the middle of a unit: the rest of it and all later units
cp "$work/good" "$work/bad"
truncate -s 1000000 "$work/bad"
run 1 "$DGEN" verify "$work/bad" --as "$name"
expect_out "first bad offset 1000000, 1954 of 2198 4 KiB units bad"
expect_out "bad units (offset / 4096): 244-253 (first 10 of 1954)"
expect_out "size 1000000, expected $size: 8000000 bytes missing"

# bytes appended after the partial last unit
cp "$work/good" "$work/bad"
head -c 10000 /dev/zero >>"$work/bad"
run 1 "$DGEN" verify "$work/bad" --as "$name"
expect_out "first bad offset $size, 3 of 2200 4 KiB units bad"
expect_out "bad units (offset / 4096): 2197-2199"
expect_out "10000 extra bytes"

# units 3 and 1500 swapped (4 KiB each): both reported, the first at 12288
cp "$work/good" "$work/bad"
dd if="$work/good" of="$work/bad" bs=4096 skip=3 seek=1500 count=1 conv=notrunc 2>/dev/null
dd if="$work/good" of="$work/bad" bs=4096 skip=1500 seek=3 count=1 conv=notrunc 2>/dev/null
run 1 "$DGEN" verify "$work/bad" --as "$name" --threads 2
# the first differing byte: pieces may share leading bytes (format 3's
# phrases draw on a small alphabet), so ask cmp rather than assume 12288
first=$(cmp "$work/good" "$work/bad" | sed -n 's/.* byte \([0-9]*\),.*/\1/p')
[ -n "$first" ] && [ "$first" -gt 12288 ] && [ "$first" -le 16384 ] ||
	fail "cmp: first difference at byte '$first', not in unit 3"
expect_out "first bad offset $((first - 1)), 2 of 2198 4 KiB units bad"
expect_out "bad units (offset / 4096): 3, 1500"

# the right bytes under the wrong name or seed
run 1 "$DGEN" verify "$work/good" --as 9000000-d2-c3-s8
expect_out "first bad offset 0,"
run 1 "$DGEN" verify "$work/good" --as "$name" --seed 1

# --list caps the listed units, and --direct works or falls back with a notice
cp "$work/good" "$work/bad"
truncate -s 0 "$work/bad"
run 1 "$DGEN" verify "$work/bad" --as "$name" --list 2
expect_out "bad units (offset / 4096): 0-1 (first 2 of 2198)"
run 0 "$DGEN" verify "$work/good" --as "$name" --direct

# --json: one document, whatever the file's name holds
odd="$work/we\"ird\\	name"
cp "$work/good" "$odd"
run 0 "$DGEN" verify "$odd" --as "$name" --json
"$PYTHON" - "$work/out" "$odd" "$name" $size <<'PY' || fail "JSON of a good file"
import json, sys
doc = json.load(open(sys.argv[1]))
path, name, size = sys.argv[2], sys.argv[3], int(sys.argv[4])
assert (doc["command"], doc["path"], doc["as"], doc["dataset"], doc["shard"]) == \
    ("verify", path, name, None, None), doc
assert doc["entries"] == [{"path": path, "status": "ok", "size": size}], doc
assert (doc["ok"], doc["bad"], doc["bytes"], doc["exit_status"]) == (1, 0, size, 0), doc
assert doc["cpu_seconds"] >= 0 and doc["bytes_per_second"] >= 0 and doc["seed"] == "0"
PY
truncate -s 0 "$work/bad"
run 1 "$DGEN" verify "$work/bad" --as "$name" --json --list 2
"$PYTHON" - "$work/out" "$work/bad" $size <<'PY' || fail "JSON of a bad file"
import json, sys
doc = json.load(open(sys.argv[1]))
e, = doc["entries"]
assert e == {"path": sys.argv[2], "status": "bad", "size": 0,
             "expected_size": int(sys.argv[3]), "first_bad_offset": 0,
             "bad_units": 2198, "units": 2198, "listed_units": [0, 1]}, e
assert (doc["ok"], doc["bad"], doc["exit_status"]) == (0, 1, 1), doc
PY

# bad input: exit 2 with a reason
run 2 "$DGEN" verify "$work/missing" --as "$name"
expect_err "No such file or directory"
run 2 "$DGEN" verify "$work/good" --as 9000000-q5
expect_err "bad name"
run 2 "$DGEN" verify "$work" --as "$name"
expect_err "Is a directory"
run 2 "$DGEN" verify "$work/good"
run 2 "$DGEN" verify "$work/good" --as "$name" --threads 0

# progress: forced on a pipe, and silenced
run 0 "$DGEN" verify "$work/good" --as "$name" --progress
expect_err "verify: 8.583 MiB / 8.583 MiB (100%)"
run 0 "$DGEN" verify "$work/good" --as "$name" --quiet
[ -s "$work/err" ] && fail "--quiet still printed: $(cat "$work/err")"
run 0 "$DGEN" cat "$name" --progress
expect_err "cat: 8.583 MiB / 8.583 MiB (100%)"
exit 0
