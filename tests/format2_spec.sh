#!/bin/sh
# SPDX-License-Identifier: MIT
# format2_spec.sh - runs tests/format2_spec.py: an independent Python
# reading of docs/FORMAT.md (format 2) must give dgen cat's bytes.
set -eu
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "FAIL: $python is not installed"; exit 1; }
exec "$python" "$top_srcdir/tests/format2_spec.py" "$top_builddir/dgen"
