# SPDX-License-Identifier: MIT
"""dgenfs.compat - dgen-py's API over dgenfs, for scripts written for
dgen-py: `from dgenfs import compat as dgen_py` in a script, or run one
unchanged with

    python3 -m dgenfs.compat SCRIPT [ARGS...]

which runs SCRIPT with `import dgen_py` answered by this module, in it and
in every Python process it starts (a spawn or forkserver pool too: the
alias goes in through PYTHONPATH).  docs/PYTHON.md lists dgen-py's names
and what each does here.

Not here: any behaviour of its own (every name is dgenfs's).
"""

import os
import sys

from dgenfs import (BufferPool, DgenError, Generator, NumaNode, __version__,
                    detect_numa_nodes, generate_buffer, system_info)

# dgen-py's names for the topology dict (its get_system_info returns its
# get_numa_info's)
get_system_info = get_numa_info = system_info

__all__ = ["Generator", "generate_buffer", "BufferPool", "detect_numa_nodes",
           "get_system_info", "get_numa_info", "NumaNode", "DgenError",
           "__version__"]

_ALIAS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_alias")


def main(argv: list) -> int:
    """Run the script argv[0] with argv[1:] under the dgen_py alias."""
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python3 -m dgenfs.compat SCRIPT [ARGS...]: run a dgen-py "
              "script with `import dgen_py` answered by dgenfs",
              file=sys.stderr if not argv else sys.stdout)
        return 2 if not argv else 0
    if not os.path.isfile(argv[0]):
        print("dgenfs.compat: %s: no such script" % argv[0], file=sys.stderr)
        return 2
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (_ALIAS_DIR, env.get("PYTHONPATH")) if p)
    os.execve(sys.executable, [sys.executable] + argv, env)
    return 1    # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
