#!/bin/sh
# SPDX-License-Identifier: MIT
# measure_ratios.sh - dgen measure agrees with what the library promises:
# fixed-block dedup within 1% of the requested ratio at 4..128 KiB,
# compression within 3% for the codec a name is calibrated for, 1.00 for
# random data and a 100% zero share for zeros.  (The compression bounds
# test the content's calibration as much as measure.)
. "${top_srcdir:-.}/tests/cli_lib.sh"

check_name 64MiB-d2-c3-s7 "lz4 zstd"
check_name 64MiB-c2@zstd-s3 zstd
check_name 64MiB-c1.6@zlib-s7 zlib
check_name 64MiB-c4@zlib-s7-f2 zlib
check_name 32MiB-d4-u32K-s9 "lz4 zstd zlib"

# random bytes: nothing to gain
head -c 32M /dev/urandom >"$work/data"
run 0 "$DGEN" measure --json "$work/data"
for unit in 4096 131072; do
	within "$(json_dedup $unit)" 1 1 "urandom: dedup at $unit"
done
for codec in lz4 zstd zlib; do
	within "$(json_codec $codec 1)" 1 1 "urandom: $codec"
done
[ "$(json_field zero_share)" = 0.0 ] || fail "urandom: zero share"

# zeros: every unit is the zero unit
head -c 32M /dev/zero >"$work/data"
run 0 "$DGEN" measure --json "$work/data"
[ "$(json_field zero_share)" = 1.0 ] || fail "zeros: zero share $(json_field zero_share)"
within "$(json_dedup 4096)" 8192 0 "zeros: dedup at 4 KiB"
within "$(json_dedup 131072)" 256 0 "zeros: dedup at 128 KiB"
exit 0
