#!/bin/bash
# SPDX-License-Identifier: MIT
# completion.sh - the bash completion of dgen and dgenfs (completion/),
# sourced under bash with the built programs first on PATH: each case sets
# the line as bash would (COMP_LINE, COMP_POINT, COMP_WORDS, COMP_CWORD),
# calls the completion function and checks COMPREPLY.  Needs bash, not the
# bash-completion package.
set -u
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
PATH=$(cd "$top_builddir" && pwd):$PATH
work=$(mktemp -d /tmp/dgen-completion.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# shellcheck source=/dev/null
. "$top_srcdir/completion/dgenfs" || fail "completion/dgenfs does not source"
# shellcheck source=/dev/null
. "$top_srcdir/completion/dgen" || fail "completion/dgen does not source"
complete -p dgen | grep -q _dgen || fail "no completion for dgen"
complete -p dgenfs | grep -q _dgenfs || fail "no completion for dgenfs"

# tab LINE: COMPREPLY for the cursor at the end of LINE (readline's word:
# after the last of COMP_WORDBREAKS, which the replies replace)
tab() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	local f
	case ${COMP_WORDS[0]} in
	dgenfs) f=_dgenfs ;;
	*) f=_dgen ;;
	esac
	"$f" 2>"$work/err" || fail "'$1': $f failed"
	[[ ! -s $work/err ]] || fail "'$1': $f wrote to stderr: $(cat "$work/err")"
	got=" ${COMPREPLY[*]} "
}
# has LINE WORD...: completing LINE offers every WORD
has() {
	local line=$1 w
	shift
	tab "$line"
	for w in "$@"; do
		[[ $got == *" $w "* ]] || fail "'$line<TAB>' lacks '$w': [$got]"
	done
}
# only LINE WORD...: completing LINE offers exactly the WORDs, in order
only() {
	local line=$1
	shift
	tab "$line"
	[[ $got == " $* " ]] || fail "'$line<TAB>' gives [$got], expected [ $* ]"
}

# commands, and dgen's own options
has "dgen " cat info verify measure write --help --version
only "dgen wr" write
only "dgen ve" verify
# each command's options, read from its --help
has "dgen info --" --json --seed --dataset --config --help
only "dgen verify --su" --subtree
has "dgen write --" --numa --numa-node --iodepth --no-sync --force
only "dgen measure --comp" --compress-sample
only "dgen cat --o" --offset
# an option's choices; after '=' only the value is replaced
only "dgen write --numa " auto off
only "dgen write --numa=o" off
only "dgen info --shard " auto
only "dgen info --seed " ""
# names: suffixes after digits, then the fields not given, codecs after -c
has "dgen info 1" 1 1K 1M 1G 1T 1KiB 1GiB 1TiB 1GB
has "dgen cat 10Gi" # nothing sensible to add to a half suffix: no error
has "dgen info 1GiB" 1GiB 1GiB-d 1GiB-c 1GiB-u 1GiB-e 1GiB-f 1GiB-g 1GiB-r 1GiB-s
tab "dgen info 1GiB-d2-"
[[ $got != *" 1GiB-d2--d "* && $got == *" 1GiB-d2-c "* ]] ||
	fail "'dgen info 1GiB-d2-<TAB>': [$got]"
has "dgen info 1GiB-c3" 1GiB-c3@zstd 1GiB-c3@lzo 1GiB-c3-d
# readline replaces only what follows '@'
only "dgen info 1GiB-c3@z" zstd zlib
has "dgen verify copy --as 1G" 1GiB 1GB
has "dgen write 2" 2GiB
# files where a path goes, datasets from the config the line names
mkdir "$work/dir"
: >"$work/file.bin"
has "dgen verify $work/fi" "$work/file.bin"
has "dgen write 1G $work/d" "$work/dir"
only "dgen verify $work/dir -c $top_srcdir/etc/dgenfs.conf --dataset s" small
tab "dgen info --dataset " # the installed config, or none: no error
only "dgen info -c $top_srcdir/etc/dgenfs.conf --dataset " small large
has "dgen info -c $work/fi" "$work/file.bin"

# dgenfs: options, -o's options and choices after a comma, directories
has "dgenfs -" -c -f -d -o --help --version
has "dgenfs -o " seed= threads= allow_other cache=auto cache=never null_data shard=auto
only "dgenfs -o cache=al" always
only "dgenfs -o cache=w" window
only "dgenfs -o seed=1,allow_o" "1,allow_other"
only "dgenfs -o allow_other,nu" "allow_other,null_data" "allow_other,numa=auto" \
	"allow_other,numa=off" "allow_other,numa_node=" "allow_other,numa_topology="
only "dgenfs -c $work/file" "$work/file.bin"
only "dgenfs $work/" "$work/dir"
echo "PASS: bash completion of dgen and dgenfs"
