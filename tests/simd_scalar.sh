#!/bin/sh
# SPDX-License-Identifier: MIT
# simd_scalar.sh - the content tests on the scalar generator path (simd_lib.sh).
. "${top_srcdir:-.}/tests/simd_lib.sh"
simd_run scalar
