"""set and unset on the user file: nothing lost, nothing half-written, modes kept."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
from cli_helpers import ACCESS_KEY, SECRET_KEY, Cli, LockHolder, file_state, mode_of
from keyring_doubles import RecordingKeyring

import layered_config
from layered_config import FIELDS, _atomic

pytest_plugins = ["cli_helpers"]

posix_only = pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")

COMMENTED = """\
# Backend.AI client settings

# the API server
endpoint = "https://api.example.com"   # production

access_key = "AKIAIOSFODNN7EXAMPLE"

# mounts, in order
vfolder_mounts = ["b", "a"]

[profiles.dev]
# the dev server
endpoint = "https://dev.example.com"
"""

# One sample per field, in env spelling, as a user types it after `set KEY`.
SAMPLES = {
    "endpoint": "https://a.example.com, https://b.example.com",
    "endpoint_type": "session",
    "domain": "research",
    "group": "team-a",
    "storage_proxy_address_map": "sp1=https://proxy.example.com,sp2=http://10.0.0.2:6021",
    "version": "v8.20240315",
    "user_agent": "my-agent/1.0 (test)",
    "access_key": ACCESS_KEY,
    "secret_key": SECRET_KEY,
    "hash_type": "SHA512",
    "vfolder_mounts": "data, models,,scratch",
    "skip_sslcert_validation": "yes",
    "connection_timeout": "2.5",
    "read_timeout": "30",
}
NATIVE_TYPES = {
    "endpoint": list,
    "storage_proxy_address_map": dict,
    "vfolder_mounts": list,
    "skip_sslcert_validation": bool,
    "connection_timeout": float,
    "read_timeout": float,
}


@pytest.fixture
def config(user_file) -> Path:
    """The user file's path (the file itself is not created)."""
    return user_file.path


def set_field(cli: Cli, name: str, text: str, *extra: str) -> Any:
    """Run ``set`` the way a user would for ``name``: the secret via stdin and --plaintext."""
    if name == "secret_key":
        return cli("set", "secret_key", "--plaintext", *extra, stdin=text + "\n")
    return cli("set", name, text, *extra)


# --- the value lands, for every field ------------------------------------------


def test_samples_cover_every_field() -> None:
    """The per-field tests below cover every field in the table."""
    assert set(SAMPLES) == set(FIELDS)


@pytest.mark.parametrize("name", list(FIELDS))
def test_after_set_the_file_resolves_to_the_value(cli: Cli, config: Path, name: str) -> None:
    """After `set NAME VALUE`, resolving reads that value from the user file."""
    result = set_field(cli, name, SAMPLES[name])
    assert result.code == 0, result.err
    expected = FIELDS[name].converter.from_env(SAMPLES[name])
    resolution = layered_config.resolve()
    assert resolution.values[name] == expected
    origin = resolution.origin(name)
    assert origin is not None
    assert origin.source == "file"
    assert origin.location is not None
    assert origin.location.startswith(f"{config}:")


@pytest.mark.parametrize("name", list(FIELDS))
def test_set_writes_the_native_toml_type(cli: Cli, config: Path, name: str) -> None:
    """set converts env-style text to the field's native TOML type in the file."""
    assert set_field(cli, name, SAMPLES[name]).code == 0
    written = tomllib.loads(config.read_text())[name]
    converter = FIELDS[name].converter
    assert written == converter.to_toml(converter.from_env(SAMPLES[name]))
    assert type(written) is NATIVE_TYPES.get(name, str)


@pytest.mark.parametrize("name", list(FIELDS))
def test_get_prints_back_what_set_wrote(cli: Cli, config: Path, name: str) -> None:
    """get after set prints the value in its canonical env spelling."""
    assert set_field(cli, name, SAMPLES[name]).code == 0
    result = cli("get", name, "--show-secrets")
    converter = FIELDS[name].converter
    assert result.code == 0, result.err
    assert result.out == converter.to_text(converter.from_env(SAMPLES[name])) + "\n"


@pytest.mark.parametrize("name", list(FIELDS))
def test_set_in_a_profile_resolves_with_that_profile(cli: Cli, config: Path, name: str) -> None:
    """`set --profile NAME KEY VALUE` is read back with that profile active, and not without."""
    assert set_field(cli, name, SAMPLES[name], "--profile", "ci").code == 0
    expected = FIELDS[name].converter.from_env(SAMPLES[name])
    with_profile = layered_config.resolve(profile="ci")
    assert with_profile.values[name] == expected
    origin = with_profile.origin(name)
    assert origin is not None
    assert origin.profile == "ci"
    assert layered_config.resolve().values.get(name) != expected


