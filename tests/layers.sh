#!/bin/sh
# SPDX-License-Identifier: MIT
# layers.sh - libdgen's files call one way down: from the symbols each
# object file of the library defines and uses (nm), the graph of which
# file calls (or reads data of) which, and a failure, printing the cycle,
# if any file reaches itself through it.  Prints the graph's edges, one
# "caller -> callee" a line, as docs/ARCHITECTURE.md's layers draw them.
#
# Not here: calls through function pointers (the format table, the SIMD
# variants), which are no link-time edge: a table is data its users read.
set -eu
build=${top_builddir:-.}
NM=${NM:-nm}
objs=$(find "$build/src/lib" -path '*/.libs/libdgen_la-*.o' | sort)
[ -n "$objs" ] || { echo "FAIL: no libdgen objects under $build/src/lib (make first)" >&2; exit 1; }
for o in $objs; do
	# the node's name: its source path below src/lib, without the prefix
	dir=$(dirname "$(dirname "$o")")
	rel=${dir#"$build/src/lib"}
	rel=${rel#/}
	node=${rel:+$rel/}$(basename "$o" .o | sed 's/^libdgen_la-//')
	$NM "$o" | awk -v node="$node" '
		$1 == "U" { print "U", node, $2; next }
		NF == 3 && $2 ~ /^[TDBRVWG]$/ { print "D", node, $3 }'
done | awk '
	$1 == "D" { def[$3] = $2; nodes[$2] = 1; next }
	{ use[++n] = $2 SUBSEP $3; nodes[$2] = 1 }
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], p, SUBSEP)
			if (!(p[2] in def) || def[p[2]] == p[1])
				continue
			e = p[1] SUBSEP def[p[2]]
			if (!(e in edge)) {
				edge[e] = p[2]
				out[p[1]] = out[p[1]] " " def[p[2]]
			}
		}
		for (e in edge) {
			split(e, p, SUBSEP)
			printf "%s -> %s (%s)\n", p[1], p[2], edge[e] | "sort"
		}
		close("sort")
		# depth-first search; a grey node met again closes a cycle
		bad = 0
		for (v in nodes)
			if (!colour[v])
				bad += dfs(v, 0)
		exit bad ? 1 : 0
	}
	function dfs(v, depth,   k, a, m, w, c, i, cyc) {
		colour[v] = 1
		stack[depth] = v
		m = split(out[v], a, " ")
		c = 0
		for (k = 1; k <= m; k++) {
			w = a[k]
			if (colour[w] == 1) {
				# w is on the stack: the path from it to v, then w
				for (i = depth; stack[i] != w; i--)
					;
				for (cyc = ""; i <= depth; i++)
					cyc = cyc stack[i] " -> "
				printf "FAIL: call cycle: %s%s\n", cyc, w > "/dev/stderr"
				c++
			} else if (!colour[w])
				c += dfs(w, depth + 1)
		}
		colour[v] = 2
		return c
	}'
