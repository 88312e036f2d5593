"""The read-only commands: show, get, explain, profiles and path, run in-process."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import keyring
import pytest
from cli_helpers import (
    ACCESS_KEY,
    SECRET_KEY,
    SECRET_MASKED,
    Cli,
    explain_rows,
    table_rows,
)
from keyrings.alt.file import PlaintextKeyring

from layered_config import FIELDS

pytest_plugins = ["cli_helpers"]

SOURCES = {"default", "file", "keyring", "env", "argument"}
STATUSES = {"winner", "shadowed", "absent", "skipped"}

FILE = f"""\
endpoint = "https://file.example.com"
access_key = "{ACCESS_KEY}"
vfolder_mounts = ["data", "models"]
skip_sslcert_validation = true
storage_proxy_address_map = {{sp1 = "https://proxy.example.com"}}

[profiles.staging]
endpoint = "https://staging.example.com"
"""


@pytest.fixture
def configured(user_file, memory_keyring) -> Path:
    """A user file with the access key, and the secret in the keyring."""
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET_KEY
    return user_file(FILE)


# --- show -------------------------------------------------------------------


def test_show_on_an_empty_machine_exits_0_and_says_how_to_set(cli: Cli) -> None:
    """With no file and no env, show lists every field, marks keys "not set" and says how."""
    result = cli("show")
    assert result.code == 0
    assert result.err == ""
    rows = table_rows(result.out)
    assert next(iter(rows)) == "NAME"
    assert [name for name in rows if name != "NAME"] == list(FIELDS)
    assert rows["endpoint"] == ["https://api.backend.ai", "default", "-"]
    assert rows["access_key"][0] == "<not set>"
    assert "layered-config set access_key VALUE" in rows["access_key"][2]
    assert "export BACKEND_ACCESS_KEY" in rows["access_key"][2]
    assert "layered-config set secret_key" in rows["secret_key"][2]


def test_show_names_value_source_and_location_of_each_layer(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """show gives each field's value, source and location: file:line, env var, keyring entry."""
    monkeypatch.setenv("BACKEND_DOMAIN", "research")
    result = cli("show")
    assert result.code == 0, result.err
    rows = table_rows(result.out)
    assert rows["endpoint"] == ["https://file.example.com", "file", f"{configured}:1"]
    assert rows["access_key"] == [ACCESS_KEY, "file", f"{configured}:2"]
    assert rows["vfolder_mounts"] == ["data,models", "file", f"{configured}:3"]
    assert rows["skip_sslcert_validation"] == ["true", "file", f"{configured}:4"]
    assert rows["domain"] == ["research", "env", "BACKEND_DOMAIN"]
    assert rows["secret_key"] == [
        SECRET_MASKED,
        "keyring",
        f"conftest MemoryKeyring service=backend.ai username={ACCESS_KEY}",
    ]
    assert SECRET_KEY not in result.out


def test_show_with_a_profile_prints_it_and_its_values(cli: Cli, configured: Path) -> None:
    """show --profile NAME heads the table with the profile and uses the profile's values."""
    result = cli("show", "--profile", "staging")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "profile: staging"
    rows = table_rows(result.out)
    assert rows["endpoint"] == ["https://staging.example.com", "file", f"{configured}:8"]


