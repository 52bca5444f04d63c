# SPDX-License-Identifier: MIT
"""dgenfs._numa - where fill threads run: the NUMA nodes of this machine as
sysfs lists them, restricted to the CPUs this process may use
(sched_getaffinity: taskset and a container's cpuset count), and the plan
that numa_mode, numa_node and max_threads make of them: one CPU set per
fill thread, or None for a thread left unpinned.

Buffers follow their threads by first touch: a thread pinned to a node
writes the pages of its slice first, so the kernel takes them from that
node (the buffers the package allocates itself are untouched until then).
Not here: the threads (dgenfs._pool); libnuma (not needed for this).
"""

import os
from typing import FrozenSet, List, NamedTuple, Optional

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


def plan(numa_mode: str, numa_node: Optional[int],
         max_threads: Optional[int]) -> List[Optional[FrozenSet[int]]]:
    """One entry per fill thread: the CPUs it is pinned to, or None.
    numa_node=N: every thread on node N's CPUs (as many as it has by
    default).  Otherwise all allowed CPUs by default; numa_mode "auto" pins
    threads to nodes, round robin, only where there are several, "force"
    even on one node, "disabled" never."""
    if numa_mode not in NUMA_MODES:
        raise DgenError("numa_mode must be one of %s, not %r"
                        % (", ".join(map(repr, NUMA_MODES)), numa_mode))
    nodes = detect_numa_nodes()
    if numa_node is not None:
        if numa_mode == "disabled":
            raise DgenError("numa_node=%d needs numa_mode 'auto' or 'force', "
                            "not 'disabled'" % numa_node)
        found = [n for n in nodes if n.node == numa_node]
        if not found:
            raise DgenError("numa_node=%d: no such node with a CPU this process "
                            "may use (nodes: %s)"
                            % (numa_node, ", ".join(str(n.node) for n in nodes)))
        nodes = found
    threads = max_threads or sum(len(n.cpus) for n in nodes)
    pin = numa_node is not None or numa_mode == "force" or \
        (numa_mode == "auto" and len(nodes) > 1)
    if not pin:
        return [None] * threads
    return [nodes[i % len(nodes)].cpus for i in range(threads)]
