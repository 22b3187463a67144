"""Give freed heap memory back to the operating system.

Loading the ONNX model parses an 86 MB protobuf and builds the session's weights from it; the parsed copy is
freed afterwards, but glibc keeps freed memory in the process (resident) until it is trimmed. One
malloc_trim after a load takes a worker's resident memory down by about 55 MB (bench/memory.py).
Elsewhere than glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim  # noqa: B018 - raises AttributeError outside glibc
    except (OSError, AttributeError):
        return None
    return libc


def release_free_heap() -> bool:
    """Return freed heap pages to the system; True when that was possible here."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
