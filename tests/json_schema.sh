#!/bin/sh
# SPDX-License-Identifier: MIT
# json_schema.sh - every dgen command's --json held to its schema in
# docs/json/ (tests/json_validate.py, python3-jsonschema): info of a name
# and of a dataset's shard and file, cat's summary on stderr and in a
# --json=FILE, verify of a good file, a bad one and a dataset's shard,
# measure (also its --profile-stats and --against), learn, write of a
# file and of a shard; paths with a 0xFF byte (the
# document is still UTF-8, and KEY_bytes gives the raw path back), and
# failing runs (bad arguments, a missing file, an unknown command, a bad
# name, a full device): a JSON document on stdout (cat: stderr) every
# time, never nothing.  /.dgenfs/stats.json is held to its schema by
# tests/mount_shard.sh.  SKIPs only without python3-jsonschema (CI has it).
. "${top_srcdir:-.}/tests/cli_lib.sh"
SCHEMAS=${top_srcdir:-.}/docs/json

VPY=$(python_with jsonschema)
if [ -z "$VPY" ]; then
	[ "${CI:-}" = true ] && fail "python3-jsonschema is missing in CI (.ci/install-deps installs it)"
	echo "SKIP: python3-jsonschema is missing (apt-get install python3-jsonschema)"
	exit 77
fi

# valid KIND FILE: FILE holds exactly one document, valid against KIND's
# schema (error.schema.json where it is an error)
valid() {
	[ "$(wc -l <"$2")" = 1 ] || { cat "$2" >&2; fail "$1: not one line of JSON in $2"; }
	"$VPY" "${top_srcdir:-.}/tests/json_validate.py" "$SCHEMAS" "$1" "$2" >&2 ||
		fail "$1: $(cat "$2")"
}
# field KEY [FILE]: a top-level member of the last document, as Python prints it
field() {
	"$VPY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
		"${2:-$work/out}" "$1"
}
# is_error STATUS [FILE]: the document is the error object, with STATUS
is_error() {
	valid verify "${2:-$work/out}"
	[ "$(field exit_status "${2:-}")" = "$1" ] || fail "error status: $(cat "${2:-$work/out}")"
	field message "${2:-}" >/dev/null || fail "no message: $(cat "${2:-$work/out}")"
}

cp "${top_srcdir:-.}/tests/verify_docs.conf" "$work/conf"
odd=$(printf '%s/odd\377name' "$work")

# ---- info ----
run 0 "$DGEN" info 1M-d2-c3 --json
valid info "$work/out"
run 0 "$DGEN" info 96M-d2-c3-g3-r20% --json
valid info "$work/out"
run 0 "$DGEN" info --dataset docs -c "$work/conf" --seed 5 --shard 1/4 --file d0/d00/f000.bin --json
valid info "$work/out"
"$VPY" - "$work/out" <<'PY' || fail "info: shard and seeds"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["shard"]["index"] == 1 and d["shard"]["count"] == 4, d["shard"]
assert d["base_seed"] == "5" and d["file"]["path"] == "d0/d00/f000.bin", d
PY
# a dataset's generations (docs/GENERATIONS-DATASETS.md)
printf '[dataset nightly]\nfiles = 300\nfile_size_min = 4KiB\nfile_size_max = 1MiB\ndedup = 2\nchange_rate = 2%%\nfile_add_rate = 1%%\nfile_delete_rate = 0.5%%\n' \
	>"$work/gens.conf"
run 0 "$DGEN" info --dataset nightly -c "$work/gens.conf" --generation 3 --json
valid info "$work/out"
"$VPY" - "$work/out" <<'PY' || fail "info: generations"
import json, sys
g = json.load(open(sys.argv[1]))["generations"]
assert g["generation"] == 3 and g["change_rate"] == 0.02, g
assert [p["generation"] for p in g["per_generation"]] == [0, 1, 2, 3], g
assert len(g["per_generation"][1]["new"]) == 11 and len(g["per_generation"][1]["cumulative"]) == 11
PY

# ---- cat: the data on stdout, the summary on stderr or in FILE ----
"$DGEN" cat 3M-d2 --seed 9 --json >"$work/data" 2>"$work/err" || fail "cat --json"
[ "$(stat -c %s "$work/data")" = 3145728 ] || fail "cat --json: the data"
valid cat "$work/err"
[ "$(field bytes "$work/err")" = 3145728 ] && [ "$(field seed "$work/err")" = 9 ] ||
	fail "cat: $(cat "$work/err")"
