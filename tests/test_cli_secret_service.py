"""The command against a real Secret Service (gnome-keyring on a private D-Bus session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ACCESS_KEY, SECRET_KEY, SECRET_MASKED, Cli, Script, explain_rows, table_rows
from secret_service import PrivateSecretService

pytest_plugins = ["cli_helpers"]

pytestmark = [pytest.mark.secret_service, pytest.mark.timeout(60)]

SERVICE = "backend.ai"
BACKEND = "SecretService Keyring"
LOCATION = f"{BACKEND} service=backend.ai username={ACCESS_KEY}"


@pytest.fixture
def with_access_key(user_file) -> Path:
    """A user file holding the access key."""
    return user_file(f'access_key = "{ACCESS_KEY}"\n')


def test_set_secret_key_stores_it_in_the_secret_service(
    cli: Cli, secret_service_keyring: PrivateSecretService, with_access_key: Path
) -> None:
    """set secret_key from stdin stores the secret where secret-tool finds it."""
    result = cli("set", "secret_key", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert result.out == f"stored secret_key in the keyring ({LOCATION})\n"
    assert SECRET_KEY not in result.out + result.err
    assert secret_service_keyring.lookup(SERVICE, ACCESS_KEY) == SECRET_KEY
    assert SECRET_KEY not in with_access_key.read_text()


def test_show_reads_the_secret_from_the_secret_service(
    cli: Cli, secret_service_keyring: PrivateSecretService, with_access_key: Path
) -> None:
    """show gives the secret masked, with source keyring and the Secret Service location."""
    assert cli("set", "secret_key", stdin=SECRET_KEY).code == 0
    result = cli("show")
    assert result.code == 0, result.err
    assert table_rows(result.out)["secret_key"] == [SECRET_MASKED, "keyring", LOCATION]
    assert SECRET_KEY not in result.out
    data = json.loads(cli("show", "--json").out)
    assert data["fields"]["secret_key"] == {
        "value": SECRET_MASKED,
        "source": "keyring",
        "location": LOCATION,
    }


def test_get_show_secrets_and_unset(
    cli: Cli, secret_service_keyring: PrivateSecretService, with_access_key: Path
) -> None:
    """get --show-secrets prints the stored secret; unset removes it from the Secret Service."""
    assert cli("set", "secret_key", stdin=SECRET_KEY).code == 0
    assert cli("get", "secret_key", "--show-secrets").out == SECRET_KEY + "\n"
    result = cli("unset", "secret_key")
    assert result.code == 0, result.err
    assert result.out == (
        f"removed secret_key in the keyring (service=backend.ai username={ACCESS_KEY})\n"
    )
    assert secret_service_keyring.lookup(SERVICE, ACCESS_KEY) is None
    assert cli("get", "secret_key", "--show-secrets").code == 1


def test_a_secret_stored_with_secret_tool_is_found(
    cli: Cli, secret_service_keyring: PrivateSecretService, with_access_key: Path
) -> None:
    """A secret stored by secret-tool (as keyring's attributes) is found by show and get."""
    secret_service_keyring.store(SERVICE, ACCESS_KEY, SECRET_KEY)
    assert table_rows(cli("show").out)["secret_key"] == [SECRET_MASKED, "keyring", LOCATION]
    assert cli("get", "secret_key", "--show-secrets").out == SECRET_KEY + "\n"


def test_a_locked_collection_makes_set_fail_clearly(
    cli: Cli, secret_service_keyring: PrivateSecretService, user_file
) -> None:
    """With the collection locked, set secret_key exits 1 at once, and the file keeps its copy."""
    path = user_file(f'access_key = "{ACCESS_KEY}"\nsecret_key = "plaintext-copy-0006"\n')
    secret_service_keyring.lock()
    result = cli("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert result.err == (
        "layered-config: error: the keyring refused to store secret_key: keyring locked\n"
    )
    assert 'secret_key = "plaintext-copy-0006"' in path.read_text()
    secret_service_keyring.unlock()
    assert secret_service_keyring.lookup(SERVICE, ACCESS_KEY) is None


def test_a_locked_collection_is_a_skipped_entry_for_show_and_explain(
    cli: Cli, secret_service_keyring: PrivateSecretService, with_access_key: Path
) -> None:
    """With the collection locked, show has no secret and explain says 'keyring locked'."""
    secret_service_keyring.store(SERVICE, ACCESS_KEY, SECRET_KEY)
    secret_service_keyring.lock()
    shown = cli("show")
    assert shown.code == 0, shown.err
    assert table_rows(shown.out)["secret_key"][0] == "<not set>"
    explained = cli("explain", "secret_key")
    assert explained.code == 0, explained.err
    keyring_rows = [row for row in explain_rows(explained.out) if row[1] == "keyring"]
    assert keyring_rows == [
        [
            "skipped",
            "keyring",
            f"service=backend.ai username={ACCESS_KEY}",
            "-",
            "keyring locked",
        ]
    ]
    data = json.loads(cli("explain", "secret_key", "--json").out)
    entry = next(c for c in data["candidates"] if c["source"] == "keyring")
    assert (entry["status"], entry["reason"]) == ("skipped", "keyring locked")


# --- the console script against the Secret Service -----------------------------------


@pytest.fixture
def script_env(secret_service_keyring: PrivateSecretService) -> dict[str, str]:
    """The env that points a subprocess at the private Secret Service."""
    return {
        **secret_service_keyring.env,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
    }


def test_console_script_set_show_unset(
    script: Script,
    secret_service_keyring: PrivateSecretService,
    script_env: dict[str, str],
    with_access_key: Path,
) -> None:
    """The console script stores a piped secret, shows it masked and removes it."""
    stored = script("set", "secret_key", stdin=SECRET_KEY + "\n", env=script_env)
    assert stored.code == 0, stored.err
    assert secret_service_keyring.lookup(SERVICE, ACCESS_KEY) == SECRET_KEY
    shown = script("show", "--json", env=script_env)
    assert json.loads(shown.out)["fields"]["secret_key"] == {
        "value": SECRET_MASKED,
        "source": "keyring",
        "location": LOCATION,
    }
    assert script("get", "secret_key", "--show-secrets", env=script_env).out == SECRET_KEY + "\n"
    assert script("unset", "secret_key", env=script_env).code == 0
    assert secret_service_keyring.lookup(SERVICE, ACCESS_KEY) is None


def test_console_script_finds_a_secret_tool_value(
    script: Script,
    secret_service_keyring: PrivateSecretService,
    script_env: dict[str, str],
    with_access_key: Path,
) -> None:
    """A secret stored with secret-tool is found by the console script."""
    secret_service_keyring.store(SERVICE, ACCESS_KEY, SECRET_KEY)
    result = script("get", "secret_key", "--show-secrets", env=script_env)
    assert result.code == 0, result.err
    assert result.out == SECRET_KEY + "\n"


def test_console_script_with_a_locked_collection_does_not_hang(
    script: Script,
    secret_service_keyring: PrivateSecretService,
    script_env: dict[str, str],
    with_access_key: Path,
) -> None:
    """With the collection locked, the console script's set exits 1 and explain reports it."""
    secret_service_keyring.lock()
    stored = script("set", "secret_key", stdin=SECRET_KEY, env=script_env)
    assert stored.code == 1
    assert "keyring locked" in stored.err
    explained = script("explain", "secret_key", "--json", env=script_env)
    assert explained.code == 0, explained.err
    entry = next(c for c in json.loads(explained.out)["candidates"] if c["source"] == "keyring")
    assert (entry["status"], entry["reason"]) == ("skipped", "keyring locked")
