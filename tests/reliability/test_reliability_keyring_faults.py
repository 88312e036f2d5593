"""Keyring faults: each one is a ``skipped`` entry with its reason, and the result is right.

The faults are the ones ``reference/keyring-backends.md`` catalogues: no backend,
the null backend, a locked collection (real gnome-keyring), a backend that never
answers, a backend that raises something that is not a ``KeyringError``, and a
``PYTHON_KEYRING_BACKEND`` that cannot be imported. No test reads a clock: the
blocking backend is released by the test, and only the reason is checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
import secretstorage.exceptions
from jeepney import DBusAddress, new_error, new_method_call  # type: ignore[import-untyped]
from jeepney.wrappers import DBusErrorResponse  # type: ignore[import-untyped]
from keyring_doubles import BlockingKeyring, RaisingKeyring
from reliability_support import (
    ACCESS_KEY,
    SECRET,
    assert_one_line_error,
    cli_process,
    record,
    run_cli,
    snapshot_tree,
)

from layered_config import MissingValueError, resolve

SAFETY_RELEASE = 30.0
"""Seconds after which a blocked backend gives up by itself, so no thread outlives the run."""


def keyring_entry(resolution: Any) -> Any:
    """Return the keyring's one entry in ``explain('secret_key')``."""
    (entry,) = [e for e in resolution.explain("secret_key") if e.source == "keyring"]
    return entry


def assert_missing_because(reason: str, environ: dict[str, str] | None = None) -> None:
    """Resolving skips the keyring for ``reason``, and the config raises the missing-key error."""
    resolution = resolve(environ={"BACKEND_ACCESS_KEY": ACCESS_KEY, **(environ or {})})
    entry = keyring_entry(resolution)
    assert (entry.status, entry.reason) == ("skipped", reason)
    assert "secret_key" not in resolution.values
    with pytest.raises(MissingValueError) as info:
        _ = resolution.config
    assert isinstance(info.value, KeyError) and info.value.args == ("SECRET_KEY",)
    assert reason in str(info.value)


def assert_env_secret_still_wins(environ: dict[str, str] | None = None) -> None:
    """With the secret in env, the broken keyring is not asked and the config is complete."""
    env = {"BACKEND_ACCESS_KEY": ACCESS_KEY, "BACKEND_SECRET_KEY": SECRET, **(environ or {})}
    resolution = resolve(environ=env)
    assert resolution.config.secret_key == SECRET
    entry = keyring_entry(resolution)
    assert (entry.status, entry.reason) == ("skipped", "a higher layer gave the value")


def assert_cli_reports(reason_part: str, env: dict[str, str] | None = None) -> None:
    """``explain secret_key --json`` exits 0 and names the reason; ``get`` is one error line."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"BACKEND_ACCESS_KEY": ACCESS_KEY, **(env or {})}.items():
            patch.setenv(name, value)
        explained = run_cli(["explain", "secret_key", "--json"])
        assert explained.code == 0, explained
        (entry,) = [c for c in json.loads(explained.out)["candidates"] if c["source"] == "keyring"]
        assert entry["status"] == "skipped" and reason_part in entry["reason"]
        assert_one_line_error(run_cli(["get", "secret_key", "--show-secrets"]))


def assert_set_refused(config: Path, message_part: str) -> None:
    """``set secret_key`` exits 1 with one line naming the problem, and writes nothing."""
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'access_key = "{ACCESS_KEY}"\nsecret_key = "old"\n')
    before = snapshot_tree(config.parent)
    result = run_cli(["set", "--config-file", str(config), "secret_key"], stdin=SECRET + "\n")
    assert_one_line_error(result)
    assert message_part in result.err
    assert snapshot_tree(config.parent) == before


# No backend, and the null backend ----------------------------------------------------


def test_no_backend(config_path: Path) -> None:
    """keyring's fail backend: 'no keyring backend', the missing-key error, a refused set."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert_missing_because("no keyring backend")
    assert_env_secret_still_wins()
    assert_cli_reports("no keyring backend")
    assert_set_refused(config_path, "no keyring backend is available")
    record("keyring faults", cases=1)


def test_null_backend(config_path: Path) -> None:
    """The null backend (keyring --disable) is a reason, not an empty secret."""
    keyring.set_keyring(keyring.backends.null.Keyring())
    assert_missing_because("keyring disabled (null backend)")
    assert_env_secret_still_wins()
    assert_cli_reports("keyring disabled (null backend)")
    assert_set_refused(config_path, "the keyring is disabled (null backend)")
    record("keyring faults", cases=1)


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        ("keyring.backends.fail.Keyring", "no keyring backend"),
        ("keyring.backends.null.Keyring", "keyring disabled (null backend)"),
    ],
)
def test_backends_named_in_the_environment(backend: str, reason: str) -> None:
    """The same in a real process, where PYTHON_KEYRING_BACKEND picks the backend."""
    env = {"PYTHON_KEYRING_BACKEND": backend, "BACKEND_ACCESS_KEY": ACCESS_KEY}
    explained = cli_process(["explain", "secret_key", "--json"], env=env)
    assert explained.code == 0, explained
    (entry,) = [c for c in json.loads(explained.out)["candidates"] if c["source"] == "keyring"]
    assert (entry["status"], entry["reason"]) == ("skipped", reason)
    assert_one_line_error(cli_process(["get", "secret_key", "--show-secrets"], env=env))
    record("keyring faults", cases=1)


# A locked collection, on a real gnome-keyring -----------------------------------------


