"""doctor: problems exit 1, advice exits 0 (1 with --strict), and --json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import ACCESS_KEY, SECRET_KEY, Cli

pytest_plugins = ["cli_helpers"]

posix_only = pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")

GOOD = f'endpoint = "https://api.example.com"\naccess_key = "{ACCESS_KEY}"\n'


@pytest.fixture
def healthy(user_file, memory_keyring) -> Path:
    """A complete configuration: the file with the access key, the secret in the keyring."""
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET_KEY
    return user_file(GOOD)


def doctor_json(cli: Cli, *argv: str) -> tuple[int, dict[str, object]]:
    """Run doctor --json and return its exit status and parsed output."""
    result = cli("doctor", "--json", *argv)
    return result.code, json.loads(result.out)


def test_a_healthy_configuration_is_ok(cli: Cli, healthy: Path) -> None:
    """doctor exits 0 and says so when there is nothing to report."""
    result = cli("doctor")
    assert result.code == 0, result.err
    assert result.out == "ok: no problems found\n"
    assert cli("doctor", "--strict").code == 0


def test_doctor_json_shape(cli: Cli, healthy: Path) -> None:
    """doctor --json prints {"ok", "problems", "advice"}."""
    assert doctor_json(cli) == (0, {"ok": True, "problems": [], "advice": []})


def test_missing_required_values_are_problems(cli: Cli) -> None:
    """On an empty machine, doctor exits 1 listing the missing keys and how to set them."""
    result = cli("doctor")
    assert result.code == 1
    assert result.out.splitlines() == [
        "problem: access_key is not set; set it: layered-config set access_key VALUE "
        "or export BACKEND_ACCESS_KEY",
        "problem: secret_key is not set; set it: layered-config set secret_key "
        "or export BACKEND_SECRET_KEY",
    ]


def test_an_invalid_value_is_a_problem(cli: Cli, user_file, memory_keyring) -> None:
    """An invalid value in the file is a problem naming path:line and the field."""
    path = user_file(GOOD + "read_timeout = -5\n")
    code, data = doctor_json(cli)
    assert code == 1
    assert data["ok"] is False
    problems = data["problems"]
    assert isinstance(problems, list) and len(problems) == 1
    assert problems[0].startswith(f"{path}:3: read_timeout: must be a finite number")


def test_a_syntax_error_is_a_problem(cli: Cli, user_file) -> None:
    """A TOML syntax error is a problem with path:line:column."""
    path = user_file('endpoint = "x\n')
    code, data = doctor_json(cli)
    assert code == 1
    assert data["problems"] == [f"{path}:1:14: TOML syntax error: Illegal character '\\n'"]


def test_an_unknown_profile_is_a_problem(cli: Cli, healthy: Path) -> None:
    """doctor --profile NOPE exits 1 with the known profiles."""
    code, data = doctor_json(cli, "--profile", "nope")
    assert code == 1
    assert data["problems"] == ["profile 'nope' is in no configuration file (known: none)"]


@posix_only
def test_unsafe_permissions_are_a_problem(cli: Cli, healthy: Path) -> None:
    """A user file writable by others is a problem with the chmod fix."""
    healthy.chmod(0o666)
    code, data = doctor_json(cli)
    assert code == 1
    assert data["problems"] == [
        f"{healthy} can be written by group or others (mode 0666); run: chmod go-w {healthy}"
    ]


@posix_only
def test_a_readable_plaintext_secret_is_a_problem(cli: Cli, user_file) -> None:
    """A plaintext secret in a file that others can read is a problem with chmod 600."""
    path = user_file(GOOD + 'secret_key = "plaintext-secret-0003"\n', mode=0o644)
    code, data = doctor_json(cli)
    assert code == 1
    assert f"{path} holds a secret and is readable by others; run: chmod 600 {path}" in str(
        data["problems"]
    )
    assert "plaintext-secret-0003" not in json.dumps(data)


def test_an_unknown_key_is_advice_with_a_suggestion(cli: Cli, healthy: Path) -> None:
    """An unknown key in the file is advice with "did you mean", exit 0 (1 with --strict)."""
    healthy.write_text(GOOD + 'endpont = "https://typo.example.com"\n')
    code, data = doctor_json(cli)
    assert code == 0
    assert data["problems"] == []
    assert data["advice"] == [f"{healthy}:3: unknown key 'endpont'; did you mean 'endpoint'?"]
    assert cli("doctor", "--strict").code == 1


def test_legacy_env_is_advice(cli: Cli, healthy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SORNA_ variable in use is advice to rename it, exit 0 (1 with --strict)."""
    monkeypatch.setenv("SORNA_DOMAIN", "legacy")
    result = cli("doctor")
    assert result.code == 0
    assert "advice: SORNA_DOMAIN is a legacy name; rename it to BACKEND_DOMAIN" in result.out
    assert cli("doctor", "--strict").code == 1


def test_a_plaintext_secret_is_advice(cli: Cli, user_file) -> None:
    """A plaintext secret in a 0600 user file is advice to move it to the keyring."""
    path = user_file(GOOD + 'secret_key = "plaintext-secret-0003"\n')
    result = cli("doctor")
    assert result.code == 0, result.out
    assert result.out == (
        f"advice: {path}:3: secret_key is stored in plaintext; move it to the keyring with "
        "'layered-config set secret_key' (this also removes it from the file)\n"
    )
    assert "plaintext-secret-0003" not in result.out + result.err
    assert cli("doctor", "--strict").code == 1


def test_a_plaintext_secret_in_a_profile_is_advice(cli: Cli, user_file, memory_keyring) -> None:
    """A plaintext secret in a profile table is advice naming its line."""
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET_KEY
    path = user_file(GOOD + '\n[profiles.dev]\nsecret_key = "plaintext-secret-0003"\n')
    code, data = doctor_json(cli)
    assert code == 0
    assert data["advice"] == [
        f"{path}:5: secret_key is stored in plaintext; move it to the keyring with "
        "'layered-config set secret_key' (this also removes it from the file)"
    ]


def test_a_secret_in_the_system_file_is_advice(
    cli: Cli, healthy: Path, system_file, cli_system_file: str
) -> None:
    """A secret key in the system file is advice: every user can use it."""
    system_file('secret_key = "system-wide-secret-0005"\n', mode=0o600)
    code, data = doctor_json(cli)
    assert code == 0, data
    assert data["advice"] == [
        f"{cli_system_file}:1: the system file holds a secret key; every user can use it"
    ]


def test_problems_and_advice_are_both_listed(
    cli: Cli, user_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With problems and advice, doctor lists both and exits 1."""
    monkeypatch.setenv("SORNA_GROUP", "g")
    result = cli("doctor")
    assert result.code == 1
    kinds = [line.split(":", 1)[0] for line in result.out.splitlines()]
    assert kinds == ["problem", "problem", "advice"]
