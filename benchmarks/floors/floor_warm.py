"""Warm floor: the in-process work of one ``APIConfig()`` with the file cached.

Per call: find the user file's path, stat it, take its parsed dict from a cache
keyed by ``(path, mtime_ns, size)``, look up every field's env names, build one
``yarl.URL`` and keep a dict of origins.  The harness's warm worker calls
``make()`` once and then times the returned callable.
"""

from __future__ import annotations

import os
import tomllib
from typing import TYPE_CHECKING, Any

import floor_cold

if TYPE_CHECKING:
    from collections.abc import Callable

_cache: dict[tuple[str, int, int], dict[str, Any]] = {}


def read_cached(path: str) -> dict[str, Any] | None:
    """Stat the file; parse it only when its (path, mtime_ns, size) is new."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _cache:
        with open(path, "rb") as f:
            _cache[key] = tomllib.load(f)
    return _cache[key]


def call() -> dict[str, Any]:
    """One warm resolution; returns the values."""
    values, _origins = floor_cold.resolve([floor_cold.user_file()], read_cached)
    return values


def make() -> Callable[[], dict[str, Any]]:
    """Fill the cache and return the callable to time."""
    call()
    return call
