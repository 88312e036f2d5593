"""Bounded calls into the ``keyring`` package, with every failure turned into a reason.

This is the only module that imports ``keyring``, and it does so only when a
call is made: the import alone costs about 55 ms. Each call runs in a daemon
thread, so a keyring that never answers cannot keep the process alive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._masking import shorten

__all__ = [
    "KeyringUnavailable",
    "backend_name",
    "bounded",
    "delete_secret",
    "get_secret",
    "insecure_reason",
    "set_secret",
    "storage_backend",
]

T = TypeVar("T")


class KeyringUnavailable(Exception):  # an outcome, not a bug
    """The keyring could not answer; ``reason`` says why in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def bounded(action: Callable[[], T], timeout: float, *, secret: str = "") -> T:
    """Run ``action`` in a daemon thread and wait at most ``timeout`` seconds.

    ``secret`` is scrubbed from any error message, before it is shortened.

    Raises:
        KeyringUnavailable: on a timeout or any exception from the keyring stack.

    """
    import threading  # noqa: PLC0415

    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append((True, action()))
        except BaseException as exc:  # every failure becomes a reason
            outcome.append((False, exc))

    thread = threading.Thread(target=target, name="layered-config-keyring", daemon=True)
    thread.start()
    # A huge BACKEND_KEYRING_TIMEOUT means "wait", not an OverflowError from join().
    thread.join(min(timeout, threading.TIMEOUT_MAX))
    if not outcome:
        raise KeyringUnavailable(f"timed out after {timeout:g} s")
    ok, result = outcome[0]
    if isinstance(result, KeyringUnavailable):
        raise result
    if not ok:
        raise KeyringUnavailable(describe_error(result, secret=secret)) from None
    return result  # type: ignore[no-any-return]


def describe_error(exc: BaseException, *, secret: str = "") -> str:
    """Name a keyring failure in a few words; D-Bus errors are not KeyringErrors."""
    kind = type(exc).__name__
    message = str(exc).replace(secret, "****") if secret else str(exc)
    detail = shorten(message, 80)
    if kind == "NoKeyringError":
        return "no keyring backend"
    if kind == "KeyringLocked":
        return "keyring locked"
    if kind == "InitError":
        return f"keyring could not start: {detail}"
    if isinstance(exc, ImportError | AttributeError):
        return f"keyring backend could not be loaded: {kind}: {detail}"
    module = type(exc).__module__.split(".")[0]
    if module in {"jeepney", "secretstorage", "dbus"}:
        return f"D-Bus error: {kind}: {detail}"
    return f"keyring error: {kind}: {detail}" if detail else f"keyring error: {kind}"


def backend_name(backend: Any) -> str:
    """Return a backend's short display name, such as ``SecretService Keyring``."""
    return str(getattr(backend, "name", type(backend).__name__))


def _backends(root: Any) -> list[Any]:
    from keyring.backends.chainer import ChainerBackend  # noqa: PLC0415

    return list(root.backends) if isinstance(root, ChainerBackend) else [root]


def get_secret(service: str, username: str, timeout: float) -> tuple[str | None, str]:
    """Return the secret (or ``None``) and the name of the backend that answered."""

    def lookup() -> tuple[str | None, str]:
        import keyring  # noqa: PLC0415

        root = keyring.get_keyring()
        if type(root).__module__ == "keyring.backends.null":
            raise KeyringUnavailable("keyring disabled (null backend)")
        for backend in _backends(root):
            value = backend.get_password(service, username)
            if value is not None:
                return value, backend_name(backend)
        return None, backend_name(root)

    return bounded(lookup, timeout)


def storage_backend(timeout: float) -> Any:
    """Return the backend a ``set`` would store into (the first of a chainer)."""
    return bounded(_storage_backend_now, timeout)


def _storage_backend_now() -> Any:
    import keyring  # noqa: PLC0415

    return _backends(keyring.get_keyring())[0]


def insecure_reason(backend: Any, *, interactive: bool) -> str | None:
    """Say why a backend must not hold the secret, or ``None`` when it may."""
    module, kind = type(backend).__module__, type(backend).__name__
    if module == "keyring.backends.fail":
        return "no keyring backend is available"
    if module == "keyring.backends.null":
        return "the keyring is disabled (null backend)"
    if module.startswith("keyrings.alt") and kind == "PlaintextKeyring":
        return "keyrings.alt's PlaintextKeyring stores secrets unencrypted"
    if module.startswith("keyrings.alt") and "Encrypted" in kind and not interactive:
        return "keyrings.alt's EncryptedKeyring needs a terminal to ask for its password"
    return None


def set_secret(service: str, username: str, secret: str, timeout: float) -> str:
    """Store a secret; return the backend's name. The secret never reaches a message."""

    def store() -> str:
        backend = _storage_backend_now()
        backend.set_password(service, username, secret)
        return backend_name(backend)

    return bounded(store, timeout, secret=secret)


def delete_secret(service: str, username: str, timeout: float) -> bool:
    """Delete a secret; return whether one was there."""

    def delete() -> bool:
        import keyring  # noqa: PLC0415
        from keyring.errors import PasswordDeleteError  # noqa: PLC0415

        root = keyring.get_keyring()
        if root.get_password(service, username) is None:
            return False
        try:
            root.delete_password(service, username)
        except PasswordDeleteError:
            return False
        return True

    return bounded(delete, timeout)
