"""Edge cases found in review: masking, keyring errors, repairs, warnings and odd inputs."""

from __future__ import annotations

import io
import os
import pickle
import warnings
from pathlib import Path
from typing import Any

import keyring
import pytest
from cli_helpers import Cli
from keyring_doubles import RaisingKeyring

import layered_config
from layered_config import (
    DEFAULTS,
    ConfigValueError,
    FileSource,
    LegacyEnvWarning,
    MissingValueError,
    resolve,
)
from layered_config._cli import main

pytest_plugins = ["cli_helpers"]

PASSWORD = "p/ss#w0rd?x@y"
ACCESS_KEY = "AKEDGE"
LONG_SECRET = "S3cr3t-" * 20


@pytest.mark.parametrize("command", [["show"], ["get", "storage_proxy_address_map"]])
def test_a_proxy_password_with_url_delimiters_is_masked(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """A password holding / # ? and @ in a proxy URL never reaches show or get output."""
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", f"vol=https://admin:{PASSWORD}@host:6021")
    result = cli(*command)
    assert result.code == 0, result.err
    assert "admin:****@host:6021" in result.out
    assert "w0rd" not in result.out + result.err


def test_each_url_of_a_map_is_masked_on_its_own(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two proxy URLs with passwords keep their hosts: each is masked on its own."""
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", "a=https://u:p1@h1,b=https://v:p2@h2")
    assert (
        cli("get", "storage_proxy_address_map").out == "a=https://u:****@h1,b=https://v:****@h2\n"
    )


def test_a_bad_endpoint_with_a_slash_in_its_password_is_masked_in_the_error() -> None:
    """An invalid endpoint's message masks a password that holds a slash."""
    with pytest.raises(ConfigValueError) as caught:
        resolve(environ={"BACKEND_ENDPOINT": "https://user:p/ssw0rd@host:badport"})
    assert "ssw0rd" not in str(caught.value)
    assert "user:****@" in str(caught.value)


def test_a_failed_keyring_write_never_shows_part_of_the_secret(
    cli: Cli, user_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backend error that quotes the secret is scrubbed before the message is shortened."""
    user_file(f'access_key = "{ACCESS_KEY}"\n')
    error = RuntimeError(f"could not store username={ACCESS_KEY} password {LONG_SECRET} here")
    monkeypatch.setattr(
        "layered_config.sources._keyring_call.insecure_reason", lambda *a, **k: None
    )
    keyring.set_keyring(RaisingKeyring(error))
    result = cli("set", "secret_key", stdin=LONG_SECRET)
    assert result.code == 1
    assert "S3cr3t" not in result.err


def test_an_option_like_secret_on_argv_is_not_echoed(cli: Cli) -> None:
    """set secret_key -S3cret exits 2 without printing the would-be secret."""
    result = cli("set", "secret_key", "-S3cr3tS3cr3t")
    assert result.code == 2
    assert "S3cr3t" not in result.err
    assert "not shown" in result.err


def test_set_repairs_a_file_whose_value_is_bad(cli: Cli, user_file: Any) -> None:
    """set may fix the very value that makes the file invalid."""
    path = user_file("endpoint = 5\n")
    result = cli("set", "endpoint", "https://good.example.com")
    assert result.code == 0, result.err
    assert path.read_text() == 'endpoint = "https://good.example.com"\n'


def test_unset_on_an_empty_machine_creates_nothing(cli: Cli, user_file: Any) -> None:
    """unset with no user file says so and creates no folder and no lock file."""
    result = cli("unset", "domain")
    assert result.code == 0
    assert "nothing to remove" in result.out
    assert not user_file.path.parent.exists()


def test_profiles_written_as_an_inline_table_give_one_line(cli: Cli, user_file: Any) -> None:
    """set --profile on a file whose profiles are an inline table exits 1 with one line."""
    user_file('profiles = {a = {domain = "x"}}\n')
    result = cli("set", "--profile", "b", "domain", "y")
    assert result.code == 1
    assert "cannot edit this file" in result.err


def test_undecodable_secret_input_is_refused(cli: Cli, user_file: Any) -> None:
    """A secret on stdin that is not UTF-8 is refused, and nothing is stored."""
    path = user_file(f'access_key = "{ACCESS_KEY}"\n')
    stdin = io.TextIOWrapper(io.BytesIO(b"abc\xff\n"), encoding="utf-8")
    result = cli("set", "secret_key", "--plaintext", stdin=stdin)
    assert result.code == 1
    assert "not UTF-8" in result.err
    assert "secret_key" not in path.read_text()


def test_a_closed_stdin_is_empty_input(
    cli_system_file: str, user_file: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """set secret_key with stdin closed is refused as empty input, not a crash."""
    path = user_file(f'access_key = "{ACCESS_KEY}"\n')
    monkeypatch.setattr("sys.stdin", None)
    assert main(["set", "secret_key", "--plaintext"]) == 1
    assert "the input is empty" in capsys.readouterr().err
    assert "secret_key" not in path.read_text()


def test_a_legacy_warning_points_at_the_caller() -> None:
    """The SORNA_ warning is attributed to the user's code, where default filters show it."""
    environ = {"SORNA_ACCESS_KEY": "a", "BACKEND_SECRET_KEY": "b"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolve(environ=environ)
    legacy = [w for w in caught if issubclass(w.category, LegacyEnvWarning)]
    assert [Path(w.filename).name for w in legacy] == [Path(__file__).name]


def test_session_mode_explains_why_every_offer_lost() -> None:
    """In session mode each offered key is shadowed by the dummy default, with that reason."""
    resolution = resolve(
        environ={"BACKEND_ENDPOINT_TYPE": "session", "BACKEND_ACCESS_KEY": ACCESS_KEY}
    )
    entries = resolution.explain("access_key")
    assert [(e.source, e.status) for e in entries if e.status in {"winner", "shadowed"}] == [
        ("env", "shadowed"),
        ("default", "winner"),
    ]
    assert entries[1].reason == "endpoint_type=session uses dummy keys"
    keyring_entry = next(e for e in resolution.explain("secret_key") if e.source == "keyring")
    assert keyring_entry.location == f"service=backend.ai username={ACCESS_KEY}"


def test_a_dotted_key_has_its_own_line(user_file: Any) -> None:
    """A value written as a dotted key reports the line where it is written."""
    path = user_file('domain = "d"\n[profiles.p]\n  endpoint . x = 1\n')
    with pytest.raises(ConfigValueError, match=f"^{path}:3: endpoint:"):
        resolve(profile="p")


def test_a_relative_file_source_reports_an_absolute_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FileSource built with a relative path still reports an absolute path:line."""
    monkeypatch.chdir(tmp_path)
    Path("rel.toml").write_text('domain = "d"\n')
    reading = FileSource("rel.toml").read(layered_config.Query())
    assert reading.origins["domain"].location == f"{tmp_path / 'rel.toml'}:1"


def test_the_missing_key_error_survives_pickling() -> None:
    """A MissingValueError keeps its key and message through pickle, for process pools."""
    error = MissingValueError("ACCESS_KEY", "access_key is not set")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301  # our own object
    assert copy.args == ("ACCESS_KEY",)
    assert str(copy) == "access_key is not set"


def test_an_invalid_defaults_entry_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    """A DEFAULTS mapping changed to an invalid value raises an error naming it."""
    monkeypatch.setitem(DEFAULTS, "hash_type", "bogus")
    with pytest.raises(ConfigValueError, match=r"^DEFAULTS: hash_type: not a hashlib algorithm"):
        resolve()


def test_a_dangling_symlink_is_still_explained_as_such(user_file: Any, tmp_path: Path) -> None:
    """An absent file that is a dangling symlink says so when explained."""
    user_file.path.parent.mkdir(parents=True)
    os.symlink(tmp_path / "nowhere", user_file.path)
    entries = resolve().explain("domain")
    assert any(e.reason == "dangling symlink" for e in entries)


def test_endpoints_may_come_from_any_iterable() -> None:
    """An endpoint argument may be any iterable of URLs, a generator included, kept in order."""
    urls = (f"https://api{n}.example.com" for n in (1, 2))
    resolution = resolve(endpoint=urls, access_key="a", secret_key="b")
    assert [str(url) for url in resolution.config.endpoints] == [
        "https://api1.example.com",
        "https://api2.example.com",
    ]


def test_an_endpoint_argument_of_the_wrong_type_names_the_field() -> None:
    """A number as the endpoint argument is a ConfigValueError naming the field."""
    with pytest.raises(ConfigValueError, match=r"^argument: endpoint: expected a URL or URLs"):
        resolve(endpoint=5)