"$DGEN" cat 1M --json="$work/cat.json" >/dev/null 2>"$work/err" || fail "cat --json=FILE"
[ -s "$work/err" ] && fail "cat --json=FILE wrote to stderr: $(cat "$work/err")"
valid cat "$work/cat.json"

# ---- verify: a good file whose path holds 0xFF, a bad one, a shard ----
cp "$work/data" "$odd"
run 0 "$DGEN" verify "$odd" --as 3M-d2 --seed 9 --json
valid verify "$work/out"
"$VPY" - "$work/out" "$odd" <<'PY' || fail "verify: the raw path"
import base64, json, os, sys
d = json.load(open(sys.argv[1]))
raw = os.fsencode(sys.argv[2])
assert base64.b64decode(d["path_bytes"]) == raw, d
assert d["path"] == raw.decode("utf-8", "replace") and "\ufffd" in d["path"], d
e, = d["entries"]
assert base64.b64decode(e["path_bytes"]) == raw and e["status"] == "ok", e
assert d["seed"] == "9" and d["shard"] is None, d
PY
printf x | dd of="$odd" bs=1 seek=5000 conv=notrunc 2>/dev/null
run 1 "$DGEN" verify "$odd" --as 3M-d2 --seed 9 --json
valid verify "$work/out"
[ "$(field bad)" = 1 ] || fail "verify: the bad file"
"$DGEN" write --dataset docs -c "$work/conf" --seed 5 --shard 2/4 "$work/part" --json \
	>"$work/out" 2>"$work/err" || fail "write a shard: $(cat "$work/err")"
valid write "$work/out"
run 0 "$DGEN" verify "$work/part" --dataset docs -c "$work/conf" --seed 5 --shard 2/4 --json
valid verify "$work/out"
"$VPY" - "$work/out" <<'PY' || fail "verify: a shard"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["shard"] == {"index": 2, "count": 4} and d["seed"] == "5", d
assert d["ok"] > 0 and d["entries"] == [] and "startup_seconds" in d, d
PY
# --json=FILE: stdout is empty, the document in FILE
run 0 "$DGEN" verify "$work/data" --as 3M-d2 --seed 9 --json="$work/v.json"
[ -s "$work/out" ] && fail "verify --json=FILE wrote to stdout"
valid verify "$work/v.json"

# ---- measure and write, on paths with 0xFF ----
run 0 "$DGEN" measure "$odd" "$work/data" --json
valid measure "$work/out"
run 0 "$DGEN" write 2M-d2-c2 "$odd.w" --seed 3 --json
valid write "$work/out"
[ "$(field seed)" = 3 ] || fail "write: seed"
run 0 "$DGEN" learn "$odd" "$work/data" -o "$odd.profile" --json
valid learn "$work/out"
run 0 "$DGEN" measure "$odd" --sample 1M --profile-stats --json
valid measure "$work/out"
run 0 "$DGEN" measure "$odd" --sample 1M --against "$odd.profile" --json
valid measure "$work/out"

# ---- failures: one JSON document, never an empty stdout ----
run 2 "$DGEN" verify "$work/missing" --as 1M --json
is_error 2
run 2 "$DGEN" verify "$odd" --json
is_error 2
run 2 "$DGEN" verify --no-such-option --json "$odd"
is_error 2
run 2 "$DGEN" info 1Q-d2 --json
is_error 2
run 2 "$DGEN" measure "$work/missing" --json
valid measure "$work/out"
run 2 "$DGEN" learn "$work/missing" -o "$work/m.profile" --json
is_error 2
run 2 "$DGEN" wrtie 1M "$work/x" --json
is_error 2
run 2 "$DGEN" write --dataset nosuch -c "$work/conf" "$work/x" --json
is_error 2
"$DGEN" cat 1Q --json >"$work/out" 2>"$work/err" && fail "cat of a bad name succeeded"
[ -s "$work/out" ] && fail "cat of a bad name wrote data"
grep '^{' "$work/err" >"$work/err.json"
is_error 2 "$work/err.json"
rc=0
"$DGEN" cat 1M --json >/dev/full 2>"$work/err" || rc=$?
[ "$rc" = 3 ] || fail "cat to a full device: exit $rc"
grep '^{' "$work/err" >"$work/err.json"
is_error 3 "$work/err.json"
# an error whose message holds the 0xFF byte is still UTF-8
run 2 "$DGEN" verify "$odd.none" --as 1M --json
is_error 2
field message_bytes >/dev/null || fail "the message's raw bytes: $(cat "$work/out")"
# a full device: write's own document, exit status 3
run 3 "$DGEN" write 5M /dev/full --force --threads 1 --json
valid write "$work/out"
exit 0
