#!/bin/bash
# SPDX-License-Identifier: MIT
# numa.sh - per-node worker pools, on topologies faked with -o numa_topology
# (CI machines have one node): every worker thread is pinned to its node's
# CPUs (read back from /proc/PID/task/*/status), -o numa_node puts every
# worker on that node, the per-node counters of the stats file add up to the
# totals, reads from a reader on another node are counted as remote, the
# bytes served are those of `dgen cat` in every mode, and bad options fail
# with a clear message before anything is mounted.
. "${top_srcdir:-.}/tests/mount_lib.sh"

MNT=$WORK/mnt
mounted=false

# mount_with OPTS: a fresh mount with -o OPTS (the previous one unmounted).
mount_with() {
	if $mounted; then unmount_dgenfs "$MNT"; fi
	mount_dgenfs "$MNT" -o "$1"
	mounted=true
	pid=$DAEMON_PID
}

# expand "0-2,5" -> "0 1 2 5"
expand() {
	local part out=()
	IFS=, read -ra parts <<<"$1"
	for part in "${parts[@]}"; do
		if [[ $part == *-* ]]; then
			out+=($(seq "${part%-*}" "${part#*-}"))
		else
			out+=("$part")
		fi
	done
	echo "${out[@]}"
}

# The CPUs of node N in a spec, expanded.
spec_cpus() {
	local entry
	IFS=';' read -ra entries <<<"$1"
	for entry in "${entries[@]}"; do
		if [ "${entry%%:*}" = "$2" ]; then
			expand "${entry#*:}"
			return
		fi
	done
	fail "node $2 is not in '$1'"
}

allowed_list=$(sed -n 's/^Cpus_allowed_list:\s*//p' /proc/self/status)
read -ra allowed <<<"$(expand "$allowed_list")"
ncpus=${#allowed[@]}
cpu() { echo "${allowed[$(($1 % ncpus))]}"; }

# workers_named N: the daemon has N or more threads named as workers.
workers_named() {
	local task n=0
	for task in /proc/"$pid"/task/*; do
		case $(cat "$task/comm" 2>/dev/null) in
		dgenfs-n*w* | dgenfs-w*) n=$((n + 1)) ;;
		esac
	done
	[ "$n" -ge "$1" ]
}

# check_workers SPEC EXPECT: every worker thread is pinned as its name says
# (dgenfs-nNwK: node N's CPUs in SPEC; dgenfs-wK: all allowed CPUs), and
# EXPECT ("0:2 1:2", or "-:2" for the unplaced pool) counts them per node.
check_workers() {
	local spec=$1 expect=$2 task comm node want have counts=""
	declare -A per_node=()
	# the mount serves before every worker has started (and a worker
	# names itself once placed): wait for as many as EXPECT counts
	poll_until "dgenfs has not named its workers (spec $spec)" \
		workers_named "$(echo "$expect" | tr ' ' '\n' | awk -F: '{ n += $2 } END { print n }')"
	for task in /proc/"$pid"/task/*; do
		comm=$(cat "$task/comm")
		case $comm in
		dgenfs-n*w*) node=${comm#dgenfs-n}; node=${node%w*}
			want=$(spec_cpus "$spec" "$node") ;;
		dgenfs-w*) node=-; want=${allowed[*]} ;;
		*) continue ;;
		esac
		have=$(expand "$(sed -n 's/^Cpus_allowed_list:\s*//p' "$task/status")")
		[ "$have" = "$want" ] ||
			fail "$comm (spec $spec) runs on CPUs '$have', not '$want'"
		per_node[$node]=$((${per_node[$node]:-0} + 1))
	done
	for node in $(printf '%s\n' "${!per_node[@]}" | sort -n); do
		counts="$counts${counts:+ }$node:${per_node[$node]}"
	done
	[ "$counts" = "$expect" ] || fail "workers per node (spec $spec): '$counts', expected '$expect'"
}

# stat_field KEY: a total from the stats file.
stat_field() { awk -v k="$1" '$1 == k { print $2 }' "$WORK/stats"; }

# check_stats: node lines add up to the totals, worker lines to node lines.
check_stats() {
	cp "$MNT/.dgenfs/stats" "$WORK/stats" || fail "cannot read stats"
	for key in requests reads bytes; do
		local total nodes workers
		total=$(stat_field "$key")
		nodes=$(awk -v k="$key" '$1 == "node" { for (i = 3; i < NF; i++) if ($i == k) s += $(i + 1) } END { print s + 0 }' "$WORK/stats")
		workers=$(awk -v k="$key" '$1 == "worker" { for (i = 3; i < NF; i++) if ($i == k) s += $(i + 1) } END { print s + 0 }' "$WORK/stats")
		[ -n "$total" ] && [ "$total" = "$nodes" ] && [ "$total" = "$workers" ] ||
			fail "stats $key: total '$total', nodes $nodes, workers $workers"
	done
	[ "$(stat_field reads)" -gt 0 ] || fail "stats count no reads"
}

# node_field NODE KEY: a counter of one node line.
node_field() {
	awk -v n="$1" -v k="$2" '$1 == "node" && $2 == n { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$WORK/stats"
}

# check_content: files read in parallel (many workers) equal `dgen cat`.
check_content() {
	local readers=""
	for i in 1 2 3 4; do
		cat "$MNT/3M-d2-c2-s$i" >"$WORK/got.$i" &
		readers="$readers $!"
	done
	for reader in $readers; do
		wait "$reader" || fail "reading 3M-d2-c2-s* failed"
	done
	for i in 1 2 3 4; do
		same_bytes "$WORK/got.$i" "3M-d2-c2-s$i"
	done
	dd if="$MNT/5M-s9" of="$WORK/got.dd" bs=1M status=none
	same_bytes "$WORK/got.dd" 5M-s9
}

two="0:$(cpu 0);1:$(cpu 1)"
four="0:$(cpu 0);1:$(cpu 1);2:$(cpu 2);3:$(cpu 3)"

# Detected topology: one pool per node with a worker per CPU, or on a
# one-node machine (CI) one unplaced pool.
mount_with "numa=auto"
check_content
check_stats
detected=$(sed -n 's/^topology //p' "$WORK/stats")
case $detected in
*faked*) fail "detected topology shown as faked: $detected" ;;
*';'*)	expect=""
	IFS=';' read -ra entries <<<"$detected"
	for entry in "${entries[@]}"; do
		read -ra node_cpus <<<"$(expand "${entry#*:}")"
		expect="$expect${expect:+ }${entry%%:*}:${#node_cpus[@]}"
	done
	check_workers "$detected" "$expect" ;;
*)	check_workers "" "-:$ncpus" ;;
esac

