"""What the CLI reports about the keyring: the backend in use and whether it is safe."""

from __future__ import annotations

from typing import Any

from ..sources._keyring_call import (
    KeyringUnavailable,
    backend_name,
    insecure_reason,
    storage_backend,
)
from ..sources.os_keyring import keyring_timeout
from ._context import Context, interactive

__all__ = ["keyring_status", "write_timeout"]

TERMINAL_WAIT = 60.0
"""Seconds a write waits on a terminal, where a person may be unlocking the keyring."""


def write_timeout(ctx: Context) -> float:
    """Return how long a keyring write may take: at least 60 s on a terminal."""
    timeout = keyring_timeout(ctx.environ)
    if interactive():
        return max(timeout, TERMINAL_WAIT)
    return timeout


def keyring_status(ctx: Context) -> dict[str, Any]:
    """Return the backend that would store the secret, and any reason it is unsafe."""
    timeout = keyring_timeout(ctx.environ)
    if timeout == 0:
        return {"backend": None, "secure": False, "problem": "keyring lookups are off"}
    try:
        backend = storage_backend(timeout)
    except KeyringUnavailable as exc:
        return {"backend": None, "secure": False, "problem": exc.reason}
    problem = insecure_reason(backend, interactive=interactive())
    return {"backend": backend_name(backend), "secure": problem is None, "problem": problem}
