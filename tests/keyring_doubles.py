"""Keyring backends that stand in for a real one in the tests.

Test modules import this file by name: pytest's default ``prepend`` import mode puts
``tests`` on ``sys.path``, for the modules in ``tests/reliability`` too.

- ``RaisingKeyring``: every call raises the exception it was given.
- ``BlockingKeyring``: every call waits until the test sets ``release``.
- ``RecordingKeyring``: records every call and answers from a dict of secrets.
"""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class RaisingKeyring(KeyringBackend):
    """A backend whose every call raises the exception it was given."""

    priority = 1

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class BlockingKeyring(KeyringBackend):
    """A backend whose every call sets ``entered`` and blocks until the test sets ``release``
    (or ``wait_limit`` seconds pass, if given), after which reads answer ``answer``.
    """

    priority = 1

    def __init__(self, answer: str | None = None, *, wait_limit: float | None = None) -> None:
        super().__init__()
        self.answer = answer
        self.wait_limit = wait_limit
        self.release = threading.Event()
        self.entered = threading.Event()

    def _block(self) -> None:
        self.entered.set()
        self.release.wait(self.wait_limit)

    def get_password(self, service: str, username: str) -> str | None:
        self._block()
        return self.answer

    def set_password(self, service: str, username: str, password: str) -> None:
        self._block()

    def delete_password(self, service: str, username: str) -> None:
        self._block()


class RecordingKeyring(KeyringBackend):
    """A backend that records ``(service, username)`` of every call and answers from ``secrets``."""

    priority = 1

    def __init__(self, secrets: dict[tuple[str, str], str] | None = None) -> None:
        super().__init__()
        self.secrets = secrets or {}
        self.calls: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append((service, username))
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append((service, username))
        self.secrets[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append((service, username))
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no secret for {username!r} in {service!r}")
