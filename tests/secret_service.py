"""Pytest plugin: a real Secret Service (gnome-keyring) on a private D-Bus session bus.

Register it with ``pytest_plugins = ["secret_service"]`` in ``tests/conftest.py``.

- ``secret_service`` (session scope) starts ``dbus-daemon`` and ``gnome-keyring-daemon``
  in a temp dir, waits until the ``login`` collection is the unlocked default, and stops
  both afterwards. It skips when they are not installed; with ``CI`` set, such a skip
  fails the run instead.
- ``secret_service_keyring`` (function scope) points this process and ``keyring`` at it,
  with an empty, unlocked collection.

The daemons never see an inherited ``DBUS_SESSION_BUS_ADDRESS`` or a display: a test
must not write to a developer's login keyring, and a prompt must fail at once rather
than wait for a click.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import keyring
import keyring.backends.SecretService
import pytest
from jeepney import DBusAddress, new_method_call  # type: ignore[import-untyped]
from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]
from jeepney.io.blocking import (  # type: ignore[import-untyped]
    DBusConnection,
    open_dbus_connection,
)
from jeepney.wrappers import DBusErrorResponse, unwrap_msg  # type: ignore[import-untyped]

__all__ = ["PrivateSecretService", "start_secret_service"]

PASSWORD = "test-password"
MARKER = "secret_service"
REQUIRED_COMMANDS = ("dbus-daemon", "gnome-keyring-daemon", "secret-tool")
READY_TIMEOUT = 20.0
CALL_TIMEOUT = 5.0
STOP_GRACE = 5.0
POLL_INTERVAL = 0.01

SECRETS = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
LOGIN_PATH = "/org/freedesktop/secrets/collection/login"
SERVICE_IFACE = "org.freedesktop.Secret.Service"
COLLECTION_IFACE = "org.freedesktop.Secret.Collection"
ITEM_IFACE = "org.freedesktop.Secret.Item"
SESSION_IFACE = "org.freedesktop.Secret.Session"
GNOME_IFACE = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"
NO_PROMPT = "/"

# What a daemon or a client must not inherit: another session's bus, or a display
# that would let an unlock prompt wait for a click forever.
FOREIGN_VARS = (
    "DBUS_SESSION_BUS_ADDRESS",
    "DBUS_STARTER_ADDRESS",
    "DBUS_STARTER_BUS_TYPE",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "GNOME_KEYRING_CONTROL",
)

# Keyring files, and anything else the daemons write, stay in the temp dir.
XDG_DIRS = {
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "XDG_RUNTIME_DIR": "run",
}

T = TypeVar("T")


def _call(
    conn: DBusConnection, path: str, interface: str, method: str, signature: str = "", *body: Any
) -> tuple[Any, ...]:
    """Call a Secret Service method with a bounded wait, because the stack has none."""
    address = DBusAddress(path, bus_name=SECRETS, interface=interface)
    message = new_method_call(address, method, signature or None, body)
    reply: tuple[Any, ...] = unwrap_msg(conn.send_and_get_reply(message, timeout=CALL_TIMEOUT))
    return reply


def _get_property(conn: DBusConnection, path: str, interface: str, name: str) -> Any:
    ((_, value),) = _call(
        conn, path, "org.freedesktop.DBus.Properties", "Get", "ss", interface, name
    )
    return value


@dataclass
class PrivateSecretService:
    """A running private Secret Service, and helpers to drive it from a test."""

    address: str
    password: str
    tmp_dir: Path
    pids: tuple[int, ...]
    collection: str
    _conn: DBusConnection = field(repr=False)

    @property
    def env(self) -> dict[str, str]:
        """Environment variables a subprocess needs to use this Secret Service."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.address}

    def lock(self) -> None:
        """Lock the default collection, so that reads raise ``KeyringLocked``."""
        _, prompt = _call(self._conn, SERVICE_PATH, SERVICE_IFACE, "Lock", "ao", [self.collection])
        assert prompt == NO_PROMPT, "gnome-keyring asked for a prompt to lock"

    def unlock(self) -> None:
        """Unlock the default collection with the password, without a prompt."""
        _, session = _call(
            self._conn, SERVICE_PATH, SERVICE_IFACE, "OpenSession", "sv", "plain", ("s", "")
        )
        secret = (session, b"", self.password.encode(), "text/plain")
        try:
            _call(
                self._conn,
                SERVICE_PATH,
                GNOME_IFACE,
                "UnlockWithMasterPassword",
                "o(oayays)",
                self.collection,
                secret,
            )
        finally:
            _call(self._conn, session, SESSION_IFACE, "Close")

    def clear(self) -> None:
        """Delete every item in the default collection, which must be unlocked."""
        for item in _get_property(self._conn, self.collection, COLLECTION_IFACE, "Items"):
            (prompt,) = _call(self._conn, item, ITEM_IFACE, "Delete")
            assert prompt == NO_PROMPT, f"gnome-keyring asked for a prompt to delete {item}"

    def store(self, service: str, username: str, secret: str) -> None:
        """Store a secret with ``secret-tool``, under attributes service and username."""
        label = f"--label=Password for '{username}' on '{service}'"
        attributes = ("service", service, "username", username)
        done = self._secret_tool("store", label, *attributes, stdin=secret)
        if done.returncode != 0:
            raise RuntimeError(f"secret-tool store failed: {done.stderr.strip()}")

    def lookup(self, service: str, username: str) -> str | None:
        """Return the secret ``secret-tool`` finds for service and username, or None.

        secret-tool also finds nothing, silently, while the collection is locked.
        """
        found = self._secret_tool("lookup", "service", service, "username", username)
        if found.returncode != 0 and found.stderr:
            raise RuntimeError(f"secret-tool lookup failed: {found.stderr.strip()}")
        return found.stdout if found.returncode == 0 else None

    def _secret_tool(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["secret-tool", *args],
            input=stdin,
            env={**_clean_env(), **self.env},
            capture_output=True,
            text=True,
            timeout=CALL_TIMEOUT,
            check=False,
        )


