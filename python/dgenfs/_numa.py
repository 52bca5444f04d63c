# SPDX-License-Identifier: MIT
"""dgenfs._numa - where fill threads run and where the package's buffers
live: the NUMA nodes of this machine as sysfs lists them, restricted to
the CPUs this process may use (sched_getaffinity: taskset and a
container's cpuset count); the plan that numa_mode, numa_node and
max_threads make of them (one CPU set per fill thread, or None for a
thread left unpinned); and bind, which binds a fresh buffer's pages to
numa_node's memory (mbind MPOL_BIND, through libnuma.so.1 where it is
installed) before any thread touches them; system_info, the same topology
as dgen-py's get_system_info() dict.

Without numa_node, pages follow first touch: a thread pinned to a node
writes its slice first, so the kernel takes those pages from its node.
Not here: the threads (dgenfs._pool), allocating buffers (dgenfs._buffers).
"""

import ctypes
import functools
import mmap
import os
import warnings
from typing import Any, Dict, FrozenSet, List, NamedTuple, Optional

from dgenfs._lib import DgenError

NUMA_MODES = ("auto", "force", "disabled")
_SYSFS = "/sys/devices/system/node"


class NumaNode(NamedTuple):
    """One NUMA node: its id and the CPUs of it this process may use."""
    node: int
    cpus: FrozenSet[int]


def _cpulist(text: str) -> FrozenSet[int]:
    cpus = set()
    for part in text.strip().split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        cpus.update(range(int(first), int(last or first) + 1))
    return frozenset(cpus)


def allowed_cpus() -> FrozenSet[int]:
    """The CPUs this process may run on."""
    return frozenset(os.sched_getaffinity(0))


def detect_numa_nodes() -> List[NumaNode]:
    """The NUMA nodes with at least one CPU this process may use, by node
    id; one node 0 with all allowed CPUs where sysfs has no node list."""
    allowed = allowed_cpus()
    nodes = []
    try:
        names = os.listdir(_SYSFS)
    except OSError:
        names = []
    for name in names:
        if not (name.startswith("node") and name[4:].isdigit()):
            continue
        try:
            with open(os.path.join(_SYSFS, name, "cpulist")) as f:
                cpus = _cpulist(f.read()) & allowed
        except (OSError, ValueError):
            continue
        if cpus:
            nodes.append(NumaNode(int(name[4:]), cpus))
    if not nodes:
        nodes = [NumaNode(0, allowed)]
    return sorted(nodes)


def system_info() -> Dict[str, Any]:
    """dgen-py's get_system_info() (and get_numa_info()): num_nodes (as
    detect_numa_nodes), physical_cores and logical_cpus among the CPUs this
    process may use (cores as sysfs's package and core ids count them),
    is_uma (one node) and deployment_type (a line saying which)."""
    nodes = detect_numa_nodes()
    allowed = allowed_cpus()
    cores = set()
    for cpu in allowed:
        topology = "/sys/devices/system/cpu/cpu%d/topology/" % cpu
        try:
            with open(topology + "physical_package_id") as f:
                package = f.read().strip()
            with open(topology + "core_id") as f:
                cores.add((package, f.read().strip()))
        except OSError:
            cores.add(("cpu", str(cpu)))      # no topology: a core per CPU
    uma = len(nodes) == 1
    return {"num_nodes": len(nodes), "physical_cores": len(cores),
            "logical_cpus": len(allowed), "is_uma": uma,
            "deployment_type": "UMA: one NUMA node" if uma else
            "NUMA: %d nodes" % len(nodes)}


def plan(numa_mode: str, numa_node: Optional[int],
         max_threads: Optional[int]) -> List[Optional[FrozenSet[int]]]:
    """One entry per fill thread: the CPUs it is pinned to, or None.
    numa_node=N: every thread on node N's CPUs (as many as it has by
    default).  Otherwise all allowed CPUs by default; numa_mode "auto" pins
    threads to nodes, round robin, only where there are several, "force"
    even on one node, "disabled" never."""
    mode = numa_mode.lower() if isinstance(numa_mode, str) else numa_mode
    mode = "disabled" if mode == "disable" else mode   # dgen-py takes both
    if mode not in NUMA_MODES:
        raise DgenError("numa_mode must be one of %s, not %r"
                        % (", ".join(map(repr, NUMA_MODES)), numa_mode))
    nodes = detect_numa_nodes()
    if numa_node is not None:
        if mode == "disabled":
            raise DgenError("numa_node=%d needs numa_mode 'auto' or 'force', "
                            "not 'disabled'" % numa_node)
        found = [n for n in nodes if n.node == numa_node]
        if not found:
            raise DgenError("numa_node=%d: no such node with a CPU this process "
                            "may use (nodes: %s)"
                            % (numa_node, ", ".join(str(n.node) for n in nodes)))
        nodes = found
    threads = max_threads or sum(len(n.cpus) for n in nodes)
    pin = numa_node is not None or mode == "force" or \
        (mode == "auto" and len(nodes) > 1)
    if not pin:
        return [None] * threads
    return [nodes[i % len(nodes)].cpus for i in range(threads)]


# linux/mempolicy.h: allocate only from the nodes of the mask
MPOL_BIND = 2


@functools.lru_cache(maxsize=None)
def libnuma() -> Optional[ctypes.CDLL]:
    """libnuma.so.1 (Debian's libnuma1) for its mbind(2), loaded on first
    use; None where it is not installed."""
    try:
        lib = ctypes.CDLL("libnuma.so.1", use_errno=True)
    except OSError:
        return None
    lib.mbind.restype = ctypes.c_long
    lib.mbind.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                          ctypes.POINTER(ctypes.c_ulong), ctypes.c_ulong,
                          ctypes.c_uint]
    return lib


def bind(buffer: mmap.mmap, node: int) -> None:
    """Bind the pages of buffer, a fresh anonymous mmap no thread has
    touched yet, to node's memory: every page the fill threads then touch
    comes from node (when it runs out, the kernel's out-of-memory handling
    applies, as under numactl --membind).  Where libnuma.so.1 is missing the pages follow
    first touch by node's threads: the same on one node, a RuntimeWarning
    on several.  DgenError where the kernel refuses node (no memory, not
    in this process's cpuset)."""
    lib = libnuma()
    if lib is None:
        if len(detect_numa_nodes()) > 1:
            warnings.warn("dgenfs: libnuma.so.1 is not installed (libnuma1): "
                          "buffer pages of numa_node=%d follow first touch "
                          "by its threads, not bound to it" % node,
                          RuntimeWarning, stacklevel=3)
        return
    bits = 8 * ctypes.sizeof(ctypes.c_ulong)
    mask = (ctypes.c_ulong * (node // bits + 1))()
    mask[node // bits] = 1 << (node % bits)
    pin = ctypes.c_char.from_buffer(buffer)
    try:
        # maxnode counts one past the mask's bits, as libnuma passes it
        failed = lib.mbind(ctypes.addressof(pin), len(buffer), MPOL_BIND,
                           mask, len(mask) * bits + 1, 0)
    finally:
        del pin
    if failed:
        raise DgenError("numa_node=%d: cannot bind buffer memory to it: %s"
                        % (node, os.strerror(ctypes.get_errno())))