# --- nothing lost: byte-for-byte -------------------------------------------------


def test_set_existing_key_keeps_comments_order_and_blank_lines(cli: Cli, user_file) -> None:
    """Replacing a value changes only its line; comments, order and blank lines survive."""
    path = user_file(COMMENTED)
    assert cli("set", "endpoint", "https://new.example.com").code == 0
    assert path.read_bytes() == (
        b"# Backend.AI client settings\n"
        b"\n"
        b"# the API server\n"
        b'endpoint = "https://new.example.com"   # production\n'
        b"\n"
        b'access_key = "AKIAIOSFODNN7EXAMPLE"\n'
        b"\n"
        b"# mounts, in order\n"
        b'vfolder_mounts = ["b", "a"]\n'
        b"\n"
        b"[profiles.dev]\n"
        b"# the dev server\n"
        b'endpoint = "https://dev.example.com"\n'
    )


def test_set_new_key_goes_after_the_last_base_value(cli: Cli, user_file) -> None:
    """A new base key goes right after the last base value, before the profile tables."""
    path = user_file(COMMENTED)
    assert cli("set", "domain", "research").code == 0
    assert path.read_bytes() == (
        b"# Backend.AI client settings\n"
        b"\n"
        b"# the API server\n"
        b'endpoint = "https://api.example.com"   # production\n'
        b"\n"
        b'access_key = "AKIAIOSFODNN7EXAMPLE"\n'
        b"\n"
        b"# mounts, in order\n"
        b'vfolder_mounts = ["b", "a"]\n'
        b'domain = "research"\n'
        b"\n"
        b"[profiles.dev]\n"
        b"# the dev server\n"
        b'endpoint = "https://dev.example.com"\n'
    )


def test_unset_removes_only_the_key_line(cli: Cli, user_file) -> None:
    """unset removes the key's line and nothing else."""
    path = user_file(COMMENTED)
    result = cli("unset", "access_key")
    assert result.code == 0, result.err
    assert result.out == f"removed access_key from {path}\n"
    assert path.read_bytes() == (
        b"# Backend.AI client settings\n"
        b"\n"
        b"# the API server\n"
        b'endpoint = "https://api.example.com"   # production\n'
        b"\n"
        b"\n"
        b"# mounts, in order\n"
        b'vfolder_mounts = ["b", "a"]\n'
        b"\n"
        b"[profiles.dev]\n"
        b"# the dev server\n"
        b'endpoint = "https://dev.example.com"\n'
    )


def test_set_in_an_existing_profile_appends_to_its_table(cli: Cli, user_file) -> None:
    """set --profile dev adds the key at the end of [profiles.dev], leaving the rest alone."""
    path = user_file(COMMENTED)
    result = cli("set", "--profile", "dev", "group", "team-b")
    assert result.code == 0, result.err
    assert result.out == f"set group in {path} [profiles.dev]\n"
    assert path.read_bytes() == COMMENTED.encode() + b'group = "team-b"\n'


def test_set_profile_creates_the_table(cli: Cli, user_file) -> None:
    """set --profile NEW creates [profiles.NEW] at the end, after a blank line."""
    path = user_file(COMMENTED)
    result = cli("set", "--profile", "staging", "endpoint", "https://staging.example.com")
    assert result.code == 0, result.err
    assert path.read_bytes() == COMMENTED.encode() + (
        b'\n[profiles.staging]\nendpoint = "https://staging.example.com"\n'
    )
    assert cli("get", "endpoint", "--profile", "staging").out == "https://staging.example.com\n"


def test_set_profile_creates_the_file_too(cli: Cli, config: Path) -> None:
    """set --profile NAME on a machine with no file creates the file with that table."""
    assert cli("set", "--profile", "ci", "domain", "ci-domain").code == 0
    assert config.read_bytes() == b'[profiles.ci]\ndomain = "ci-domain"\n'


def test_unset_in_a_profile_leaves_the_base_value(cli: Cli, user_file) -> None:
    """unset --profile dev endpoint removes the profile's line; the base endpoint stays."""
    path = user_file(COMMENTED)
    assert cli("unset", "--profile", "dev", "endpoint").code == 0
    assert path.read_bytes() == COMMENTED.encode().replace(
        b'endpoint = "https://dev.example.com"\n', b""
    )


