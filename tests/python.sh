#!/bin/sh
# SPDX-License-Identifier: MIT
# python.sh - runs tests/test_python.py (the package against the dgen
# command) and tests/test_python_compat.py (dgen-py's API) with the
# interpreter configure found ($PYTHON) on the package of this source tree
# and the libdgen of this build tree, not on any installed copy
# (tests/python_install.sh tests the installed ones).
set -eu
. "${top_srcdir:-.}/tests/python_env.sh"
PYTHONPATH=$top_srcdir/python
export PYTHONPATH
"$PYTHON" "$top_srcdir/tests/test_python.py"
exec "$PYTHON" "$top_srcdir/tests/test_python_compat.py"
