"""Shared fixtures: every test runs with its own home, env, keyring and config state.

- ``isolated`` (autouse): HOME and the XDG folders in ``tmp_path``, no ``BACKEND_*``
  or ``SORNA_*`` variable, no inherited keyring or D-Bus choice, the system file in
  ``tmp_path``, the working directory in ``tmp_path``, and layered-config's caches
  and process-wide config reset before and after.
- ``memory_keyring`` (autouse): a dict-backed keyring backend, pinned for the test.
  Request it to seed secrets; a test that needs another backend sets its own.
- ``user_file`` / ``system_file``: write the user or system config file.
- ``run_python``: run code in a fresh interpreter with this test's environment and
  system file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

import layered_config._resolver
from layered_config import set_config
from layered_config.sources import _tomlfile
from layered_config.sources import env as env_source

pytest_plugins = ["secret_service"]

ISOLATED_DIRS = {
    "HOME": "home",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_CACHE_HOME": "xdg-cache",
    "XDG_STATE_HOME": "xdg-state",
}
DROPPED_PREFIXES = ("BACKEND_", "SORNA_")
DROPPED_VARS = ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps secrets in a dict: ``secrets[service, username]``."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no secret for {username!r} in {service!r}")


class ConfigFile:
    """Writes one configuration file; ``path`` is where it goes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, content: str | bytes, mode: int = 0o600) -> Path:
        """Write ``content`` (text or raw bytes) with ``mode`` and return the path."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        self.path.write_bytes(data)
        os.chmod(self.path, mode)
        return self.path


def _reset_state() -> None:
    set_config(None)
    _tomlfile._cache.clear()
    env_source._warned.clear()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give the test a private home, env, system file and working directory."""
    for var, folder in ISOLATED_DIRS.items():
        path = tmp_path / folder
        path.mkdir()
        monkeypatch.setenv(var, str(path))
    for var in list(os.environ):
        if var.startswith(DROPPED_PREFIXES) or var in DROPPED_VARS:
            monkeypatch.delenv(var)
    system_path = tmp_path / "etc" / "backend.ai" / "config.toml"
    monkeypatch.setattr(layered_config._resolver, "system_file", lambda: str(system_path))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    _reset_state()
    yield tmp_path
    _reset_state()


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """Pin a fresh dict-backed keyring; the previous choice comes back afterwards."""
    # Recording the module's own slot (not calling get_keyring(), which would start
    # keyring's backend detection) lets monkeypatch restore it, even to "unset".
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def user_file(isolated: Path) -> ConfigFile:
    """Write the user file where platformdirs puts it (XDG_CONFIG_HOME/backend.ai)."""
    return ConfigFile(isolated / ISOLATED_DIRS["XDG_CONFIG_HOME"] / "backend.ai" / "config.toml")


@pytest.fixture
def system_file(isolated: Path) -> ConfigFile:
    """Write the system file, which the resolver reads from ``tmp_path/etc``."""
    return ConfigFile(Path(layered_config._resolver.system_file()))


Runner = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run_python(isolated: Path) -> Runner:
    """Return a runner of ``python -c CODE`` with this test's environment and system file."""
    prelude = (
        "import layered_config._resolver as _resolver\n"
        f"_resolver.system_file = lambda: {layered_config._resolver.system_file()!r}\n"
    )

    def run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", prelude + code],
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-snapshots``, which rewrites tests/snapshots/ from the current output."""
    parser.addoption("--update-snapshots", action="store_true", help="rewrite tests/snapshots/")
