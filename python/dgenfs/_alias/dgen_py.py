# SPDX-License-Identifier: MIT
"""dgen_py - the name dgen-py's scripts import, answered by dgenfs.compat.
Only on the path of processes that `python3 -m dgenfs.compat` starts (its
directory is no package and is never on sys.path otherwise), so an
installed dgen-py is never shadowed.  Not an API of its own."""

from dgenfs.compat import *  # noqa: F401,F403
from dgenfs.compat import __all__, __version__  # noqa: F401
