# SPDX-License-Identifier: MIT
# generations_lib.sh - what restic and borg really keep of each generation
# of a name (issue 21, docs/GENERATIONS.md), beside what dgen info
# predicts: sourced by tests/generations_tools.sh and
# bench/bench_generations.sh.  Not a test itself.
#   gen_growth TOOL NAME LAST RATE
#       backs NAME-gG-rRATE up for G = 0 .. LAST, read from dgen cat, into
#       one fresh repository of TOOL (restic: repository format 1, no
#       compression; borg: no encryption, no compression) and prints one
#       line per generation: "G PREDICTED MEASURED", the bytes dgen info
#       --json predicts the store keeps of generation G beyond the ones
#       before, and the bytes the repository grew by.  Runs in a subshell
#       with its own temporary directory, removed however it ends; 77 when
#       the tool or python3 is missing.
# Needs $DGEN (the dgen to run).

gen_growth() (
	tool=$1 name=$2 last=$3 rate=$4
	for t in "$tool" python3; do
		command -v "$t" >/dev/null 2>&1 || { echo "generations_lib: $t is not installed" >&2; exit 77; }
	done
	dir=$(mktemp -d "${TMPDIR:-/tmp}/gen_growth.XXXXXX") || exit 1
	trap 'rm -rf "$dir"' EXIT
	trap 'exit 1' HUP INT TERM
	export RESTIC_PASSWORD=dgenfs RESTIC_CACHE_DIR="$dir/cache" BORG_BASE_DIR="$dir/home"
	export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes
	"$DGEN" info "$name-g$last-r$rate" --json >"$dir/info.json" || exit 1
	case $tool in
	restic) restic init -q --repository-version 1 -r "$dir/repo" >/dev/null || exit 1 ;;
	borg) borg init --encryption none "$dir/repo" || exit 1 ;;
	*) echo "generations_lib: no tool $tool" >&2; exit 1 ;;
	esac
	mkfifo "$dir/fifo" || exit 1
	before=0 g=0
	while [ "$g" -le "$last" ]; do
		"$DGEN" cat "$name-g$g-r$rate" >"$dir/fifo" &
		case $tool in
		restic)
			# the generation in a file of one name, as a nightly backup sees it
			restic backup -q -r "$dir/repo" --stdin --stdin-filename data <"$dir/fifo" >/dev/null &&
			after=$(restic stats -q -r "$dir/repo" --mode raw-data --json |
				python3 -c 'import json,sys; print(json.load(sys.stdin)["total_size"])')
			;;
		borg)
			borg create --compression none "$dir/repo::g$g" - <"$dir/fifo" &&
			after=$(borg info --json "$dir/repo" |
				python3 -c 'import json,sys; print(json.load(sys.stdin)["cache"]["stats"]["unique_size"])')
			;;
		esac || exit 1
		wait $! || exit 1
		python3 - "$dir/info.json" "$tool" "$g" "$((after - before))" <<'PY' || exit 1
import json, sys
rows = json.load(open(sys.argv[1]))["generations"]["per_generation"]
g = int(sys.argv[3])
want = [n["bytes"] for n in rows[g]["new"] if n["store"] == sys.argv[2]][0]
print(g, want, sys.argv[4])
PY
		before=$after
		g=$((g + 1))
	done
)