def test_show_takes_the_profile_from_backend_profile(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BACKEND_PROFILE selects the profile when --profile is not given."""
    monkeypatch.setenv("BACKEND_PROFILE", "staging")
    result = cli("show")
    assert result.code == 0, result.err
    assert table_rows(result.out)["endpoint"][0] == "https://staging.example.com"


def test_show_show_secrets_prints_the_secret(cli: Cli, configured: Path) -> None:
    """show --show-secrets prints the secret key unmasked."""
    result = cli("show", "--show-secrets")
    assert result.code == 0, result.err
    assert table_rows(result.out)["secret_key"][0] == SECRET_KEY


@pytest.mark.parametrize(
    ("secret", "masked"),
    [("0123456789abcdef", "****cdef"), ("0123456789abcde", "****"), ("zQ9", "****")],
)
def test_show_masks_short_secrets_entirely(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, secret: str, masked: str
) -> None:
    """A secret of 16 or more characters shows its last 4; a shorter one shows only ****."""
    monkeypatch.setenv("BACKEND_SECRET_KEY", secret)
    result = cli("show")
    assert table_rows(result.out)["secret_key"][0] == masked
    assert secret not in result.out


def test_show_redacts_a_password_in_a_url(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A password inside the endpoint URL is masked in show, unless --show-secrets is given."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://user:hunter2pw@api.example.com")
    masked = cli("show")
    assert "hunter2pw" not in masked.out
    assert table_rows(masked.out)["endpoint"][0] == "https://user:****@api.example.com"
    shown = cli("show", "--show-secrets")
    assert "hunter2pw" in shown.out


def test_show_json_has_the_fixed_shape(cli: Cli, configured: Path) -> None:
    """show --json prints {"profile", "fields": {NAME: {"value", "source", "location"}}}."""
    result = cli("show", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["profile", "fields"]
    assert data["profile"] is None
    assert list(data["fields"]) == list(FIELDS)
    for name, entry in data["fields"].items():
        assert list(entry) == ["value", "source", "location"], name
        assert entry["source"] in SOURCES, name
    fields = data["fields"]
    assert fields["endpoint"] == {
        "value": "https://file.example.com",
        "source": "file",
        "location": f"{configured}:1",
    }
    assert fields["endpoint_type"] == {"value": "api", "source": "default", "location": None}
    assert fields["access_key"] == {
        "value": ACCESS_KEY,
        "source": "file",
        "location": f"{configured}:2",
    }
    assert fields["secret_key"] == {
        "value": SECRET_MASKED,
        "source": "keyring",
        "location": f"conftest MemoryKeyring service=backend.ai username={ACCESS_KEY}",
    }
    assert fields["vfolder_mounts"]["value"] == ["data", "models"]
    assert fields["skip_sslcert_validation"]["value"] is True
    assert fields["storage_proxy_address_map"]["value"] == {"sp1": "https://proxy.example.com"}
    assert fields["connection_timeout"] == {"value": 10.0, "source": "default", "location": None}
    assert fields["read_timeout"]["value"] == 0.0
    assert fields["hash_type"]["value"] == "sha256"
    assert fields["version"]["value"] == "v4.20190315"
    assert fields["domain"]["value"] == fields["group"]["value"] == "default"
    assert fields["user_agent"]["source"] == "default"


def test_show_json_marks_an_unset_field_all_null(cli: Cli) -> None:
    """In show --json, an unset field has value, source and location all null."""
    result = cli("show", "--json")
    assert result.code == 0
    data = json.loads(result.out)
    null = {"value": None, "source": None, "location": None}
    assert data["fields"]["access_key"] == null
    assert data["fields"]["secret_key"] == null


def test_show_json_names_the_active_profile(cli: Cli, configured: Path) -> None:
    """show --json --profile NAME gives the profile's name and its values."""
    data = json.loads(cli("show", "--json", "--profile", "staging").out)
    assert data["profile"] == "staging"
    assert data["fields"]["endpoint"]["value"] == "https://staging.example.com"
    assert data["fields"]["endpoint"]["location"] == f"{configured}:8"


def test_show_json_show_secrets_gives_the_secret(cli: Cli, configured: Path) -> None:
    """show --json --show-secrets gives the secret key itself."""
    data = json.loads(cli("show", "--json", "--show-secrets").out)
    assert data["fields"]["secret_key"]["value"] == SECRET_KEY


def test_show_format_env_prints_export_lines_with_the_secret_masked(
    cli: Cli, configured: Path
) -> None:
    """show --format env prints one export line per env var; the masked secret is only a comment."""
    result = cli("show", "--format", "env")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "export BACKEND_ENDPOINT=https://file.example.com" in lines
    assert f"export BACKEND_ACCESS_KEY={ACCESS_KEY}" in lines
    assert "export BACKEND_VFOLDER_MOUNTS=data,models" in lines
    assert "export BACKEND_SKIP_SSLCERT_VALIDATION=true" in lines
    assert "export BACKEND_OVERRIDE_STORAGE_PROXY=sp1=https://proxy.example.com" in lines
    secret_line = next(line for line in lines if "BACKEND_SECRET_KEY" in line)
    # A comment, so that `eval "$(layered-config show --format env)"` sets no wrong secret.
    assert secret_line.startswith(f"# BACKEND_SECRET_KEY={SECRET_MASKED} ")
    assert "--show-secrets" in secret_line
    assert SECRET_KEY not in result.out
    # Fields without an env var (version, user_agent, hash_type) have no line.
    assert not any("VERSION" in line or "HASH" in line for line in lines)


def test_show_format_env_show_secrets_exports_the_secret(cli: Cli, configured: Path) -> None:
    """show --format env --show-secrets exports the real secret, quoted for the shell."""
    result = cli("show", "--format", "env", "--show-secrets")
    assert f"export BACKEND_SECRET_KEY={shlex.quote(SECRET_KEY)}" in result.out.splitlines()


def test_show_format_env_marks_unset_variables_as_comments(cli: Cli) -> None:
    """show --format env writes a comment, not an export, for an unset variable."""
    lines = cli("show", "--format", "env").out.splitlines()
    assert "# BACKEND_ACCESS_KEY is not set" in lines
    assert "# BACKEND_SECRET_KEY is not set" in lines
    assert not any(line.startswith("export BACKEND_ACCESS_KEY") for line in lines)


def test_show_format_env_round_trips_through_the_shell(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evaluating show --format env --show-secrets in sh gives variables that resolve the same.

    Empty values (no vfolder mounts, an empty map, an empty domain) must export as
    empty, not as placeholder text that the client would then read as a value.
    """
    monkeypatch.setenv("BACKEND_DOMAIN", "")
    user_file_text = configured.read_text().replace('vfolder_mounts = ["data", "models"]\n', "")
    configured.write_text(user_file_text.replace("storage_proxy_address_map", "# gone"))
    before = json.loads(cli("show", "--json", "--show-secrets").out)["fields"]
    exports = cli("show", "--format", "env", "--show-secrets").out
    names = [line.split("=", 1)[0].removeprefix("export ") for line in exports.splitlines()]
    names = [name for name in names if name.startswith("BACKEND_")]
    dump = "; ".join(f'printf "%s=%s\\0" {name} "${name}"' for name in names)
    done = subprocess.run(
        ["sh", "-c", f"{exports}\n{dump}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env={"PATH": os.environ.get("PATH", "")},
    )
    exported = dict(item.split("=", 1) for item in done.stdout.split("\0") if item)
    for name, value in exported.items():
        monkeypatch.setenv(name, value)
    configured.unlink()
    after = json.loads(cli("show", "--json", "--show-secrets").out)["fields"]
    for name, field in FIELDS.items():
        if field.env is not None:
            assert after[name]["value"] == before[name]["value"], name
            assert after[name]["source"] == "env", name


# --- get --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("endpoint", "https://file.example.com"),
        ("access_key", ACCESS_KEY),
        ("vfolder_mounts", "data,models"),
        ("skip_sslcert_validation", "true"),
        ("storage_proxy_address_map", "sp1=https://proxy.example.com"),
        ("connection_timeout", "10.0"),
        ("domain", "default"),
    ],
)
def test_get_prints_the_value_alone_in_env_spelling(
    cli: Cli, configured: Path, key: str, expected: str
) -> None:
    """get KEY prints only the value, spelled as in env: true, a,b, k=v."""
    result = cli("get", key)
    assert result.code == 0, result.err
    assert result.out == expected + "\n"
    assert result.err == ""


def test_get_json_gives_key_value_source_and_location(cli: Cli, configured: Path) -> None:
    """get KEY --json prints the key, native value, source and location."""
    result = cli("get", "vfolder_mounts", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "key": "vfolder_mounts",
        "value": ["data", "models"],
        "source": "file",
        "location": f"{configured}:3",
    }


def test_get_refuses_a_secret_without_show_secrets(cli: Cli, configured: Path) -> None:
    """get secret_key exits 1 and prints nothing on stdout unless --show-secrets is given."""
    result = cli("get", "secret_key")
    assert result.code == 1
    assert result.out == ""
    assert "--show-secrets" in result.err
    assert SECRET_KEY not in result.err
    assert len(result.err.splitlines()) == 1


def test_get_show_secrets_prints_the_secret(cli: Cli, configured: Path) -> None:
    """get secret_key --show-secrets prints the secret from the keyring."""
    result = cli("get", "secret_key", "--show-secrets")
    assert result.code == 0, result.err
    assert result.out == SECRET_KEY + "\n"


def test_get_of_a_missing_value_exits_1_with_how_to_set_it(cli: Cli) -> None:
    """get of an unset key exits 1 with one line that says where it looked and how to set it."""
    result = cli("get", "access_key")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert "access_key is not set" in result.err
    assert "layered-config set access_key VALUE" in result.err
    assert "BACKEND_ACCESS_KEY" in result.err


def test_get_with_profile_uses_the_profile(cli: Cli, configured: Path) -> None:
    """get --profile NAME prints the profile's value."""
    assert cli("get", "endpoint", "--profile", "staging").out == "https://staging.example.com\n"


# --- explain ----------------------------------------------------------------


def test_explain_lists_every_layer_highest_first(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch, cli_system_file: str
) -> None:
    """explain KEY lists argument, env (BACKEND_ and SORNA_), user file, system file, default."""
    monkeypatch.setenv("SORNA_ENDPOINT", "https://sorna.example.com")
    result = cli("explain", "endpoint")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "endpoint = https://sorna.example.com"
    rows = explain_rows(result.out)
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("absent", "argument", "-"),
        ("absent", "env", "BACKEND_ENDPOINT"),
        ("winner", "env", "SORNA_ENDPOINT"),
        ("shadowed", "file", f"{configured}:1"),
        ("absent", "file", cli_system_file),
        ("shadowed", "default", "-"),
    ]
    assert rows[2][3] == "https://sorna.example.com"
    assert rows[3][3] == "https://file.example.com"
    assert rows[3][4] == "env SORNA_ENDPOINT wins"
    assert rows[4][3:] == ["-", "file not found"]
    assert rows[5][3] == "https://api.backend.ai"


def test_explain_shows_both_env_names_with_backend_winning(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With BACKEND_X and SORNA_X both set, explain shows BACKEND_ winning and SORNA_ shadowed."""
    monkeypatch.setenv("BACKEND_DOMAIN", "new")
    monkeypatch.setenv("SORNA_DOMAIN", "old")
    rows = explain_rows(cli("explain", "domain").out)
    env_rows = [r for r in rows if r[1] == "env"]
    assert env_rows == [
        ["winner", "env", "BACKEND_DOMAIN", "new"],
        ["shadowed", "env", "SORNA_DOMAIN", "old", "BACKEND_DOMAIN is set"],
    ]


def test_explain_shows_a_missing_user_file_as_absent_with_its_path(
    cli: Cli, user_file, cli_system_file: str
) -> None:
    """A missing user file is one absent entry: its path, no line, "file not found"."""
    rows = explain_rows(cli("explain", "domain").out)
    files = [r for r in rows if r[1] == "file"]
    assert files == [
        ["absent", "file", str(user_file.path), "-", "file not found"],
        ["absent", "file", cli_system_file, "-", "file not found"],
    ]


def test_explain_shows_the_profile_of_a_value(cli: Cli, configured: Path) -> None:
    """With a profile, explain marks the profile's entry and the base value it overrides."""
    result = cli("explain", "endpoint", "--profile", "staging")
    assert result.out.splitlines()[0].endswith("(profile: staging)")
    rows = explain_rows(result.out)
    files = [r for r in rows if r[1].startswith("file") and r[0] != "absent"]
    assert files == [
        ["winner", "file [staging]", f"{configured}:8", "https://staging.example.com"],
        [
            "shadowed",
            "file",
            f"{configured}:1",
            "https://file.example.com",
            "profile 'staging' overrides it",
        ],
    ]


def test_explain_masks_every_secret_value(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """explain secret_key masks the winner and every shadowed value, in the heading too."""
    other = "another-secret-value-0042"
    monkeypatch.setenv("BACKEND_SECRET_KEY", other)
    monkeypatch.setenv("SORNA_SECRET_KEY", "legacy-secret-value-0077")
    configured.write_text('secret_key = "shortone"\n' + configured.read_text())
    result = cli("explain", "secret_key")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "secret_key = ****0042"
    for secret in (other, "legacy-secret-value-0077", "shortone", SECRET_KEY):
        assert secret not in result.out + result.err
    values = {r[2]: r[3] for r in explain_rows(result.out)}
    assert values["BACKEND_SECRET_KEY"] == "****0042"
    assert values["SORNA_SECRET_KEY"] == "****0077"
    assert values[f"{configured}:1"] == "****"


def test_explain_asks_the_keyring_for_a_complete_record(cli: Cli, configured: Path) -> None:
    """explain secret_key shows the keyring entry that answered, with its backend."""
    rows = explain_rows(cli("explain", "secret_key").out)
    keyring_rows = [r for r in rows if r[1] == "keyring"]
    assert keyring_rows == [
        [
            "winner",
            "keyring",
            f"conftest MemoryKeyring service=backend.ai username={ACCESS_KEY}",
            SECRET_MASKED,
        ]
    ]


def test_explain_marks_a_missing_value_and_says_how_to_set_it(cli: Cli) -> None:
    """explain of an unset key exits 0, says "not set", and how to set it."""
    result = cli("explain", "access_key")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "access_key is not set"
    assert lines[-1] == "set it: layered-config set access_key VALUE or export BACKEND_ACCESS_KEY"


def test_explain_of_a_union_field_crowns_every_contributor(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For vfolder_mounts, every layer that contributed is a winner."""
    monkeypatch.setenv("BACKEND_VFOLDER_MOUNTS", "scratch")
    result = cli("explain", "vfolder_mounts")
    assert result.out.splitlines()[0] == "vfolder_mounts = scratch,data,models"
    winners = [(r[2], r[3]) for r in explain_rows(result.out) if r[0] == "winner"]
    assert winners[:2] == [
        ("BACKEND_VFOLDER_MOUNTS", "scratch"),
        (f"{configured}:3", "data,models"),
    ]


def test_explain_json_has_the_fixed_shape(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch, cli_system_file: str
) -> None:
    """explain KEY --json prints {"key", "value", "candidates": [...]}, highest layer first."""
    monkeypatch.setenv("SORNA_ENDPOINT", "https://sorna.example.com")
    result = cli("explain", "endpoint", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert list(data) == ["key", "value", "candidates"]
    assert data["key"] == "endpoint"
    assert data["value"] == "https://sorna.example.com"
    keys = ["source", "profile", "location", "value", "status", "reason"]
    for candidate in data["candidates"]:
        assert list(candidate) == keys
        assert candidate["source"] in SOURCES
        assert candidate["status"] in STATUSES
        assert candidate["profile"] is None or isinstance(candidate["profile"], str)
        assert candidate["location"] is None or isinstance(candidate["location"], str)
        assert candidate["reason"] is None or isinstance(candidate["reason"], str)
    assert data["candidates"] == [
        {
            "source": "argument",
            "profile": None,
            "location": None,
            "value": None,
            "status": "absent",
            "reason": "not given",
        },
        {
            "source": "env",
            "profile": None,
            "location": "BACKEND_ENDPOINT",
            "value": None,
            "status": "absent",
            "reason": "not set",
        },
        {
            "source": "env",
            "profile": None,
            "location": "SORNA_ENDPOINT",
            "value": "https://sorna.example.com",
            "status": "winner",
            "reason": None,
        },
        {
            "source": "file",
            "profile": None,
            "location": f"{configured}:1",
            "value": "https://file.example.com",
            "status": "shadowed",
            "reason": "env SORNA_ENDPOINT wins",
        },
        {
            "source": "file",
            "profile": None,
            "location": cli_system_file,
            "value": None,
            "status": "absent",
            "reason": "file not found",
        },
        {
            "source": "default",
            "profile": None,
            "location": None,
            "value": "https://api.backend.ai",
            "status": "shadowed",
            "reason": "env SORNA_ENDPOINT wins",
        },
    ]


def test_explain_json_masks_secrets_and_names_the_profile(
    cli: Cli, configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """explain secret_key --json masks every value; a profile's entry carries its name."""
    monkeypatch.setenv("BACKEND_SECRET_KEY", "another-secret-value-0042")
    configured.write_text(configured.read_text() + 'secret_key = "profile-secret-value-0099"\n')
    result = cli("explain", "secret_key", "--json", "--profile", "staging")
    assert result.code == 0, result.err
    assert "another-secret-value-0042" not in result.out
    assert "profile-secret-value-0099" not in result.out
    data = json.loads(result.out)
    assert data["value"] == "****0042"
    by_location = {c["location"]: c for c in data["candidates"]}
    assert by_location["BACKEND_SECRET_KEY"]["status"] == "winner"
    profile_entry = by_location[f"{configured}:9"]
    assert profile_entry["profile"] == "staging"
    assert profile_entry["value"] == "****0099"
    assert profile_entry["status"] == "shadowed"
    keyring_entry = next(c for c in data["candidates"] if c["source"] == "keyring")
    assert keyring_entry["status"] == "shadowed"
    assert keyring_entry["value"] == SECRET_MASKED


def test_explain_json_of_a_missing_value_is_null(cli: Cli) -> None:
    """explain --json of an unset key gives value null and no winner."""
    data = json.loads(cli("explain", "access_key", "--json").out)
    assert data["value"] is None
    assert all(c["status"] != "winner" for c in data["candidates"])


# --- profiles ---------------------------------------------------------------


def test_profiles_lists_each_files_profiles_and_marks_the_active_one(
    cli: Cli, configured: Path, system_file, cli_system_file: str
) -> None:
    """profiles lists the system and user files' profiles, the active one marked with *."""
    system_file('[profiles.shared]\ndomain = "corp"\n', mode=0o644)
    result = cli("profiles", "--profile", "staging")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"system file: {cli_system_file}",
        "    shared",
        f"user file: {configured}",
        "  * staging",
    ]


def test_profiles_says_how_to_create_one_when_there_is_none(
    cli: Cli, user_file, cli_system_file: str
) -> None:
    """With no profiles, profiles marks absent files and says how to create a profile."""
    result = cli("profiles")
    assert result.code == 0
    assert result.out.splitlines() == [
        f"system file: {cli_system_file}  (absent)",
        f"user file: {user_file.path}  (absent)",
        "no profiles yet; create one with: layered-config set --profile NAME KEY VALUE",
    ]


def test_profiles_json(cli: Cli, configured: Path, cli_system_file: str) -> None:
    """profiles --json gives the active profile and each file's path, presence and profiles."""
    result = cli("profiles", "--json")
    assert json.loads(result.out) == {
        "active": None,
        "files": [
            {"layer": "system", "path": cli_system_file, "exists": False, "profiles": []},
            {"layer": "user", "path": str(configured), "exists": True, "profiles": ["staging"]},
        ],
    }


def test_profiles_with_an_unknown_profile_exits_1_listing_the_known(
    cli: Cli, configured: Path
) -> None:
    """profiles --profile NOPE exits 1 and lists the known profiles."""
    result = cli("profiles", "--profile", "nope")
    assert result.code == 1
    assert result.errors == [
        "layered-config: error: profile 'nope' is in no configuration file (known: staging)"
    ]


# --- path -------------------------------------------------------------------


def test_path_lists_the_files_in_order_and_the_keyring(
    cli: Cli, configured: Path, cli_system_file: str
) -> None:
    """path lists the system then the user file, present or absent, and the keyring backend."""
    result = cli("path")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"system  absent   {cli_system_file}",
        f"user    present  {configured}",
        "keyring conftest MemoryKeyring",
    ]


def test_path_follows_config_file_and_backend_config_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """path names the file given by --config-file, else by BACKEND_CONFIG_FILE."""
    chosen = tmp_path / "chosen.toml"
    chosen.write_text("")
    monkeypatch.setenv("BACKEND_CONFIG_FILE", str(tmp_path / "from-env.toml"))
    assert f"user    absent   {tmp_path / 'from-env.toml'}" in cli("path").out
    assert f"user    present  {chosen}" in cli("path", "--config-file", str(chosen)).out


def test_path_json_reports_the_keyring_and_its_safety(
    cli: Cli, configured: Path, cli_system_file: str
) -> None:
    """path --json gives the files and the keyring backend with whether it is secure."""
    assert json.loads(cli("path", "--json").out) == {
        "files": [
            {"layer": "system", "path": cli_system_file, "exists": False},
            {"layer": "user", "path": str(configured), "exists": True},
        ],
        "keyring": {"backend": "conftest MemoryKeyring", "secure": True, "problem": None},
    }


def test_path_says_when_keyring_lookups_are_off(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """With BACKEND_KEYRING_TIMEOUT=0, path says the keyring is off."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "0")
    assert cli("path").out.splitlines()[-1] == "keyring none (keyring lookups are off)"


def test_path_names_an_insecure_backend_and_why(cli: Cli) -> None:
    """path --json marks keyrings.alt's PlaintextKeyring as not secure, with the reason."""
    keyring.set_keyring(PlaintextKeyring())
    data = json.loads(cli("path", "--json").out)["keyring"]
    assert data["backend"] == "file PlaintextKeyring"
    assert data["secure"] is False
    assert "unencrypted" in data["problem"]


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("endpoint", "https://a.example.com", "relative"),
        ("connection_timeout", "3", "soon"),
        ("skip_sslcert_validation", "false", "maybe"),
        ("vfolder_mounts", "a", "b,c"),
    ],
)
def test_explain_shows_an_invalid_shadowed_legacy_value_as_given(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, field: str, good: str, bad: str
) -> None:
    """A bad SORNA_ value shadowed by BACKEND_ is shown as typed, in the table and in JSON."""
    env = FIELDS[field].env
    monkeypatch.setenv(f"BACKEND_{env}", good)
    monkeypatch.setenv(f"SORNA_{env}", bad)
    result = cli("explain", field)
    assert result.code == 0, result.err
    row = next(r for r in explain_rows(result.out) if r[2] == f"SORNA_{env}")
    assert row[:4] == ["shadowed", "env", f"SORNA_{env}", bad]
    data = json.loads(cli("explain", field, "--json").out)
    entry = next(c for c in data["candidates"] if c["location"] == f"SORNA_{env}")
    assert entry["status"] == "shadowed"
    if field == "vfolder_mounts":
        assert entry["value"] == ["b", "c"]
    else:
        assert entry["value"] == bad


def test_explain_redacts_a_password_in_an_invalid_shadowed_url(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A password in an invalid, shadowed endpoint is masked in explain's table and JSON."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://a.example.com")
    monkeypatch.setenv("SORNA_ENDPOINT", "https://user:hunter2pw@ok.example.com,relative")
    for argv in (["explain", "endpoint"], ["explain", "endpoint", "--json"]):
        result = cli(*argv)
        assert result.code == 0, result.err
        assert "hunter2pw" not in result.out + result.err
        assert "https://user:****@ok.example.com,relative" in result.out
