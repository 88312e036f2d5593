"""The keyring layer: asked only when needed, bounded in time, and every failure a reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.core
import pytest
from keyring.backends.chainer import ChainerBackend
from keyring.errors import InitError, KeyringLocked
from keyring_doubles import BlockingKeyring, RaisingKeyring, RecordingKeyring
from keyrings.alt.file import PlaintextKeyring

from layered_config import APIConfig, ConfigValueError, MissingValueError, resolve

AK = "AKKEYRING"
SERVICE = "backend.ai"


class DBusErrorResponse(Exception):
    """Stands in for jeepney's D-Bus error, which is no KeyringError."""


DBusErrorResponse.__module__ = "jeepney.wrappers"


def keyring_entry(resolution: Any) -> Any:
    """Return the keyring's explain entry for secret_key."""
    [entry] = [e for e in resolution.explain("secret_key") if e.source == "keyring"]
    return entry


def test_secret_from_the_dict_backed_keyring(memory_keyring: Any) -> None:
    """The secret is looked up under service backend.ai and the access key as username."""
    memory_keyring.secrets[SERVICE, AK] = "dict-secret"
    config = APIConfig(access_key=AK)
    assert config.secret_key == "dict-secret"
    assert keyring_entry(config.resolution).status == "winner"


def test_username_is_the_resolved_access_key(user_file: Any) -> None:
    """The keyring is asked with the access key from whichever layer gave it."""
    recorder = RecordingKeyring({(SERVICE, "AKFROMFILE"): "s"})
    keyring.set_keyring(recorder)
    user_file('access_key = "AKFROMFILE"\n')
    assert APIConfig().secret_key == "s"
    assert recorder.calls == [(SERVICE, "AKFROMFILE")]


def test_no_entry_is_absent() -> None:
    """A backend without the secret gives an absent entry with the reason 'no entry'."""
    entry = keyring_entry(resolve(access_key=AK))
    assert (entry.status, entry.reason) == ("absent", "no entry")


def test_no_access_key_means_the_keyring_is_skipped() -> None:
    """Without an access key the keyring cannot be asked, and says so."""
    entry = keyring_entry(resolve())
    assert entry.status == "skipped"
    assert "no access key" in (entry.reason or "")


def test_plaintext_keyring_in_a_temp_folder(tmp_path: Path) -> None:
    """keyrings.alt's PlaintextKeyring in a temp file serves the secret and is named."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    backend.set_password(SERVICE, AK, "plaintext-secret")
    keyring.set_keyring(backend)
    resolution = resolve(access_key=AK)
    assert resolution.values["secret_key"] == "plaintext-secret"
    assert resolution.origin("secret_key").location == (
        f"{PlaintextKeyring.name} service={SERVICE} username={AK}"
    )


def test_under_a_chainer_the_answering_backend_is_named() -> None:
    """With keyring's chainer, the origin names the inner backend that had the secret."""
    first = RecordingKeyring()
    second = PlaintextKeyring()
    second.file_path = str(Path.cwd() / "chained.cfg")
    second.set_password(SERVICE, AK, "chained-secret")

    class FixedChainer(ChainerBackend):
        priority = 10
        backends = (first, second)

    keyring.set_keyring(FixedChainer())
    origin = resolve(access_key=AK).origin("secret_key")
    assert origin.location == f"{PlaintextKeyring.name} service={SERVICE} username={AK}"
    assert first.calls == [(SERVICE, AK)]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DBusErrorResponse("org.freedesktop.DBus.Error.ServiceUnknown"), "D-Bus error"),
        (RuntimeError("backend exploded"), "keyring error: RuntimeError: backend exploded"),
        (KeyringLocked("collection is locked"), "keyring locked"),
        (InitError("cannot start"), "keyring could not start"),
    ],
    ids=["jeepney", "runtime-error", "locked", "init-error"],
)
def test_a_failing_backend_is_skipped_and_resolution_goes_on(
    system_file: Any, error: BaseException, reason: str
) -> None:
    """A backend raising any error is a skipped entry with its reason, and a lower layer answers."""
    system_file(f'access_key = "{AK}"\nsecret_key = "system-secret"\n')
    keyring.set_keyring(RaisingKeyring(error))
    resolution = resolve()
    entry = keyring_entry(resolution)
    assert entry.status == "skipped"
    assert (entry.reason or "").startswith(reason)
    assert resolution.values["secret_key"] == "system-secret"


def test_jeepney_error_is_named_as_a_dbus_error() -> None:
    """A D-Bus error from jeepney is reported as such, with its class name."""
    keyring.set_keyring(RaisingKeyring(DBusErrorResponse("org.freedesktop.DBus.Error.NoReply")))
    reason = keyring_entry(resolve(access_key=AK)).reason
    assert reason == "D-Bus error: DBusErrorResponse: org.freedesktop.DBus.Error.NoReply"


def test_no_keyring_backend() -> None:
    """keyring's fail backend (NoKeyringError) is skipped with 'no keyring backend'."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    entry = keyring_entry(resolve(access_key=AK))
    assert (entry.status, entry.reason) == ("skipped", "no keyring backend")


def test_null_backend_is_skipped() -> None:
    """keyring's null backend turns the keyring off: a skipped entry, not an absent one."""
    keyring.set_keyring(keyring.backends.null.Keyring())
    entry = keyring_entry(resolve(access_key=AK))
    assert entry.status == "skipped"
    assert "null backend" in (entry.reason or "")


