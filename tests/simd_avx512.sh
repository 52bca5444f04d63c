#!/bin/sh
# SPDX-License-Identifier: MIT
# simd_avx512.sh - the content tests on the avx512 generator path (simd_lib.sh).
. "${top_srcdir:-.}/tests/simd_lib.sh"
simd_run avx512