CRLF = (
    b"# settings\r\n"
    b'endpoint = "https://api.example.com"  # prod\r\n'
    b"\r\n"
    b'access_key = "AKIAIOSFODNN7EXAMPLE"\r\n'
    b"\r\n"
    b"[profiles.dev]\r\n"
    b'endpoint = "https://dev.example.com"\r\n'
)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["set", "endpoint", "https://new.example.com"],
            CRLF.replace(b"https://api.example.com", b"https://new.example.com"),
        ),
        (
            ["set", "domain", "research"],
            CRLF.replace(
                b'"AKIAIOSFODNN7EXAMPLE"\r\n', b'"AKIAIOSFODNN7EXAMPLE"\r\ndomain = "research"\r\n'
            ),
        ),
        (
            ["set", "--profile", "dev", "group", "g"],
            CRLF + b'group = "g"\r\n',
        ),
        (
            ["set", "--profile", "new", "group", "g"],
            CRLF + b'\r\n[profiles.new]\r\ngroup = "g"\r\n',
        ),
        (
            ["set", "vfolder_mounts", "x,y"],
            CRLF.replace(
                b'"AKIAIOSFODNN7EXAMPLE"\r\n',
                b'"AKIAIOSFODNN7EXAMPLE"\r\nvfolder_mounts = ["x", "y"]\r\n',
            ),
        ),
        (
            ["unset", "access_key"],
            CRLF.replace(b'access_key = "AKIAIOSFODNN7EXAMPLE"\r\n', b""),
        ),
    ],
    ids=["replace", "add", "profile-add", "profile-new", "array", "unset"],
)
def test_crlf_line_endings_survive(cli: Cli, user_file, argv: list[str], expected: bytes) -> None:
    """A file with CRLF line endings keeps CRLF on every line after set and unset."""
    path = user_file(CRLF)
    result = cli(*argv)
    assert result.code == 0, result.err
    assert path.read_bytes() == expected


def test_set_same_value_leaves_the_file_untouched(cli: Cli, user_file) -> None:
    """Setting the value a key already has says so and does not rewrite the file."""
    path = user_file(COMMENTED)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = file_state(path)
    result = cli("set", "access_key", "AKIAIOSFODNN7EXAMPLE")
    assert result.code == 0, result.err
    assert "already set to that value" in result.out
    assert file_state(path) == before


def test_unset_of_an_absent_key_says_so(cli: Cli, user_file) -> None:
    """unset of a key the file lacks exits 0, says there is nothing to remove, changes nothing."""
    path = user_file(COMMENTED)
    before = file_state(path)
    result = cli("unset", "domain")
    assert result.code == 0, result.err
    assert result.out == f"domain is not set in {path}; nothing to remove\n"
    assert file_state(path) == before


def test_unset_without_a_file_creates_none(cli: Cli, config: Path) -> None:
    """unset on a machine with no user file exits 0 and creates no file."""
    result = cli("unset", "domain")
    assert result.code == 0, result.err
    assert not config.exists()


def test_no_temp_file_is_left_behind(cli: Cli, user_file) -> None:
    """After set, the folder holds only the file and its lock, and orphans are swept."""
    path = user_file(COMMENTED)
    orphan = path.parent / f".{path.name}.0123456789ab.tmp"
    orphan.write_text("half")
    assert cli("set", "domain", "x").code == 0
    assert sorted(os.listdir(path.parent)) == ["config.toml", "config.toml.lock"]


# --- a failed set changes nothing --------------------------------------------


@pytest.mark.parametrize(
    ("content", "argv", "code", "message"),
    [
        (COMMENTED, ["set", "skip_sslcert_validation", "maybe"], 1, "skip_sslcert_validation"),
        (COMMENTED, ["set", "endpoint", "not-a-url"], 1, "URL must be absolute"),
        (COMMENTED, ["set", "connection_timeout", "-1"], 1, "connection_timeout"),
        (COMMENTED, ["set", "hash_type", "nosuchhash"], 1, "hash_type"),
        (COMMENTED, ["set", "endpoint_type", "weird"], 1, "endpoint_type"),
        (COMMENTED, ["set", "storage_proxy_address_map", "novalue"], 1, "key=value"),
        (COMMENTED, ["set", "endpont", "https://x.example.com"], 2, "did you mean 'endpoint'"),
        (COMMENTED, ["unset", "acess_key"], 2, "did you mean 'access_key'"),
        ('endpoint = "https://x.example.com\n', ["set", "domain", "d"], 1, ":1:34:"),
        ("endpoint = 3\n", ["set", "domain", "d"], 1, ":1: endpoint:"),
        ("profiles = 3\n", ["set", "domain", "d"], 1, "profiles"),
        ('[profiles]\ndev = "x"\n', ["set", "--profile", "dev", "domain", "d"], 1, "profiles"),
        ('endpoint = 3\ndomain = "x"\n', ["unset", "domain"], 1, ":1: endpoint:"),
        ('domain = "x"\nendpoint = [\n', ["unset", "domain"], 1, "TOML syntax error"),
    ],
    ids=[
        "bad-bool",
        "relative-url",
        "negative-timeout",
        "bad-hash",
        "bad-choice",
        "bad-map",
        "unknown-key",
        "unset-unknown-key",
        "syntax-error",
        "type-error",
        "profiles-not-a-table",
        "profile-not-a-table",
        "unset-in-type-error",
        "unset-in-syntax-error",
    ],
)
def test_a_failed_write_changes_no_byte_and_no_mtime(
    cli: Cli, user_file, *, content: str, argv: list[str], code: int, message: str
) -> None:
    """A refused set or unset exits 1 or 2 with one line, and the file keeps bytes and mtime."""
    path = user_file(content)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = file_state(path)
    result = cli(*argv)
    assert result.code == code
    assert len(result.errors) == 1, result.err
    assert message in result.err
    assert result.out == ""
    assert file_state(path) == before
    assert sorted(os.listdir(path.parent)) in (["config.toml"], ["config.toml", "config.toml.lock"])


