"""release_free_heap gives freed heap memory back: memory malloc'ed in small blocks and freed stays resident
until the trim."""

from __future__ import annotations

import ctypes
import sys

import pytest

from search.heap import _libc, release_free_heap


def resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or _libc() is None, reason="glibc only")
def test_freed_heap_leaves_the_process_after_the_trim() -> None:
    libc = _libc()
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    blocks = [libc.malloc(4096) for _ in range(50_000)]  # ~200 MB in blocks below the mmap threshold
    for block in blocks:
        libc.memset(block, 1, 4096)
    for block in blocks[:-1]:  # the last one stays: the heap's top cannot shrink past it
        libc.free(block)
    before = resident_kb()
    assert release_free_heap()
    after = resident_kb()
    libc.free(blocks[-1])
    assert before - after > 100_000, f"resident {before} kB before the trim, {after} kB after"
