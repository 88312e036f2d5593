"""set and unset of secret_key: read safely, stored in a secure keyring or refused."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from cli_helpers import (
    ACCESS_KEY,
    SECRET_KEY,
    Cli,
    FakeTerminal,
    LockHolder,
    file_state,
    mode_of,
)
from keyring.backend import KeyringBackend
from keyring_doubles import BlockingKeyring
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

import layered_config
from layered_config import _atomic
from layered_config._cli import _secret

pytest_plugins = ["cli_helpers"]

SERVICE = "backend.ai"
BASE = f'endpoint = "https://api.example.com"\naccess_key = "{ACCESS_KEY}"\n'


@pytest.fixture
def with_access_key(user_file) -> Path:
    """A user file that holds only the endpoint and the access key."""
    return user_file(BASE)


def assert_secret_hidden(result: Any, secret: str = SECRET_KEY) -> None:
    """Fail when the secret appears in the command's stdout or stderr."""
    assert secret not in result.out
    assert secret not in result.err


# --- reading the secret -------------------------------------------------------------


def test_a_secret_on_argv_is_refused_with_exit_2(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """set secret_key VALUE exits 2, stores nothing and does not echo the value."""
    before = file_state(with_access_key)
    result = cli("set", "secret_key", SECRET_KEY)
    assert result.code == 2
    assert "refusing to take secret_key from the command line" in result.err
    assert_secret_hidden(result)
    assert memory_keyring.secrets == {}
    assert file_state(with_access_key) == before


def test_a_secret_on_argv_is_refused_with_plaintext_too(cli: Cli, with_access_key: Path) -> None:
    """set secret_key VALUE --plaintext exits 2 and leaves the file alone."""
    before = file_state(with_access_key)
    result = cli("set", "secret_key", SECRET_KEY, "--plaintext")
    assert result.code == 2
    assert file_state(with_access_key) == before


@pytest.mark.parametrize("ending", ["", "\n", "\r\n", "\r"])
def test_one_trailing_line_ending_is_stripped(
    cli: Cli, with_access_key: Path, memory_keyring, ending: str
) -> None:
    """A secret piped on stdin loses one trailing LF, CRLF or CR, and nothing else."""
    result = cli("set", "secret_key", stdin=SECRET_KEY + ending)
    assert result.code == 0, result.err
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}


def test_spaces_around_the_secret_are_kept(cli: Cli, with_access_key: Path, memory_keyring) -> None:
    """Only a line ending is stripped: spaces are part of the secret."""
    assert cli("set", "secret_key", stdin=" padded secret \n").code == 0
    assert memory_keyring.secrets[SERVICE, ACCESS_KEY] == " padded secret "


@pytest.mark.parametrize(
    "text",
    [
        "first\nsecond\n",
        "secret\n\n",
        "secret\r\n\r\n",
        "line\rbreak",
        "tab\there",
        "escape\x1b[0m",
        "nul\x00byte",
        "delete\x7f",
    ],
    ids=["newline", "two-newlines", "two-crlf", "cr", "tab", "escape", "nul", "del"],
)
def test_an_embedded_newline_or_control_character_is_refused(
    cli: Cli, with_access_key: Path, memory_keyring, text: str
) -> None:
    """An embedded newline or control character exits 1, and nothing is stored anywhere."""
    before = file_state(with_access_key)
    result = cli("set", "secret_key", stdin=text)
    assert result.code == 1
    assert "newline or control character; nothing was stored" in result.err
    assert memory_keyring.secrets == {}
    assert file_state(with_access_key) == before
    plaintext = cli("set", "secret_key", "--plaintext", stdin=text)
    assert plaintext.code == 1
    assert file_state(with_access_key) == before


@pytest.mark.parametrize("text", ["", "\n", "\r\n"])
def test_an_empty_secret_is_refused(
    cli: Cli, with_access_key: Path, memory_keyring, text: str
) -> None:
    """An empty secret on stdin exits 1 and stores nothing."""
    result = cli("set", "secret_key", stdin=text)
    assert result.code == 1
    assert "empty" in result.err
    assert memory_keyring.secrets == {}


