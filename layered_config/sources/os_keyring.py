"""The keyring layer: the secret key from the OS keyring, asked only when needed."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .._errors import ConfigValueError
from .._masking import shorten
from .._origin import MISSING, Candidate, Origin
from .._paths import KEYRING_SERVICE, KEYRING_TIMEOUT_VAR
from ._base import Deferred, Query, Reading

__all__ = ["DEFAULT_TIMEOUT", "KeyringSource", "keyring_timeout"]

DEFAULT_TIMEOUT = 3.0
"""Seconds a library read may take when ``BACKEND_KEYRING_TIMEOUT`` is unset."""


def keyring_timeout(environ: Mapping[str, str]) -> float:
    """Return ``BACKEND_KEYRING_TIMEOUT`` in seconds; ``0`` turns lookups off.

    Raises:
        ConfigValueError: when the variable is not a number of seconds, 0 or more.

    """
    text = environ.get(KEYRING_TIMEOUT_VAR)
    if text is None or text == "":
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        problem = "expected a number of seconds, 0 or more"
        raise ConfigValueError(f"{KEYRING_TIMEOUT_VAR}: {problem} (got {shorten(text)!r})")
    return seconds


class KeyringSource:
    """Offers ``secret_key`` from the keyring: service ``backend.ai``, username = access key.

    The keyring is imported and asked only when no higher layer gave the
    secret. Every failure is a ``skipped`` entry with its reason.

    Args:
        service: the keyring service name.
        timeout: seconds per call; ``None`` reads ``BACKEND_KEYRING_TIMEOUT`` (default 3).
        environ: where to read ``BACKEND_KEYRING_TIMEOUT``; ``os.environ`` by default.

    """

    name = "keyring"

    def __init__(
        self,
        service: str = KEYRING_SERVICE,
        *,
        timeout: float | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.service = service
        self._timeout = timeout
        self._environ = os.environ if environ is None else environ

    def read(self, query: Query) -> Reading:
        """Offer nothing now; defer ``secret_key`` until the resolver knows it is needed."""
        return Reading(
            {}, {}, _not_served, deferred={"secret_key": Deferred(self._run, self._skip)}
        )

    def _location(self, values: Mapping[str, Any], backend: str | None = None) -> str:
        username = values.get("access_key", "")
        where = f"service={self.service} username={username}"
        return f"{backend} {where}" if backend else where

    def _skip(self, values: Mapping[str, Any], reason: str) -> Candidate:
        return Candidate(
            Origin("keyring", None, self._location(values)), MISSING, "skipped", reason
        )

    def _run(self, values: Mapping[str, Any]) -> list[Candidate]:
        from ._keyring_call import KeyringUnavailable, get_secret  # noqa: PLC0415

        timeout = self._timeout if self._timeout is not None else keyring_timeout(self._environ)
        if timeout == 0:
            return [self._skip(values, f"keyring lookups are off ({KEYRING_TIMEOUT_VAR}=0)")]
        username = values.get("access_key")
        if not username:
            return [self._skip(values, "no access key to look the secret up by")]
        try:
            secret, backend = get_secret(self.service, username, timeout)
        except KeyringUnavailable as exc:
            return [self._skip(values, exc.reason)]
        origin = Origin("keyring", None, self._location(values, backend))
        if secret is None:
            return [Candidate(origin, MISSING, "absent", "no entry")]
        return [Candidate(origin, secret, "offered")]


def _not_served(name: str) -> list[Candidate]:
    # The keyring holds only the secret key, so it has no entry for other fields.
    return []