@dataclass
class _Daemon:
    """A daemon process and the log that explains its failures."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def failure(self, why: str) -> RuntimeError:
        tail = self.log.read_text(errors="replace").splitlines()[-20:]
        return RuntimeError("\n".join([f"{self.name} {why}; its log ends:", *tail]))

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(STOP_GRACE)


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in FOREIGN_VARS}


def _daemon_env(tmp_dir: Path, address: str) -> dict[str, str]:
    """Return the daemons' environment: private XDG dirs, the private bus, no display."""
    env = {**_clean_env(), "DBUS_SESSION_BUS_ADDRESS": address}
    for var, sub in XDG_DIRS.items():
        (tmp_dir / sub).mkdir(mode=0o700)
        env[var] = str(tmp_dir / sub)
    return env


def _spawn(
    name: str, argv: list[str], env: dict[str, str], tmp_dir: Path, stdin: int = subprocess.DEVNULL
) -> _Daemon:
    # setpriv kills the daemon with pytest even on SIGKILL; the new session keeps a
    # Ctrl-C from reaching it before pytest tears it down.
    guard = ["setpriv", "--pdeathsig", "TERM"] if shutil.which("setpriv") else []
    log = tmp_dir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*guard, *argv],
            env=env,
            stdin=stdin,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return _Daemon(name, proc, log)


def _wait_for(daemon: _Daemon, ready: Callable[[], T | None]) -> T:
    """Poll ``ready`` until it returns a value, the daemon dies, or time runs out."""
    deadline = time.monotonic() + READY_TIMEOUT
    while (result := ready()) is None:
        if daemon.proc.poll() is not None:
            raise daemon.failure(f"exited at start with status {daemon.proc.returncode}")
        if time.monotonic() > deadline:
            raise daemon.failure(f"was not ready after {READY_TIMEOUT:.0f} s")
        time.sleep(POLL_INTERVAL)
    return result


def _connect(address: str) -> DBusConnection | None:
    try:
        return open_dbus_connection(address)
    except OSError:  # the socket is not there or not listening yet
        return None


