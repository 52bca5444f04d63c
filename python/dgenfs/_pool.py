# SPDX-License-Identifier: MIT
"""dgenfs._pool - fills one byte range of a file with several threads:
FillPool splits it into one slice per thread and calls dgen_fill on each
from a thread of its own (ctypes releases the GIL, so they run at once),
each thread pinned as dgenfs._numa planned.  A range too short to be
worth splitting is filled by the caller's thread alone.

The threads start on the first split fill and end with the pool (or at
exit: they are daemons).  A pool belongs to the process that made it: in
a forked child it starts threads of its own.  Not here: what to fill (the
callers), where threads go (dgenfs._numa).
"""

import os
import queue
import threading
import weakref
from typing import FrozenSet, List, Optional, Tuple

from dgenfs._lib import fill

# A slice below this many bytes costs more in handing it over than its
# thread saves; 4 MiB is 4 KiB pieces enough for any format's step.
MIN_SLICE = 4 << 20
_PIECE = 4096

_Job = Optional[Tuple[int, int, int, int]]


def _worker(jobs: "queue.SimpleQueue[_Job]", done: "queue.SimpleQueue[object]",
            cpus: Optional[FrozenSet[int]]) -> None:
    if cpus:
        try:
            os.sched_setaffinity(0, cpus)     # this thread only, on Linux
        except OSError:
            pass                              # a cpuset changed since: run anywhere
    while True:
        job = jobs.get()
        if job is None:
            return
        try:
            done.put(fill(*job))
        except BaseException as e:           # never leave the caller waiting
            done.put(e)


class FillPool:
    """Threads placed by `placement` (one CPU set or None per thread)."""

    def __init__(self, placement: List[Optional[FrozenSet[int]]]) -> None:
        self.placement = placement
        self.threads = len(placement)
        # Below this many bytes the caller's thread fills alone: never
        # where threads are pinned, always where there is one thread.
        if placement[0] is not None:
            self._alone = 0
        elif self.threads == 1:
            self._alone = 1 << 64
        else:
            self._alone = 2 * MIN_SLICE
        self._pid = -1
        self._jobs: List["queue.SimpleQueue[_Job]"] = []
        self._done: "queue.SimpleQueue[object]" = queue.SimpleQueue()
        self._lock = threading.Lock()

    def _start(self) -> None:
        self._pid = os.getpid()
        self._jobs = []
        self._done = queue.SimpleQueue()
        for cpus in self.placement:
            jobs: "queue.SimpleQueue[_Job]" = queue.SimpleQueue()
            threading.Thread(target=_worker, args=(jobs, self._done, cpus),
                             name="dgenfs-fill", daemon=True).start()
            self._jobs.append(jobs)
        weakref.finalize(self, _stop, self._jobs)

    def fill(self, handle: int, offset: int, address: int, length: int) -> int:
        """dgen_fill of [offset, offset + length) to address, split over
        the threads; returns the bytes written."""
        if length < self._alone:
            return fill(handle, offset, address, length)
        slices = max(min(self.threads, length // MIN_SLICE), 1)
        per = -(-length // slices)
        step = -(-per // _PIECE) * _PIECE
        with self._lock:            # one split fill at a time per pool
            if self._pid != os.getpid():
                self._start()
            n = 0
            for i, start in enumerate(range(0, length, step)):
                self._jobs[i].put((handle, offset + start, address + start,
                                   min(step, length - start)))
                n += 1
            got, error = 0, None
            for _ in range(n):
                r = self._done.get()
                if isinstance(r, BaseException):
                    error = r
                else:
                    got += r
            if error is not None:
                raise error
            return got


def _stop(jobs: List["queue.SimpleQueue[_Job]"]) -> None:
    for q in jobs:
        q.put(None)