# Two and four faked nodes: one pool per node, one worker per node CPU.
mount_with "numa_topology=$two"
check_workers "$two" "0:1 1:1"
check_content
check_stats
grep -qx "topology $two (faked)" "$WORK/stats" || fail "stats lack 'topology $two (faked)'"
# Memory is bound only to nodes this process may really allocate on.
mems=" $(expand "$(sed -n 's/^Mems_allowed_list:\s*//p' /proc/self/status)") "
for node in 0 1; do
	want=plain
	[[ $mems == *" $node "* ]] && want=bound
	[ "$(node_field $node memory)" = $want ] || fail "node $node: memory $(node_field $node memory), expected $want"
done

mount_with "numa_topology=$four,threads=2"
check_workers "$four" "0:2 1:2 2:2 3:2"
check_content
check_stats

# numa_node: every worker on that node.
mount_with "numa_topology=$four,numa_node=2,threads=3"
check_workers "$four" "2:3"
check_content
check_stats

# numa=off: one unplaced pool even with several nodes.
mount_with "numa_topology=$two,numa=off,threads=3"
check_workers "$two" "-:3"
check_content
check_stats

# Remote reads: workers on node 0 only; a reader on node 1's CPU is remote,
# one on node 0's CPU is not.  Needs two distinct CPUs.
if [ "$ncpus" -ge 2 ]; then
	for reader in 1 0; do
		mount_with "numa_topology=$two,numa_node=0"
		taskset -c "$(cpu "$reader")" dd if="$MNT/4M-s1" of=/dev/null bs=1M 2>/dev/null ||
			fail "pinned reader failed"
		check_stats
		sampled=$(node_field 0 sampled)
		remote=$(node_field 0 remote)
		[ "${sampled:-0}" -ge 1 ] || fail "no read sampled for its reader's node"
		if [ "$reader" = 1 ]; then
			[ "$remote" = "$sampled" ] || fail "reader on node 1: remote $remote of $sampled sampled"
		else
			[ "$remote" = 0 ] || fail "reader on node 0: remote $remote of $sampled sampled"
		fi
	done

	# The detected topology honours the CPUs the daemon may use (taskset
	# here, a cgroup cpuset in a container): started on one CPU, it sees
	# and uses that CPU only.
	taskset -pc "$(cpu 1)" $$ >/dev/null
	mount_with "threads=2"
	taskset -pc "$allowed_list" $$ >/dev/null
	check_content
	check_stats
	grep -qx "topology [0-9]*:$(cpu 1)" "$WORK/stats" ||
		fail "under taskset -c $(cpu 1): $(grep topology "$WORK/stats")"
	allowed=("$(cpu 1)")
	check_workers "" "-:2"
	read -ra allowed <<<"$(expand "$allowed_list")"

	# A CPU list with commas, escaped for -o as libfuse wants.
	spec="0:$(cpu 0),$(cpu 1);1:$(cpu 1)"
	mount_with "numa_topology=${spec//,/\\,}"
	check_workers "$spec" "0:2 1:1"
fi
unmount_dgenfs "$MNT"

# Bad options: a clear message, a usage exit status, nothing mounted.
bad() {
	local opts=$1 reason=$2 rc=0
	"$DGENFS" -f -c none -o "$opts" "$MNT" 2>"$WORK/err" || rc=$?
	if mountpoint -q "$MNT"; then fusermount3 -u "$MNT"; fail "-o $opts mounted"; fi
	[ "$rc" = 2 ] || fail "-o $opts: exit status $rc, expected 2: $(cat "$WORK/err")"
	grep -qF -- "$reason" "$WORK/err" || fail "-o $opts: '$(cat "$WORK/err")' lacks '$reason'"
}
bad "numa=sometimes" "numa=sometimes: expected auto or off"
bad "numa_topology=0:0;0:1" "node 0 listed twice"
bad "numa_topology=0:0;1:" "node 1: empty CPU list"
bad "numa_topology=0:3-1" "range 3-1 is descending"
bad "numa_topology=" "empty topology"
bad "numa_topology=0:1023" "none of its CPUs (1023) may be used"
bad "numa_topology=$two,numa_node=7" "numa_node=7: no such node"
bad "numa_node=x" "numa_node=x"
bad "numa=off,numa_node=0" "numa_node=0 needs numa=auto"
exit 0
