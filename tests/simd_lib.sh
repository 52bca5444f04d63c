# SPDX-License-Identifier: MIT
# simd_lib.sh - run the content tests (test_content, test_format2) with
# DGEN_SIMD set to one path; sourced by tests/simd_<path>.sh.  A path this
# CPU lacks is a SKIP that names it, so make check's summary shows it.
. "${top_srcdir:-.}/tests/cli_lib.sh"

simd_run() {
	path=$1
	if ! DGEN_SIMD=$path "$DGEN" --version >"$work/version" 2>"$work/err"; then
		echo "NOT RUN: the $path path is untested on this machine:" >&2
		cat "$work/err" >&2
		exit 77
	fi
	grep -qF ", $path)" "$work/version" ||
		fail "DGEN_SIMD=$path: dgen reports '$(cat "$work/version")'"
	for t in test_content test_format2; do
		echo "== DGEN_SIMD=$path tests/$t"
		DGEN_SIMD=$path "${top_builddir:-.}/tests/$t" ||
			fail "tests/$t under DGEN_SIMD=$path"
	done
}