def test_a_bad_value_names_the_field_and_where_it_came_from(cli: Cli, config: Path) -> None:
    """A bad value on the command line gets one line naming the field, the origin and the value."""
    result = cli("set", "skip_sslcert_validation", "maybe")
    assert result.code == 1
    assert result.err == (
        "layered-config: error: VALUE: skip_sslcert_validation: not a boolean "
        '(use true/false, yes/no, 1/0) (got "maybe")\n'
    )


def test_a_failed_set_on_an_empty_machine_creates_nothing(cli: Cli, config: Path) -> None:
    """A refused set with no user file creates neither the file nor its folder."""
    assert cli("set", "connection_timeout", "soon").code == 1
    assert not config.parent.exists()


def test_set_without_a_value_is_bad_usage(cli: Cli, config: Path) -> None:
    """set KEY without VALUE exits 2 and writes nothing."""
    result = cli("set", "domain")
    assert result.code == 2
    assert "needs a VALUE" in result.err
    assert not config.exists()


def test_plaintext_applies_to_secret_key_only(cli: Cli, config: Path) -> None:
    """set --plaintext on another key exits 2 and writes nothing."""
    result = cli("set", "domain", "x", "--plaintext")
    assert result.code == 2
    assert "secret_key only" in result.err
    assert not config.exists()


def test_set_allows_missing_values_and_does_not_ask_the_keyring(cli: Cli, config: Path) -> None:
    """set works with the required keys missing, and never asks the keyring."""
    recorder = RecordingKeyring()
    keyring.set_keyring(recorder)
    assert cli("set", "access_key", ACCESS_KEY).code == 0
    assert cli("set", "domain", "research").code == 0
    assert cli("unset", "domain").code == 0
    assert recorder.calls == []


# --- modes and links -------------------------------------------------------------


@posix_only
def test_a_new_file_is_0600_in_a_0700_folder(cli: Cli, config: Path) -> None:
    """The first set creates the folder 0700 and the file 0600, and says so."""
    result = cli("set", "domain", "research")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"set domain in {config}",
        f"created {config} with mode 0600",
    ]
    assert mode_of(config) == 0o600
    assert mode_of(config.parent) == 0o700


@posix_only
def test_an_existing_file_keeps_its_mode(cli: Cli, user_file) -> None:
    """set on an existing 0640 file keeps it 0640."""
    path = user_file(COMMENTED, mode=0o640)
    result = cli("set", "domain", "research")
    assert result.code == 0, result.err
    assert mode_of(path) == 0o640
    assert "tightened" not in result.out


