#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh TARGET SECONDS [LIBFUZZER-ARGS...]: build the libFuzzer target
# tests/fuzz/fuzz_TARGET.c (name, content, config, profile) with ASan+UBSan and run
# it for SECONDS on one process at the lowest priority.
#
# Needs clang and its runtime (Debian 12: apt-get install clang
# libclang-rt-14-dev).  CI does not fuzz; it replays the corpora in make
# check (tests/fuzz/replay_*), which needs neither.
#
# Seeds: tests/fuzz/corpus/TARGET (read only).  New inputs go to
# build-fuzz/corpus-TARGET, crashes to build-fuzz/crash-TARGET/.  A crash
# is fixed, then its input is copied into the seed corpus as a regression
# test (make check replays it).
set -e
[ $# -ge 2 ] || { echo "usage: $0 TARGET SECONDS [LIBFUZZER-ARGS...]" >&2; exit 2; }
target=$1
seconds=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$src/tests/fuzz"
[ -f "$fuzz/fuzz_$target.c" ] || { echo "$0: no target '$target'" >&2; exit 2; }
command -v clang >/dev/null ||
	{ echo "$0: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
out="$src/build-fuzz"
build="$out/build"

# libdgen with sanitizers and fuzzer coverage, static so the target has it all
nice -n 19 "$src/tests/vpath-build.sh" "$src" "$out" CC=clang \
	CFLAGS="-g -O1 -fsanitize=fuzzer-no-link" \
	--enable-sanitizers --enable-static --disable-shared
nice -n 19 make -s -C "$build" libdgen.la
nice -n 19 "$build/libtool" --quiet --mode=link clang -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$src/include/dgen" -o "$out/fuzz_$target" "$fuzz/fuzz_$target.c" \
	"$build/libdgen.la"

mkdir -p "$out/corpus-$target" "$out/crash-$target"
set -- -max_total_time="$seconds" -print_final_stats=1 \
	-artifact_prefix="$out/crash-$target/" "$@"
[ -f "$fuzz/$target.dict" ] && set -- -dict="$fuzz/$target.dict" "$@"
exec nice -n 19 "$out/fuzz_$target" "$@" "$out/corpus-$target" "$fuzz/corpus/$target"
