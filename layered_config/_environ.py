"""Fast lookups of single variables in ``os.environ``, without scanning it.

``os.environ.get`` encodes the key and decodes the value in Python code, about
1.5 µs a call; a resolve makes about 25 of them. On POSIX, CPython keeps the
real data in ``os.environ._data`` (bytes to bytes), so with pre-encoded keys a
lookup is a plain dict access. Any other mapping, or a Python without that
attribute, falls back to ``.get``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

__all__ = ["lookup"]

_encoded: dict[str, bytes] = {}


def lookup(environ: Mapping[str, str]) -> Callable[[str], str | None]:
    """Return a function that reads one variable of ``environ`` by name."""
    data = getattr(environ, "_data", None) if environ is os.environ and os.name == "posix" else None
    if not isinstance(data, dict):
        return environ.get

    def get(name: str) -> str | None:
        key = _encoded.get(name)
        if key is None:
            key = _encoded[name] = os.fsencode(name)
        value = data.get(key)
        return None if value is None else os.fsdecode(value)

    return get