@posix_only
def test_plaintext_secret_tightens_a_0644_file_and_says_so(cli: Cli, user_file) -> None:
    """set secret_key --plaintext into a 0644 file makes it 0600 and says why."""
    path = user_file(COMMENTED, mode=0o644)
    result = cli("set", "secret_key", "--plaintext", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert mode_of(path) == 0o600
    assert f"tightened {path} to mode 0600, because it now holds a secret" in result.out


@posix_only
@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_symlinked_file_is_written_through_and_stays_a_link(
    cli: Cli, config: Path, tmp_path: Path, relative: bool
) -> None:
    """set on a symlinked user file changes the target; the link stays the same link."""
    target = tmp_path / "dotfiles" / "backend.toml"
    target.parent.mkdir()
    target.write_text(COMMENTED)
    target.chmod(0o640)
    config.parent.mkdir(parents=True)
    link = os.path.relpath(target, config.parent) if relative else str(target)
    config.symlink_to(link)
    result = cli("set", "domain", "research")
    assert result.code == 0, result.err
    assert config.is_symlink()
    assert os.readlink(config) == link
    assert target.read_text() == COMMENTED.replace(
        'vfolder_mounts = ["b", "a"]\n', 'vfolder_mounts = ["b", "a"]\ndomain = "research"\n'
    )
    assert mode_of(target) == 0o640
    assert cli("get", "domain").out == "research\n"
    assert not list(config.parent.glob("*.tmp")) and not list(target.parent.glob("*.tmp"))


@posix_only
def test_a_dangling_symlink_gets_its_target_created(cli: Cli, config: Path, tmp_path: Path) -> None:
    """set through a link to a missing file creates the target, 0600, and keeps the link."""
    target = tmp_path / "dotfiles" / "new" / "backend.toml"
    config.parent.mkdir(parents=True)
    config.symlink_to(target)
    result = cli("set", "domain", "research")
    assert result.code == 0, result.err
    assert config.is_symlink()
    assert target.read_text() == 'domain = "research"\n'
    assert mode_of(target) == 0o600


def test_config_file_option_writes_that_file(cli: Cli, config: Path, tmp_path: Path) -> None:
    """set --config-file PATH writes PATH and leaves the default user file alone."""
    other = tmp_path / "elsewhere" / "my.toml"
    assert cli("set", "domain", "x", "--config-file", str(other)).code == 0
    assert other.read_text() == 'domain = "x"\n'
    assert not config.exists()
    assert cli("get", "domain", "--config-file", str(other)).out == "x\n"


# --- the lock ---------------------------------------------------------------------


def test_a_held_lock_makes_set_exit_1_with_the_file_unchanged(
    cli: Cli,
    user_file,
    monkeypatch: pytest.MonkeyPatch,
    lock_holder: Callable[[Path], LockHolder],
) -> None:
    """While another process holds config.toml.lock, set gives up, exits 1 and writes nothing."""
    path = user_file(COMMENTED)
    before = file_state(path)
    kwdefaults = _atomic.locked_update.__kwdefaults__
    assert kwdefaults is not None
    monkeypatch.setitem(kwdefaults, "lock_timeout", 0.2)
    holder = lock_holder(path.with_name("config.toml.lock"))
    result = cli("set", "domain", "research")
    assert result.code == 1
    assert result.err == (
        f"layered-config: error: gave up after 0.2 s waiting for the lock {path}.lock: "
        "another layered-config process is writing the configuration\n"
    )
    assert file_state(path) == before
    holder.release()
    assert cli("set", "domain", "research").code == 0


def test_writers_wait_10_seconds_by_default() -> None:
    """The lock timeout that set uses is DESIGN.md's 10 s."""
    assert _atomic.locked_update.__kwdefaults__ == {"secret": False, "lock_timeout": 10.0}


# --- shadowing --------------------------------------------------------------------


@pytest.mark.parametrize("var", ["BACKEND_ENDPOINT", "SORNA_ENDPOINT"])
def test_set_reports_that_env_overrides_the_value(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    """set succeeds while BACKEND_X (or SORNA_X) is set, and says that env overrides it."""
    monkeypatch.setenv(var, "https://env.example.com")
    result = cli("set", "endpoint", "https://file.example.com")
    assert result.code == 0, result.err
    assert f"note: env {var} overrides this value" in result.out.splitlines()
    assert tomllib.loads(config.read_text())["endpoint"] == "https://file.example.com"


def test_set_says_nothing_of_shadowing_when_the_file_wins(cli: Cli, config: Path) -> None:
    """Without a higher layer, set prints no override note."""
    result = cli("set", "endpoint", "https://file.example.com")
    assert "overrides" not in result.out


def test_set_in_a_profile_reports_env_shadowing(
    cli: Cli, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """set reports env shadowing for the profile it wrote, too."""
    monkeypatch.setenv("BACKEND_DOMAIN", "from-env")
    result = cli("set", "--profile", "p", "domain", "from-file")
    assert "note: env BACKEND_DOMAIN overrides this value" in result.out


def test_unset_reports_that_env_still_gives_the_value(
    cli: Cli, user_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    """unset of a key that env also sets says env still decides it."""
    user_file(COMMENTED)
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AK-FROM-ENV")
    result = cli("unset", "access_key")
    assert result.code == 0, result.err
    assert "note: env BACKEND_ACCESS_KEY overrides this value" in result.out