def test_locked_collection(secret_service_keyring: Any, config_path: Path) -> None:
    """Locked: 'keyring locked' and the missing-key error; unlocked: the secret, named backend."""
    secret_service_keyring.store("backend.ai", ACCESS_KEY, SECRET)
    secret_service_keyring.lock()
    try:
        assert_missing_because("keyring locked")
        assert_env_secret_still_wins()
        assert_cli_reports("keyring locked")
        assert_set_refused(config_path, "keyring locked")
    finally:
        secret_service_keyring.unlock()
    resolution = resolve(environ={"BACKEND_ACCESS_KEY": ACCESS_KEY})
    assert resolution.config.secret_key == SECRET
    location = keyring_entry(resolution).location
    assert location == f"SecretService Keyring service=backend.ai username={ACCESS_KEY}"
    record("keyring faults", cases=1)


# A backend that never answers --------------------------------------------------------


@pytest.fixture
def blocking_keyring() -> Iterator[BlockingKeyring]:
    """Pin a backend that blocks; release it afterwards, so its thread ends."""
    backend = BlockingKeyring(SECRET, wait_limit=SAFETY_RELEASE)
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        backend.release.set()


def test_backend_that_blocks(
    blocking_keyring: BlockingKeyring, config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read gives up with 'timed out after 0.05 s'; a write says 'state unknown'."""
    short = {"BACKEND_KEYRING_TIMEOUT": "0.05"}
    assert_missing_because("timed out after 0.05 s", short)
    assert blocking_keyring.entered.is_set()
    assert_env_secret_still_wins(short)
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0.05")
    assert_cli_reports("timed out after 0.05 s")
    assert_set_refused(config_path, "state unknown; run 'layered-config doctor'")
    # Released, the same backend answers, and the value is used.
    blocking_keyring.release.set()
    resolution = resolve(environ={"BACKEND_ACCESS_KEY": ACCESS_KEY})
    assert resolution.config.secret_key == SECRET
    record("keyring faults", cases=1)


# A backend that raises something that is not a KeyringError ---------------------------


def dbus_error() -> DBusErrorResponse:
    """The error jeepney raises when D-Bus cannot start the Secret Service."""
    call = new_method_call(DBusAddress("/org/freedesktop/secrets", "org.freedesktop.secrets"), "X")
    name = "org.freedesktop.DBus.Error.Spawn.ChildExited"
    return DBusErrorResponse(new_error(call, name, "s", ("exited with status 1",)))


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (dbus_error(), "D-Bus error: DBusErrorResponse: "),
        (
            secretstorage.exceptions.SecretServiceNotAvailableException("no service"),
            "D-Bus error: SecretServiceNotAvailableException: no service",
        ),
        (RuntimeError("pycryptodome/x required"), "keyring error: RuntimeError: pycryptodome"),
        (EOFError(), "keyring error: EOFError"),
        (AssertionError(), "keyring error: AssertionError"),
        (OSError(104, "Connection reset by peer"), "keyring error: ConnectionResetError: "),
    ],
    ids=[
        "DBusErrorResponse",
        "SecretStorageException",
        "RuntimeError",
        "EOFError",
        "AssertionError",
        "ConnectionResetError",
    ],
)
def test_backend_that_raises_a_foreign_error(
    error: BaseException, reason: str, config_path: Path
) -> None:
    """Errors from D-Bus, secretstorage and Python itself all become a reason."""
    if isinstance(error, OSError):
        error = OSError(*error.args)  # the errno picks the subclass
    keyring.set_keyring(RaisingKeyring(error))
    resolution = resolve(environ={"BACKEND_ACCESS_KEY": ACCESS_KEY})
    entry = keyring_entry(resolution)
    assert entry.status == "skipped" and entry.reason.startswith(reason), entry.reason
    with pytest.raises(MissingValueError):
        _ = resolution.config
    assert_env_secret_still_wins()
    assert_cli_reports(reason)
    assert_set_refused(config_path, "the keyring refused to store secret_key: " + reason)
    record("keyring faults", cases=1)


# A PYTHON_KEYRING_BACKEND that cannot be imported --------------------------------------


@pytest.mark.parametrize(
    "backend",
    ["no_such_module.Keyring", "keyring.backends.fail.NoSuchClass", "keyring.backends"],
)
def test_backend_that_cannot_be_imported(backend: str, config_path: Path) -> None:
    """An unusable PYTHON_KEYRING_BACKEND is a reason; env still wins; set is refused."""
    env = {"PYTHON_KEYRING_BACKEND": backend, "BACKEND_ACCESS_KEY": ACCESS_KEY}
    explained = cli_process(["explain", "secret_key", "--json"], env=env)
    assert explained.code == 0, explained
    (entry,) = [c for c in json.loads(explained.out)["candidates"] if c["source"] == "keyring"]
    assert entry["status"] == "skipped"
    assert entry["reason"].startswith("keyring backend could not be loaded: "), entry["reason"]
    assert_one_line_error(cli_process(["get", "secret_key", "--show-secrets"], env=env))
    with_env = cli_process(
        ["get", "secret_key", "--show-secrets"], env={**env, "BACKEND_SECRET_KEY": SECRET}
    )
    assert (with_env.code, with_env.out) == (0, SECRET + "\n")
    config_path.parent.mkdir()
    config_path.write_text(f'access_key = "{ACCESS_KEY}"\n')
    before = snapshot_tree(config_path.parent)
    refused = cli_process(
        ["set", "--config-file", str(config_path), "secret_key"], env=env, stdin=SECRET
    )
    assert_one_line_error(refused)
    assert "refusing to store secret_key" in refused.err
    assert snapshot_tree(config_path.parent) == before
    record("keyring faults", cases=1)