def _unlocked_login(conn: DBusConnection) -> str | None:
    """Return the login collection once it is the unlocked default, else None."""
    # Asking the name first, because any call to it would D-Bus-activate a second daemon.
    reply = conn.send_and_get_reply(message_bus.NameHasOwner(SECRETS), timeout=CALL_TIMEOUT)
    if not unwrap_msg(reply)[0]:
        return None
    try:
        (default,) = _call(conn, SERVICE_PATH, SERVICE_IFACE, "ReadAlias", "s", "default")
        if default != LOGIN_PATH or _get_property(conn, default, COLLECTION_IFACE, "Locked"):
            return None
    except DBusErrorResponse:  # still setting itself up
        return None
    return LOGIN_PATH


def _start_keyring(env: dict[str, str], tmp_dir: Path, password: str) -> _Daemon:
    # --unlock reads the password on stdin; on an empty data dir it creates the login
    # collection, unlocks it and makes it the default, as a desktop login does.
    argv = ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"]
    daemon = _spawn("gnome-keyring-daemon", argv, env, tmp_dir, stdin=subprocess.PIPE)
    assert daemon.proc.stdin is not None
    with suppress(BrokenPipeError), daemon.proc.stdin:  # an early death is reported later
        daemon.proc.stdin.write(password.encode())
    return daemon


@contextmanager
def start_secret_service(password: str = PASSWORD) -> Iterator[PrivateSecretService]:
    """Run a private dbus-daemon and gnome-keyring-daemon for the duration of the block.

    Raises:
        RuntimeError: a daemon exited or was not ready in time; the message has its log.
    """
    with ExitStack() as stack:
        tmp_dir = Path(tempfile.mkdtemp(prefix="layered-config-secret-service-"))
        stack.callback(shutil.rmtree, tmp_dir, ignore_errors=True)
        address = f"unix:path={tmp_dir / 'bus'}"
        env = _daemon_env(tmp_dir, address)
        argv = ["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--address={address}"]
        bus = _spawn("dbus-daemon", argv, env, tmp_dir)
        stack.callback(bus.stop)
        conn = stack.enter_context(_wait_for(bus, lambda: _connect(address)))
        gkd = _start_keyring(env, tmp_dir, password)
        stack.callback(gkd.stop)
        collection = _wait_for(gkd, lambda: _unlocked_login(conn))
        pids = (bus.proc.pid, gkd.proc.pid)
        yield PrivateSecretService(address, password, tmp_dir, pids, collection, conn)


def _missing_commands() -> list[str]:
    return [name for name in REQUIRED_COMMANDS if shutil.which(name) is None]


@pytest.fixture(scope="session")
def secret_service() -> Iterator[PrivateSecretService]:
    """A real, private Secret Service for the whole session; skips if not installed."""
    if missing := _missing_commands():
        pytest.skip(f"{', '.join(missing)} not installed; run .ci/system-deps")
    with start_secret_service() as service:
        yield service


@pytest.fixture
def secret_service_keyring(
    secret_service: PrivateSecretService, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PrivateSecretService]:
    """Point this process and ``keyring`` at the private Secret Service, emptied and unlocked."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service.address)
    secret_service.unlock()
    secret_service.clear()
    previous = keyring.get_keyring()
    # keyring caches its backend per process, so choosing it here is the only sure way.
    keyring.set_keyring(keyring.backends.SecretService.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield secret_service
    finally:
        keyring.set_keyring(previous)


def _ci_is_set() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


class _CiGuard:
    """In CI, a skipped Secret Service test fails the run: the runner must provide it."""

    def __init__(self) -> None:
        self.skipped: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.skipped and MARKER in report.keywords:
            self.skipped.append(report.nodeid)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.skipped and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.skipped:
            return
        terminalreporter.section("Secret Service missing in CI", red=True)
        terminalreporter.line(
            f"CI is set, so these {len(self.skipped)} skipped {MARKER} tests fail the run;"
            " install the daemons with .ci/system-deps:"
        )
        for nodeid in self.skipped:
            terminalreporter.line(f"  {nodeid}")


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker, and fail skipped Secret Service tests when CI is set."""
    config.addinivalue_line("markers", f"{MARKER}: needs a real Secret Service")
    if _ci_is_set():
        config.pluginmanager.register(_CiGuard(), "secret-service-ci-guard")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every user of the fixture, so that ``-m`` and the CI rule cover it too."""
    for item in items:
        if "secret_service" in getattr(item, "fixturenames", ()):
            item.add_marker(MARKER)
