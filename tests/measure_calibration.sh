#!/bin/sh
# measure_calibration.sh - each codec a name can be calibrated for compresses
# `dgen cat NAME` by the requested ratio, within 3%, at 4, 32 and 128 KiB
# units, as dgen measure sees it.  A failure here is in the content's
# calibration (src/lib/calibration.c) when measure_ratios.sh passes.
. "${top_srcdir:-.}/tests/cli_lib.sh"

check_name 64MiB-c3-s7 lz4
check_name 64MiB-c2@zstd-s3 zstd
check_name 64MiB-c4@zlib-s7 zlib
exit 0
