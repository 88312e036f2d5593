"""Exit statuses: 0 ok, 1 a configuration problem in one line, 2 bad usage; never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Cli

from layered_config import __version__

pytest_plugins = ["cli_helpers"]

READ_COMMANDS = [
    ["show"],
    ["show", "--json"],
    ["show", "--format", "env"],
    ["get", "endpoint"],
    ["get", "endpoint", "--json"],
    ["explain", "endpoint"],
    ["explain", "endpoint", "--json"],
]
ALL_COMMANDS = [
    *READ_COMMANDS,
    ["profiles"],
    ["profiles", "--json"],
    ["path"],
    ["path", "--json"],
    ["doctor"],
    ["doctor", "--json"],
    ["set", "domain", "x"],
    ["unset", "domain"],
    ["set", "secret_key"],
    ["unset", "secret_key"],
]


# --- bad usage: exit 2 -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["show", "--bogus"],
        ["show", "--format", "yaml"],
        ["get"],
        ["explain"],
        ["set"],
        ["unset"],
        ["get", "endpoint", "extra"],
        ["set", "--strict", "domain", "x"],
        ["edit", "--json"],
    ],
)
def test_bad_usage_exits_2(cli: Cli, argv: list[str]) -> None:
    """A malformed command line exits 2 with argparse's usage line on stderr."""
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert "usage: layered-config" in result.err


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["get", "endpont"], "did you mean 'endpoint'?"),
        (["explain", "acces_key"], "did you mean 'access_key'?"),
        (["set", "secretkey"], "did you mean 'secret_key'?"),
        (["unset", "domian"], "did you mean 'domain'?"),
        (["get", "ENDPOINT"], "did you mean 'endpoint'?"),
        (["get", "zzz"], "known keys: endpoint, endpoint_type,"),
    ],
)
def test_an_unknown_key_exits_2_with_a_suggestion(cli: Cli, argv: list[str], hint: str) -> None:
    """An unknown key exits 2 with one line that suggests the closest key."""
    result = cli(*argv)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert hint in result.err


def test_help_exits_0(cli: Cli) -> None:
    """--help prints the commands and the exit statuses, and exits 0."""
    result = cli("--help")
    assert result.code == 0
    for command in ("show", "get", "explain", "set", "unset", "profiles", "path", "edit", "doctor"):
        assert command in result.out
    assert "Exit status: 0 ok, 1 configuration problem, 2 bad usage." in result.out


@pytest.mark.parametrize(
    "command", ["show", "get", "explain", "set", "unset", "profiles", "path", "edit", "doctor"]
)
def test_every_command_takes_profile_and_config_file(cli: Cli, command: str) -> None:
    """Every command's help lists --profile and --config-file."""
    result = cli(command, "--help")
    assert result.code == 0
    assert "--profile" in result.out
    assert "--config-file" in result.out


@pytest.mark.parametrize("command", ["show", "get", "explain", "profiles", "path", "doctor"])
def test_the_inspecting_commands_take_json(cli: Cli, command: str) -> None:
    """show, get, explain, profiles, path and doctor take --json."""
    assert "--json" in cli(command, "--help").out


def test_version(cli: Cli) -> None:
    """--version prints the version and exits 0."""
    result = cli("--version")
    assert result.code == 0
    assert result.out == f"layered-config {__version__}\n"


# --- configuration problems: exit 1, one line --------------------------------------


@pytest.mark.parametrize("argv", READ_COMMANDS)
def test_a_bad_env_value_exits_1_naming_field_and_variable(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    """A bad value in env exits 1 with one line naming the variable, the field and the value."""
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", "maybe")
    result = cli(*argv)
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "layered-config: error: BACKEND_SKIP_SSLCERT_VALIDATION: skip_sslcert_validation: "
        'not a boolean (use true/false, yes/no, 1/0) (got "maybe")\n'
    )


@pytest.mark.parametrize("argv", READ_COMMANDS)
def test_a_bad_file_value_exits_1_with_path_and_line(cli: Cli, user_file, argv: list[str]) -> None:
    """A value of the wrong type in the file exits 1 with path:line and the field."""
    path = user_file('domain = "d"\nvfolder_mounts = "not-an-array"\n')
    result = cli(*argv)
    assert result.code == 1
    assert result.err == (
        f"layered-config: error: {path}:2: vfolder_mounts: expected an array of strings, "
        'got a string (got "not-an-array")\n'
    )


@pytest.mark.parametrize("argv", [*READ_COMMANDS, ["profiles"], ["set", "domain", "x"]])
def test_a_syntax_error_exits_1_with_path_line_and_column(
    cli: Cli, user_file, argv: list[str]
) -> None:
    """A TOML syntax error exits 1 with path:line:column."""
    path = user_file('domain = "d"\n\n[profiles.dev\nendpoint = "x"\n')
    result = cli(*argv)
    assert result.code == 1
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith(f"layered-config: error: {path}:3:14: TOML syntax error")


def test_a_syntax_error_in_the_system_file_names_it(
    cli: Cli, system_file, cli_system_file: str
) -> None:
    """A syntax error in the system file names the system file's path."""
    system_file("endpoint = \n", mode=0o644)
    result = cli("show")
    assert result.code == 1
    assert result.err.startswith(f"layered-config: error: {cli_system_file}:1:")