def test_unimportable_backend_choice_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PYTHON_KEYRING_BACKEND that cannot be imported is a skipped entry naming the problem."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no_such_module_for_tests.Keyring")
    entry = keyring_entry(resolve(access_key=AK))
    assert entry.status == "skipped"
    assert "could not be loaded" in (entry.reason or "")


@pytest.fixture
def blocking_keyring() -> Iterator[BlockingKeyring]:
    """Pin a backend that blocks until released; it is released when the test ends."""
    backend = BlockingKeyring("too-late")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        backend.release.set()


def test_a_blocking_backend_times_out(
    blocking_keyring: BlockingKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backend that never answers is skipped with 'timed out after 0.05 s'."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0.05")
    resolution = resolve(access_key=AK)
    entry = keyring_entry(resolution)
    assert (entry.status, entry.reason) == ("skipped", "timed out after 0.05 s")
    assert "secret_key" in resolution.missing
    assert blocking_keyring.entered.is_set()


def test_a_blocking_backend_does_not_hold_up_a_config_error(
    blocking_keyring: BlockingKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a timeout, the missing-secret error is raised and names the timeout."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0.05")
    with pytest.raises(MissingValueError, match=r"timed out after 0\.05 s"):
        APIConfig(access_key=AK)


def test_timeout_zero_turns_keyring_lookups_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """With BACKEND_KEYRING_TIMEOUT=0 the backend is never called, and the entry says why."""
    recorder = RecordingKeyring({(SERVICE, AK): "never-read"})
    keyring.set_keyring(recorder)
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0")
    entry = keyring_entry(resolve(access_key=AK))
    assert recorder.calls == []
    assert entry.status == "skipped"
    assert "BACKEND_KEYRING_TIMEOUT=0" in (entry.reason or "")


@pytest.mark.parametrize("text", ["soon", "-1", "inf", "nan"])
def test_bad_keyring_timeout_is_an_error(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """A BACKEND_KEYRING_TIMEOUT that is not a number of seconds raises ConfigValueError."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", text)
    with pytest.raises(ConfigValueError, match="BACKEND_KEYRING_TIMEOUT"):
        resolve(access_key=AK)


def test_keyring_not_asked_when_a_higher_layer_has_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the secret in env, the backend is never called."""
    recorder = RecordingKeyring({(SERVICE, AK): "keyring"})
    keyring.set_keyring(recorder)
    monkeypatch.setenv("BACKEND_SECRET_KEY", "env-secret")
    assert APIConfig(access_key=AK).secret_key == "env-secret"
    assert recorder.calls == []


def test_keyring_not_asked_in_session_mode() -> None:
    """In session mode the keys are dummy, so the keyring is not asked."""
    recorder = RecordingKeyring()
    keyring.set_keyring(recorder)
    resolution = resolve(endpoint_type="session", access_key=AK)
    assert recorder.calls == []
    assert keyring_entry(resolution).reason == "endpoint_type=session"


KEYRING_IMPORT_CHECK = """
import sys
from layered_config import get_config
print(get_config().secret_key, "keyring" in sys.modules)
"""


def test_keyring_is_not_imported_when_env_gives_the_secret(run_python: Any) -> None:
    """A process whose secret is in env never imports the keyring package."""
    result = run_python(
        KEYRING_IMPORT_CHECK, env={"BACKEND_ACCESS_KEY": AK, "BACKEND_SECRET_KEY": "env-secret"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["env-secret", "False"]


def test_missing_secret_error_lists_every_place_and_how_to_store_it() -> None:
    """The missing-secret error names each layer searched, the keyring's reason, and the fix."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(MissingValueError) as info:
        APIConfig(access_key=AK)
    message = str(info.value)
    assert info.value.args[0] == "SECRET_KEY"
    for place in ("argument", "BACKEND_SECRET_KEY", "SORNA_SECRET_KEY", "keyring", "default"):
        assert place in message
    assert "no keyring backend" in message
    assert "layered-config set secret_key" in message
    assert message.index("BACKEND_SECRET_KEY") < message.index("keyring")


def test_real_secret_service_serves_the_secret(secret_service_keyring: Any) -> None:
    """With a real Secret Service, the secret is found and the backend is named."""
    secret_service_keyring.store(SERVICE, AK, "gnome-secret")
    resolution = resolve(access_key=AK)
    assert resolution.values["secret_key"] == "gnome-secret"
    location = resolution.origin("secret_key").location or ""
    assert location.endswith(f"service={SERVICE} username={AK}")
    assert location.startswith(type(keyring.get_keyring()).name)


def test_real_locked_secret_service_is_skipped(secret_service_keyring: Any) -> None:
    """A locked Secret Service collection is a skipped entry: 'keyring locked'."""
    secret_service_keyring.store(SERVICE, AK, "gnome-secret")
    secret_service_keyring.lock()
    entry = keyring_entry(resolve(access_key=AK))
    assert (entry.status, entry.reason) == ("skipped", "keyring locked")
