#!/bin/sh
# SPDX-License-Identifier: MIT
# simd_avx2.sh - the content tests on the avx2 generator path (simd_lib.sh).
. "${top_srcdir:-.}/tests/simd_lib.sh"
simd_run avx2