@pytest.mark.parametrize(
    "argv",
    [["show"], ["show", "--json"], ["get", "domain"], ["explain", "domain"], ["profiles"]],
)
def test_an_unknown_profile_exits_1_listing_the_known(
    cli: Cli, user_file, system_file, argv: list[str]
) -> None:
    """An unknown profile exits 1 with one line listing the profiles that exist."""
    user_file('[profiles.dev]\ndomain = "d"\n\n[profiles.prod]\ndomain = "p"\n')
    system_file('[profiles.shared]\ndomain = "s"\n', mode=0o644)
    result = cli(*argv, "--profile", "staging")
    assert result.code == 1
    assert result.err == (
        "layered-config: error: profile 'staging' is in no configuration file "
        "(known: dev, prod, shared)\n"
    )


def test_an_unknown_profile_from_backend_profile_exits_1(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BACKEND_PROFILE naming no profile is the same error."""
    monkeypatch.setenv("BACKEND_PROFILE", "ghost")
    result = cli("show")
    assert result.code == 1
    assert "profile 'ghost' is in no configuration file (known: none)" in result.err


def test_a_bad_keyring_timeout_exits_1(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """An invalid BACKEND_KEYRING_TIMEOUT exits 1 naming the variable."""
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "soon")
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AK")
    result = cli("show")
    assert result.code == 1
    assert "BACKEND_KEYRING_TIMEOUT" in result.err


def test_a_file_that_is_not_utf8_exits_1_with_its_position(cli: Cli, user_file) -> None:
    """A user file that is not UTF-8 exits 1 with path:line:column, for reads and writes."""
    path = user_file(b'domain = "d"\nendpoint = "\xff"\n')
    for argv in (["show"], ["set", "group", "g"]):
        result = cli(*argv)
        assert result.code == 1
        assert len(result.err.splitlines()) == 1
        assert str(path) in result.err
    assert path.read_bytes() == b'domain = "d"\nendpoint = "\xff"\n'


def test_a_config_file_that_is_a_folder_exits_1(cli: Cli, tmp_path: Path) -> None:
    """--config-file naming a folder exits 1 for reads and writes, with no traceback."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for argv in (["show"], ["set", "domain", "x"], ["unset", "domain"]):
        result = cli(*argv, "--config-file", str(folder))
        assert result.code == 1, argv
        assert len(result.errors) == 1, result.err


# A folder the user cannot write or read is tested in tests/reliability
# (test_unreadable_file_and_folder), as user nobody when the suite runs as root.


# --- warnings --------------------------------------------------------------------


def test_legacy_env_is_used_with_a_warning(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A SORNA_ variable is used, and the CLI prints its own warning line once."""
    monkeypatch.setenv("SORNA_DOMAIN", "legacy")
    result = cli("get", "domain")
    assert result.code == 0
    assert result.out == "legacy\n"
    assert result.warnings == [
        "layered-config: warning: SORNA_DOMAIN is deprecated; rename it to BACKEND_DOMAIN "
        "(legacy SORNA_ names will stop working in a future release)"
    ]
    assert cli("get", "domain").warnings == result.warnings


def test_an_unknown_key_in_the_file_warns_with_a_suggestion(cli: Cli, user_file) -> None:
    """An unknown key in the file is a warning with "did you mean", and show still exits 0."""
    path = user_file('domian = "d"\n')
    result = cli("show")
    assert result.code == 0
    assert result.warnings == [
        f"layered-config: warning: {path}:1: unknown key 'domian'; did you mean 'domain'?"
    ]


# --- no traceback, whatever the state ----------------------------------------------

Breaker = Callable[..., None]


def _syntax(user_file, system_file, monkeypatch) -> None:
    user_file('access_key = "AK"\nendpoint = [\n')


def _type(user_file, system_file, monkeypatch) -> None:
    user_file('access_key = "AK"\nconnection_timeout = "x"\n')


def _env(user_file, system_file, monkeypatch) -> None:
    monkeypatch.setenv("BACKEND_ENDPOINT", "relative/path")


def _profile(user_file, system_file, monkeypatch) -> None:
    monkeypatch.setenv("BACKEND_PROFILE", "ghost")


def _folder(user_file, system_file, monkeypatch) -> None:
    user_file.path.mkdir(parents=True)


def _system(user_file, system_file, monkeypatch) -> None:
    system_file("profiles = 3\n", mode=0o644)


def _timeout(user_file, system_file, monkeypatch) -> None:
    user_file('access_key = "AK"\n')
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "-1")


@pytest.mark.parametrize(
    "breaker",
    [_syntax, _type, _env, _profile, _folder, _system, _timeout],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("argv", ALL_COMMANDS, ids=" ".join)
def test_no_state_makes_a_traceback(
    cli: Cli, user_file, system_file, monkeypatch: pytest.MonkeyPatch, *, breaker: Breaker, argv
) -> None:
    """Every command, against every kind of broken configuration, exits 0, 1 or 2 in one line."""
    breaker(user_file, system_file, monkeypatch)
    result = cli(*argv, stdin="a-secret-value\n")
    assert result.code in (0, 1, 2)
    assert len(result.errors) <= 1, result.err
    if result.code != 0 and argv[0] != "doctor":  # doctor reports problems on stdout
        assert len(result.errors) == 1, result.err
