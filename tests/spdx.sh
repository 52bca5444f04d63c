#!/bin/sh
# SPDX-License-Identifier: MIT
# spdx.sh - every source file of libdgen and its public header carries the
# SPDX line (README.md says all sources do) in its first three lines.
top=${top_srcdir:-.}
missing=$(find "$top/src/lib" "$top/include" -name '*.[ch]' | sort |
	while read -r f; do
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
	done)
[ -z "$missing" ] || { echo "FAIL: no SPDX line in: $missing" >&2; exit 1; }
exit 0