def test_on_a_terminal_the_secret_comes_from_a_no_echo_prompt(
    cli: Cli, with_access_key: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a terminal on stdin, set secret_key asks getpass, not stdin."""
    prompts: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return SECRET_KEY

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    result = cli("set", "secret_key", stdin=FakeTerminal("not this\n"))
    assert result.code == 0, result.err
    assert prompts == ["secret_key: "]
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}


def test_on_a_terminal_the_keyring_write_may_take_60_seconds(
    cli: Cli, with_access_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal a keyring write waits at least 60 s, as a person may be unlocking it."""
    timeouts: list[float] = []
    real = _secret.store_secret

    def spy(service: str, username: str, secret: str, timeout: float) -> str:
        timeouts.append(timeout)
        return real(service, username, secret, timeout)

    monkeypatch.setattr(_secret, "store_secret", spy)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": SECRET_KEY)
    assert cli("set", "secret_key", stdin=FakeTerminal()).code == 0
    assert cli("set", "secret_key", stdin=SECRET_KEY).code == 0
    assert timeouts == [60.0, 3.0]


# --- storing in the keyring -------------------------------------------------------


def test_set_secret_key_stores_in_the_keyring_under_the_access_key(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """set secret_key stores the secret in the keyring, and show finds it there."""
    before = file_state(with_access_key)
    result = cli("set", "secret_key", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert result.out == (
        "stored secret_key in the keyring "
        f"(conftest MemoryKeyring service=backend.ai username={ACCESS_KEY})\n"
    )
    assert_secret_hidden(result)
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}
    assert with_access_key.read_bytes() == before.data
    resolution = layered_config.resolve()
    assert resolution.values["secret_key"] == SECRET_KEY
    origin = resolution.origin("secret_key")
    assert origin is not None and origin.source == "keyring"


def test_set_secret_key_uses_the_access_key_from_env(
    cli: Cli, memory_keyring, monkeypatch: pytest.MonkeyPatch, config_path: Path
) -> None:
    """The keyring username is the resolved access key, wherever it came from."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AK-FROM-ENV")
    assert cli("set", "secret_key", stdin=SECRET_KEY).code == 0
    assert memory_keyring.secrets == {(SERVICE, "AK-FROM-ENV"): SECRET_KEY}


@pytest.fixture
def config_path(user_file) -> Path:
    """The user file's path, not created."""
    return user_file.path


def test_set_secret_key_without_an_access_key_says_to_set_it_first(
    cli: Cli, memory_keyring, config_path: Path
) -> None:
    """Without an access key, set secret_key exits 1 and says to set the access key first."""
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "run 'layered-config set access_key VALUE' first" in result.err
    assert memory_keyring.secrets == {}
    assert not config_path.exists()


def test_storing_removes_the_plaintext_copy_from_the_file(
    cli: Cli, user_file, memory_keyring
) -> None:
    """Moving the secret to the keyring removes secret_key from the file, and nothing else."""
    path = user_file(
        "# my settings\n"
        'endpoint = "https://api.example.com"\n'
        f'access_key = "{ACCESS_KEY}"\n'
        'secret_key = "old-plaintext-secret"  # to move\n'
        "\n"
        "[profiles.dev]\n"
        'domain = "dev"\n'
    )
    result = cli("set", "secret_key", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert f"removed the plaintext copy of secret_key from {path}" in result.out
    assert path.read_bytes() == (
        b"# my settings\n"
        b'endpoint = "https://api.example.com"\n'
        b'access_key = "AKIAIOSFODNN7EXAMPLE"\n'
        b"\n"
        b"[profiles.dev]\n"
        b'domain = "dev"\n'
    )
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}
    assert "old-plaintext-secret" not in result.out + result.err


def test_storing_for_a_profile_removes_the_profiles_copy(
    cli: Cli, user_file, memory_keyring
) -> None:
    """set secret_key --profile P removes P's plaintext copy; the keyring has the secret."""
    path = user_file(
        BASE + '\n[profiles.dev]\nsecret_key = "dev-plaintext-secret"\ndomain = "dev"\n'
    )
    result = cli("set", "secret_key", "--profile", "dev", stdin=SECRET_KEY)
    assert result.code == 0, result.err
    assert path.read_text() == BASE + '\n[profiles.dev]\ndomain = "dev"\n'
    assert cli("get", "secret_key", "--show-secrets", "--profile", "dev").out == SECRET_KEY + "\n"


def test_storing_for_a_profile_keeps_another_accounts_base_secret(
    cli: Cli, user_file, memory_keyring
) -> None:
    """A base secret_key that belongs to another access key is not deleted by set --profile.

    It is not a copy of the new secret: deleting it would lose the base account's
    credential, which is stored nowhere else.
    """
    text = (
        'access_key = "AK-BASE"\n'
        'secret_key = "base-account-secret-0001"\n'
        "\n"
        "[profiles.other]\n"
        'access_key = "AK-OTHER"\n'
        'secret_key = "other-account-secret-0002"\n'
    )
    path = user_file(text)
    result = cli("set", "secret_key", "--profile", "other", stdin=SECRET_KEY)
    assert result.code == 0, result.err
    assert memory_keyring.secrets == {(SERVICE, "AK-OTHER"): SECRET_KEY}
    assert 'secret_key = "base-account-secret-0001"' in path.read_text()
    assert "other-account-secret-0002" not in path.read_text()
    assert len(result.warnings) == 1
    assert f"{path}:2: the base table's secret_key belongs to another access key" in result.err
    assert "base-account-secret-0001" not in result.out + result.err
    base = cli("get", "secret_key", "--show-secrets")
    assert base.out == "base-account-secret-0001\n"


def test_storing_for_a_profile_removes_the_base_copy_of_the_same_account(
    cli: Cli, user_file, memory_keyring
) -> None:
    """set secret_key --profile P removes the base copy when P uses the base's access key."""
    path = user_file(
        BASE + 'secret_key = "same-account-secret-0004"\n\n[profiles.dev]\ndomain = "d"\n'
    )
    result = cli("set", "secret_key", "--profile", "dev", stdin=SECRET_KEY)
    assert result.code == 0, result.err
    assert result.warnings == []
    assert path.read_text() == BASE + '\n[profiles.dev]\ndomain = "d"\n'
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}


def test_unset_for_a_profile_keeps_another_accounts_base_secret(
    cli: Cli, user_file, memory_keyring
) -> None:
    """unset secret_key --profile P does not delete the base table's secret of another key."""
    path = user_file(
        'access_key = "AK-BASE"\n'
        'secret_key = "base-account-secret-0001"\n'
        "\n"
        "[profiles.other]\n"
        'access_key = "AK-OTHER"\n'
        'secret_key = "other-account-secret-0002"\n'
    )
    result = cli("unset", "secret_key", "--profile", "other")
    assert result.code == 0, result.err
    assert "belongs to another access key, so it was kept" in result.err
    assert path.read_text() == (
        'access_key = "AK-BASE"\n'
        'secret_key = "base-account-secret-0001"\n'
        "\n"
        "[profiles.other]\n"
        'access_key = "AK-OTHER"\n'
    )


def test_a_keyring_that_refuses_leaves_the_plaintext_copy(cli: Cli, user_file) -> None:
    """When the keyring fails to store, exit 1 and keep the file's plaintext copy."""

    class Refusing(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.PasswordSetError(f"refused {password}")

        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.PasswordDeleteError("no")

    keyring.set_keyring(Refusing())
    path = user_file(BASE + 'secret_key = "plaintext-secret-0003"\n')
    before = file_state(path)
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "the keyring refused to store secret_key" in result.err
    assert_secret_hidden(result)
    assert file_state(path) == before


@pytest.fixture
def hanging() -> Iterator[BlockingKeyring]:
    """Pin a hanging keyring; its blocked threads are let go after the test."""
    backend = BlockingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()


@pytest.mark.timeout(30)
def test_a_keyring_write_that_times_out_says_state_unknown(
    cli: Cli, user_file, hanging: BlockingKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyring that does not answer makes set exit 1 with "state unknown; run doctor"."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0.2")
    path = user_file(BASE + 'secret_key = "plaintext-secret-0003"\n')
    before = file_state(path)
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "timed out after 0.2 s" in result.err
    assert "state unknown; run 'layered-config doctor'" in result.err
    assert file_state(path) == before


# --- refusing insecure backends ---------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "name", "why"),
    [
        (keyring.backends.null.Keyring, "null Keyring", "the keyring is disabled"),
        (keyring.backends.fail.Keyring, "fail Keyring", "no keyring backend is available"),
        (PlaintextKeyring, "file PlaintextKeyring", "stores secrets unencrypted"),
        (EncryptedKeyring, "file EncryptedKeyring", "needs a terminal"),
    ],
    ids=["null", "fail", "plaintext", "encrypted-without-terminal"],
)
def test_an_insecure_backend_is_refused_naming_it_and_explaining_plaintext(
    cli: Cli, with_access_key: Path, tmp_path: Path, *, backend: type, name: str, why: str
) -> None:
    """With only an insecure backend, set secret_key exits 1, names it and explains --plaintext."""
    # EncryptedKeyring's __init__ needs pycryptodome, which is not a test dependency;
    # the refusal depends only on the backend's type, so skip __init__ for it.
    keyring.set_keyring(backend.__new__(backend) if backend is EncryptedKeyring else backend())
    before = file_state(with_access_key)
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert len(result.errors) == 1
    assert f"(backend: {name})" in result.err
    assert why in result.err
    assert "--plaintext" in result.err
    assert f"write it to {with_access_key} with mode 0600" in result.err
    assert_secret_hidden(result)
    assert file_state(with_access_key) == before
    stored = [
        p for p in tmp_path.rglob("*") if p.is_file() and SECRET_KEY.encode() in p.read_bytes()
    ]
    assert stored == []


def test_keyring_lookups_off_is_refused(
    cli: Cli, with_access_key: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With BACKEND_KEYRING_TIMEOUT=0, set secret_key refuses and explains --plaintext."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0")
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "keyring lookups are off" in result.err
    assert "--plaintext" in result.err
    assert memory_keyring.secrets == {}


# --- --plaintext -----------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
def test_plaintext_writes_a_0600_file_and_warns(
    cli: Cli, config_path: Path, memory_keyring
) -> None:
    """set secret_key --plaintext writes the file with mode 0600 and warns that it is plaintext."""
    result = cli("set", "secret_key", "--plaintext", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert config_path.read_text() == f'secret_key = "{SECRET_KEY}"\n'
    assert mode_of(config_path) == 0o600
    assert result.warnings == [
        f"layered-config: warning: secret_key is stored in plaintext in {config_path} "
        "(mode 0600); the OS keyring is safer: run 'layered-config set secret_key' "
        "without --plaintext"
    ]
    assert_secret_hidden(result)
    assert memory_keyring.secrets == {}


def test_plaintext_works_with_an_insecure_backend(cli: Cli, with_access_key: Path) -> None:
    """--plaintext is the way out when only an insecure keyring exists."""
    keyring.set_keyring(keyring.backends.null.Keyring())
    assert cli("set", "secret_key", "--plaintext", stdin=SECRET_KEY).code == 0
    assert cli("get", "secret_key", "--show-secrets").out == SECRET_KEY + "\n"


# --- unset ------------------------------------------------------------------------


def test_unset_removes_the_secret_from_the_keyring_and_the_file(
    cli: Cli, user_file, memory_keyring
) -> None:
    """unset secret_key deletes the keyring entry and the file's plaintext copy."""
    path = user_file(BASE + 'secret_key = "plaintext-secret-0003"\n')
    memory_keyring.secrets[SERVICE, ACCESS_KEY] = SECRET_KEY
    result = cli("unset", "secret_key")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"removed secret_key in the keyring (service=backend.ai username={ACCESS_KEY})",
        f"removed secret_key from {path}",
    ]
    assert memory_keyring.secrets == {}
    assert path.read_text() == BASE
    assert cli("get", "secret_key", "--show-secrets").code == 1


def test_unset_when_there_is_no_secret_says_so(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """unset secret_key with nothing stored exits 0 and says the keyring had none."""
    before = file_state(with_access_key)
    result = cli("unset", "secret_key")
    assert result.code == 0, result.err
    assert (
        result.out == f"no secret_key in the keyring (service=backend.ai username={ACCESS_KEY})\n"
    )
    assert file_state(with_access_key) == before


def test_unset_with_an_unreachable_keyring_still_cleans_the_file(cli: Cli, user_file) -> None:
    """unset secret_key warns when the keyring cannot be reached and still cleans the file."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    path = user_file(BASE + 'secret_key = "plaintext-secret-0003"\n')
    result = cli("unset", "secret_key")
    assert result.code == 0, result.err
    assert any("could not reach the keyring" in line for line in result.warnings)
    assert path.read_text() == BASE


# --- changing the access key --------------------------------------------------------


def test_changing_the_access_key_warns_about_the_secret_left_behind(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """set access_key NEW with a keyring secret under the old key warns and says how to move it."""
    memory_keyring.secrets[SERVICE, ACCESS_KEY] = SECRET_KEY
    result = cli("set", "access_key", "AK-NEW")
    assert result.code == 0, result.err
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert f"under the old access key {ACCESS_KEY!r}" in warning
    assert "layered-config set secret_key" in warning
    assert f"keyring del backend.ai {ACCESS_KEY}" in warning
    assert_secret_hidden(result)
    assert memory_keyring.secrets == {(SERVICE, ACCESS_KEY): SECRET_KEY}


def test_changing_the_access_key_without_a_stored_secret_does_not_warn(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """set access_key NEW with no keyring secret under the old key prints no warning."""
    result = cli("set", "access_key", "AK-NEW")
    assert result.code == 0, result.err
    assert result.warnings == []


def test_setting_the_same_access_key_does_not_warn(
    cli: Cli, with_access_key: Path, memory_keyring
) -> None:
    """set access_key to its current value, with a keyring secret, prints no warning."""
    memory_keyring.secrets[SERVICE, ACCESS_KEY] = SECRET_KEY
    result = cli("set", "access_key", ACCESS_KEY)
    assert result.code == 0, result.err
    assert result.warnings == []


def test_an_access_key_still_overridden_by_env_does_not_warn(
    cli: Cli, with_access_key: Path, memory_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """set access_key while env decides the access key keeps the key in effect: no warning."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AK-ENV")
    memory_keyring.secrets[SERVICE, "AK-ENV"] = SECRET_KEY
    result = cli("set", "access_key", "AK-NEW")
    assert result.code == 0, result.err
    assert "note: env BACKEND_ACCESS_KEY overrides this value" in result.out
    assert result.warnings == []


def test_a_profile_key_over_a_base_key_still_in_use_does_not_warn(
    cli: Cli, user_file, memory_keyring
) -> None:
    """set --profile P access_key does not call the base's secret left behind: the base uses it."""
    user_file(BASE + '\n[profiles.p]\ndomain = "d"\n')
    memory_keyring.secrets[SERVICE, ACCESS_KEY] = SECRET_KEY
    result = cli("set", "--profile", "p", "access_key", "AK-PROFILE")
    assert result.code == 0, result.err
    assert result.warnings == []


def test_replacing_a_profile_key_warns_with_both_keys(cli: Cli, user_file, memory_keyring) -> None:
    """Replacing the key a profile itself set warns, naming the old and the new key."""
    user_file(BASE + '\n[profiles.p]\naccess_key = "AK-OLD-PROFILE"\n')
    memory_keyring.secrets[SERVICE, "AK-OLD-PROFILE"] = SECRET_KEY
    result = cli("set", "--profile", "p", "access_key", "AK-PROFILE")
    assert result.code == 0, result.err
    assert len(result.warnings) == 1
    assert "old access key 'AK-OLD-PROFILE'" in result.warnings[0]
    assert "'AK-PROFILE'" in result.warnings[0]


def test_a_held_lock_stores_nothing_in_the_keyring(
    cli: Cli,
    user_file,
    memory_keyring,
    monkeypatch: pytest.MonkeyPatch,
    lock_holder: Callable[[Path], LockHolder],
) -> None:
    """While another writer holds the lock, set secret_key exits 1 and stores nothing."""
    path = user_file(BASE + 'secret_key = "plaintext-secret-0003"\n')
    before = file_state(path)
    kwdefaults = _atomic.locked_update.__kwdefaults__
    assert kwdefaults is not None
    monkeypatch.setitem(kwdefaults, "lock_timeout", 0.2)
    lock_holder(path.with_name("config.toml.lock"))
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "waiting for the lock" in result.err
    assert memory_keyring.secrets == {}
    assert file_state(path) == before
