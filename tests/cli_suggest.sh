#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_suggest.sh - "did you mean": a mistyped command or long option gets
# the nearest one, a name that does not parse gets the mended name when a
# usual slip explains it (and that name parses), and nothing is suggested
# where nothing is near; the exit status stays 2 (bad input) throughout.
. "${top_srcdir:-.}/tests/cli_lib.sh"

# suggests WANT CMD...: CMD exits 2 and says "did you mean 'WANT'?"
suggests() {
	hint=$1
	shift
	run 2 "$@"
	expect_err "dgen: did you mean '$hint'?"
	[ "$(grep -c 'did you mean' "$work/err")" = 1 ] ||
		fail "'$*': more than one suggestion: $(cat "$work/err")"
}
# no_suggestion CMD...: CMD exits 2 and suggests nothing
no_suggestion() {
	run 2 "$@"
	! grep -q 'did you mean' "$work/err" || fail "'$*' suggested: $(cat "$work/err")"
}

# commands
suggests write "$DGEN" wrtie 1M "$work/f"
suggests verify "$DGEN" verfy x --as 1M
suggests info "$DGEN" inf 1M
no_suggestion "$DGEN" frobnicate
no_suggestion "$DGEN" ls

# long options, of every command
suggests --json "$DGEN" info --jsn 1M
suggests --offset "$DGEN" cat --ofset 1 1M
suggests --dataset "$DGEN" verify --dataest docs "$work"
suggests --json "$DGEN" measure --josn "$work"
suggests --threads "$DGEN" write --threds=2 1M "$work/f"
no_suggestion "$DGEN" info --frobnicate 1M
# an ambiguous prefix: getopt lists the choices itself
no_suggestion "$DGEN" info --s 1M
# a missing argument is not a misspelling
no_suggestion "$DGEN" info 1M --seed

# names: each slip, and several at once; the suggestion itself parses
while read -r bad good; do
	suggests "$good" "$DGEN" info "$bad"
	expect_err "bad name '$bad'"
	run 0 "$DGEN" info "$good"
done <<'EOF'
1GB-d2c3 1GB-d2-c3
1gb-d2-c3 1GB-d2-c3
1GIB-D2-C3 1GiB-d2-c3
1G_d2_c3 1G-d2-c3
1G-d2x-c3 1G-d2-c3
1G-d2:1 1G-d2
1Gd2c3@zstd 1G-d2-c3@zstd
1G-c1.5d2.bin 1G-c1.5-d2.bin
4kib-s7 4KiB-s7
EOF
# the same for the other commands that take a name
suggests 1M-d2-c3 "$DGEN" cat 1M-d2c3
suggests 1M-d2-c3 "$DGEN" verify "$work" --as 1M-d2c3
# no slip explains these: no suggestion
no_suggestion "$DGEN" info xyz
no_suggestion "$DGEN" info 1G-d0.5
no_suggestion "$DGEN" info 1G-q3
# "x" or ":1" after a size is no ratio's decoration; 2:10 is no ratio
no_suggestion "$DGEN" info 1x
no_suggestion "$DGEN" info 1G-d2:10
echo "PASS: did you mean, for commands, options and names"
