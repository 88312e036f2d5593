"""Snapshots of show and explain, as tables and as JSON, stored in tests/snapshots/.

Temp paths read ``<TMP>`` and the version ``<VERSION>``; tables are re-padded after
that, so the files do not depend on where pytest puts its temp dirs. To accept an
intended change, run ``python tests/cli_helpers.py`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import ACCESS_KEY, SECRET_KEY, Cli, Snapshot, normalise, realign_tables

pytest_plugins = ["cli_helpers"]

USER = f"""\
# laptop settings
endpoint = "https://api.example.com"
access_key = "{ACCESS_KEY}"
vfolder_mounts = ["data", "models"]

[profiles.staging]
endpoint = ["https://staging-1.example.com", "https://staging-2.example.com"]
skip_sslcert_validation = true
"""
SYSTEM = """\
hash_type = "sha512"
read_timeout = 30
storage_proxy_address_map = {sp1 = "https://admin:hunter2@proxy.example.com"}
"""


@pytest.fixture
def layered(user_file, system_file, memory_keyring, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values from every layer: system and user files, a profile, env, legacy env, keyring."""
    user_file(USER)
    system_file(SYSTEM, mode=0o644)
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET_KEY
    monkeypatch.setenv("BACKEND_DOMAIN", "research")
    monkeypatch.setenv("SORNA_GROUP", "legacy-team")
    monkeypatch.setenv("SORNA_VFOLDER_MOUNTS", "scratch")


def run(cli: Cli, *argv: str) -> str:
    """Run a command that must succeed and return its stdout."""
    result = cli(*argv)
    assert result.code == 0, result.err
    assert SECRET_KEY not in result.out
    return result.out


def test_show_on_an_empty_machine(cli: Cli, snapshot: Snapshot) -> None:
    """show on an empty machine: defaults, and "not set" with how to set the keys."""
    snapshot("show_empty.txt", run(cli, "show"))


def test_show_json_on_an_empty_machine(cli: Cli, snapshot: Snapshot) -> None:
    """show --json on an empty machine: unset keys all null."""
    snapshot("show_empty.json", run(cli, "show", "--json"))


def test_show_every_layer(cli: Cli, snapshot: Snapshot, layered: None) -> None:
    """show with values from every layer and a profile."""
    snapshot("show_layers.txt", run(cli, "show", "--profile", "staging"))


def test_show_json_every_layer(cli: Cli, snapshot: Snapshot, layered: None) -> None:
    """show --json with values from every layer and a profile."""
    snapshot("show_layers.json", run(cli, "show", "--json", "--profile", "staging"))


def test_show_format_env(cli: Cli, snapshot: Snapshot, layered: None) -> None:
    """show --format env with values from every layer."""
    snapshot("show_layers.env", run(cli, "show", "--format", "env", "--profile", "staging"))


@pytest.mark.parametrize("key", ["endpoint", "secret_key", "vfolder_mounts", "group"])
def test_explain_table(cli: Cli, snapshot: Snapshot, layered: None, key: str) -> None:
    """explain KEY as a table, for an override field, the secret, a union field, legacy env."""
    snapshot(f"explain_{key}.txt", run(cli, "explain", key, "--profile", "staging"))


@pytest.mark.parametrize("key", ["endpoint", "secret_key", "vfolder_mounts", "group"])
def test_explain_json(cli: Cli, snapshot: Snapshot, layered: None, key: str) -> None:
    """explain KEY --json, for an override field, the secret, a union field, legacy env."""
    snapshot(f"explain_{key}.json", run(cli, "explain", key, "--json", "--profile", "staging"))


def test_explain_a_missing_key(cli: Cli, snapshot: Snapshot) -> None:
    """explain of a key set nowhere, on an empty machine."""
    snapshot("explain_access_key_missing.txt", run(cli, "explain", "access_key"))


# --- the snapshot machinery itself ---------------------------------------------------


def test_normalise_repads_tables_after_replacing_the_temp_path(tmp_path: Path) -> None:
    """Replacing the temp path keeps table columns aligned, whatever the path's length."""
    long_path = f"{tmp_path}/cfg/config.toml:1"
    text = (
        "heading   (kept as is)\n"
        f"STATUS  SOURCE  LOCATION{' ' * (len(long_path) - 8)}  VALUE  REASON\n"
        f"winner  env     {'X_VAR'.ljust(len(long_path))}  a\n"
        f"absent  file    {long_path}  -      file not found\n"
        "set it: something  with two spaces stays\n"
    )
    assert normalise(text, tmp_path) == (
        "heading   (kept as is)\n"
        "STATUS  SOURCE  LOCATION                 VALUE  REASON\n"
        "winner  env     X_VAR                    a\n"
        "absent  file    <TMP>/cfg/config.toml:1  -      file not found\n"
        "set it: something  with two spaces stays\n"
    )


def test_realign_leaves_aligned_tables_alone() -> None:
    """A table that is already aligned comes out byte for byte the same."""
    text = "NAME  VALUE  SOURCE\nab    c      d\nx     yy     zzz\n"
    assert realign_tables(text) == text


def test_a_mismatch_fails_with_a_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot mismatch fails the test with a unified diff of stored and actual text."""
    monkeypatch.setattr(cli_helpers, "SNAPSHOTS", tmp_path)
    (tmp_path / "demo.txt").write_text("line one\nline two\n")
    check = Snapshot(update=False, tmp_path=tmp_path / "unused")
    check("demo.txt", "line one\nline two\n")
    with pytest.raises(pytest.fail.Exception) as failure:
        check("demo.txt", "line one\nline 2\n")
    assert "-line two\n+line 2" in str(failure.value)
    assert "python tests/cli_helpers.py" in str(failure.value)
    with pytest.raises(pytest.fail.Exception, match="no snapshot"):
        check("missing.txt", "x")
    Snapshot(update=True, tmp_path=tmp_path)("new.txt", f"at {tmp_path}\n")
    assert (tmp_path / "new.txt").read_text() == "at <TMP>\n"
