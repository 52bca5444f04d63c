# SPDX-License-Identifier: MIT
"""pythondir.py - where `make install` puts the package for the
interpreter that runs this script: `python3 pythondir.py PREFIX` prints
the directory below PREFIX that this interpreter searches (a sys.path
entry under PREFIX/lib*, site-packages or dist-packages: Debian's
PREFIX/lib/python3/dist-packages for /usr, lib/python3.X/dist-packages for
/usr/local, a venv's site-packages), relative to PREFIX, and exits 0; where
it searches none, sysconfig's purelib for PREFIX, and exits 1.  configure
and tests/python_install.sh use it; it installs nothing."""

import os
import sys
import sysconfig


def searched(prefix: str) -> str:
    prefix = os.path.realpath(prefix)
    for entry in sys.path:
        if not entry.endswith(("/site-packages", "/dist-packages")):
            continue
        rel = os.path.relpath(os.path.realpath(entry), prefix)
        if rel.startswith("lib") and not rel.startswith(".."):
            return rel
    return ""


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].startswith("/"):
        print("usage: pythondir.py ABSOLUTE-PREFIX", file=sys.stderr)
        return 2
    rel = searched(sys.argv[1])
    if rel:
        print(rel)
        return 0
    path = sysconfig.get_path("purelib", "posix_prefix",
                              vars={"base": sys.argv[1], "platbase": sys.argv[1]})
    print(os.path.relpath(path, sys.argv[1]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
