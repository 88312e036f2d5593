"""The installed console script and ``python -m layered_config``, run in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import ACCESS_KEY, ANSI, SECRET_KEY, Script, json_keyring_env, mode_of

pytest_plugins = ["cli_helpers"]

posix_only = pytest.mark.skipif(os.name == "nt", reason="pseudo-terminals and modes are POSIX")


@pytest.fixture
def config(user_file) -> Path:
    """The user file's path, not created."""
    return user_file.path


def test_show_on_an_empty_machine_exits_0(script: Script) -> None:
    """The console script's show works with no file and no keyring, and exits 0."""
    result = script("show")
    assert result.code == 0, result.err
    assert result.out.startswith("NAME ")
    assert "<not set>" in result.out
    assert result.err == ""


def test_exit_1_for_a_configuration_problem(script: Script) -> None:
    """get of a missing value exits 1 with one error line."""
    result = script("get", "access_key")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("layered-config: error: access_key is not set")


def test_exit_1_for_a_syntax_error(script: Script, user_file) -> None:
    """A syntax error in the user file exits 1 with path:line:column."""
    path = user_file('domain = "x\n')
    result = script("show")
    assert result.code == 1
    assert result.err.startswith(f"layered-config: error: {path}:1:")


def test_exit_2_for_bad_usage(script: Script) -> None:
    """An unknown command and an unknown key both exit 2."""
    assert script("frobnicate").code == 2
    result = script("get", "endpont")
    assert result.code == 2
    assert "did you mean 'endpoint'?" in result.err


def test_set_and_get_round_trip(script: Script, config: Path) -> None:
    """set then get through the console script returns the value; the file is 0600."""
    assert script("set", "vfolder_mounts", "a, b").code == 0
    result = script("get", "vfolder_mounts")
    assert result.code == 0, result.err
    assert result.out == "a,b\n"
    if os.name != "nt":
        assert mode_of(config) == 0o600


def test_a_secret_piped_on_stdin_goes_to_the_keyring(
    script: Script, user_file, tmp_path: Path
) -> None:
    """A secret piped to `set secret_key` is stored in the keyring backend, not the file."""
    path = user_file(f'access_key = "{ACCESS_KEY}"\n')
    env = json_keyring_env(tmp_path)
    result = script("set", "secret_key", stdin=SECRET_KEY + "\r\n", env=env)
    assert result.code == 0, result.err
    assert "stored secret_key in the keyring (json keyring Keyring" in result.out
    assert SECRET_KEY not in result.out + result.err
    stored = json.loads(Path(env["TEST_KEYRING_FILE"]).read_text())
    assert stored == {f"backend.ai\0{ACCESS_KEY}": SECRET_KEY}
    assert path.read_text() == f'access_key = "{ACCESS_KEY}"\n'
    shown = script("show", "--json", env=env)
    secret = json.loads(shown.out)["fields"]["secret_key"]
    assert secret == {
        "value": "****EKEY",
        "source": "keyring",
        "location": f"json keyring Keyring service=backend.ai username={ACCESS_KEY}",
    }
    assert script("get", "secret_key", "--show-secrets", env=env).out == SECRET_KEY + "\n"


def test_a_secret_piped_with_plaintext_goes_to_the_file(script: Script, config: Path) -> None:
    """`set secret_key --plaintext` with a piped secret writes it to a 0600 file and warns."""
    result = script("set", "secret_key", "--plaintext", stdin=SECRET_KEY + "\n")
    assert result.code == 0, result.err
    assert config.read_text() == f'secret_key = "{SECRET_KEY}"\n'
    assert "warning: secret_key is stored in plaintext" in result.err
    if os.name != "nt":
        assert mode_of(config) == 0o600


def test_a_secret_on_argv_exits_2(script: Script, config: Path) -> None:
    """A secret on the command line exits 2 and is not echoed."""
    result = script("set", "secret_key", SECRET_KEY)
    assert result.code == 2
    assert SECRET_KEY not in result.out + result.err
    assert not config.exists()


def test_an_insecure_keyring_is_refused(script: Script, user_file) -> None:
    """With the null backend, set secret_key exits 1 naming it and explaining --plaintext."""
    user_file(f'access_key = "{ACCESS_KEY}"\n')
    result = script("set", "secret_key", stdin=SECRET_KEY)
    assert result.code == 1
    assert "(backend: null Keyring)" in result.err
    assert "--plaintext" in result.err


# --- colour -------------------------------------------------------------------------


@posix_only
def test_colour_is_used_on_a_terminal(script: Script) -> None:
    """On a terminal, without NO_COLOR, show and explain use ANSI colour and keep alignment."""
    for argv in (["show"], ["explain", "endpoint"]):
        result = script.on_tty(*argv)
        assert result.code == 0, result.err
        assert ANSI.search(result.out), argv
        assert ANSI.sub("", result.out) == script(*argv).out


@posix_only
@pytest.mark.parametrize("value", ["1", "yes", "0"])
def test_no_color_turns_colour_off_on_a_terminal(script: Script, value: str) -> None:
    """NO_COLOR set to any non-empty value turns colour off, even on a terminal."""
    for argv in (["show"], ["explain", "endpoint"], ["doctor"]):
        result = script.on_tty(*argv, env={"NO_COLOR": value})
        assert not ANSI.search(result.out), argv
        assert not ANSI.search(result.err), argv


@pytest.mark.parametrize(
    "argv", [["show"], ["explain", "access_key"], ["doctor"], ["show", "--json"], ["path"]]
)
def test_no_colour_when_stdout_is_not_a_terminal(script: Script, argv: list[str]) -> None:
    """With stdout on a pipe, no ANSI code is printed, even without NO_COLOR."""
    result = script(*argv)
    assert not ANSI.search(result.out)
    assert not ANSI.search(result.err)


# --- python -m layered_config -------------------------------------------------------


def test_python_m_help(script: Script) -> None:
    """`python -m layered_config --help` prints the usage and exits 0."""
    done = subprocess.run(
        [sys.executable, "-m", "layered_config", "--help"],
        env=script.env,
        cwd=script.cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: layered-config")
    assert "Exit status: 0 ok, 1 configuration problem, 2 bad usage." in done.stdout


def test_python_m_passes_the_exit_status(script: Script) -> None:
    """`python -m layered_config` exits with the command's status."""
    done = subprocess.run(
        [sys.executable, "-m", "layered_config", "get", "access_key"],
        env=script.env,
        cwd=script.cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
