"""Errors name the field and its origin; no secret reaches a message, repr or warning."""

from __future__ import annotations

import os
import socket
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from layered_config import (
    APIConfig,
    ConfigFileError,
    ConfigValueError,
    ConfigWriteError,
    LayeredConfigError,
    LayeredConfigWarning,
    LegacyEnvWarning,
    LockTimeoutError,
    MissingValueError,
    PermissionWarning,
    Resolution,
    Resolver,
    SecretStoreError,
    UnknownKeyWarning,
    UnknownProfileError,
    resolve,
)

AK = "AKERRORS"
CANARY = "canary-Secret-7f3a9c1e5b"
PASSWORD = "pw-Canary-41d8"


# --- the error tree --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (ConfigValueError, ValueError),
        (ConfigFileError, ValueError),
        (MissingValueError, KeyError),
        (UnknownProfileError, LookupError),
        (SecretStoreError, RuntimeError),
        (ConfigWriteError, OSError),
        (LockTimeoutError, TimeoutError),
    ],
)
def test_each_error_is_also_the_builtin_it_really_is(error: type, builtin: type) -> None:
    """Every error subclasses LayeredConfigError and the builtin that callers already catch."""
    assert issubclass(error, LayeredConfigError)
    assert issubclass(error, builtin)


def test_warnings_are_filterable_by_category() -> None:
    """File warnings are UserWarnings under one root; the legacy one is a DeprecationWarning."""
    assert issubclass(UnknownKeyWarning, LayeredConfigWarning)
    assert issubclass(PermissionWarning, LayeredConfigWarning)
    assert issubclass(LayeredConfigWarning, UserWarning)
    assert issubclass(LegacyEnvWarning, DeprecationWarning)


# --- files that cannot be read ---------------------------------------------------------


def test_toml_syntax_error_has_path_line_and_column(user_file: Any) -> None:
    """A TOML syntax error raises ConfigFileError at path:line:column."""
    path = user_file('domain = "ok"\ngroup = \n')
    with pytest.raises(ConfigFileError) as info:
        resolve()
    assert str(info.value).startswith(f"{path}:2:9: TOML syntax error")
    assert isinstance(info.value, ValueError)


def test_syntax_error_at_end_of_document_has_a_position(user_file: Any) -> None:
    """An error at the end of the file still reports a line and column."""
    path = user_file('domain = "ok"\nvfolder_mounts = ["a",\n')
    with pytest.raises(ConfigFileError, match=rf"^{path}:\d+:\d+: TOML syntax error"):
        resolve()


def test_invalid_utf8_is_a_file_error(user_file: Any) -> None:
    """Bytes that are not UTF-8 raise ConfigFileError at the offending line and column."""
    path = user_file(b'domain = "ok"\ngroup = "\xff"\n')
    with pytest.raises(ConfigFileError, match=rf"^{path}:2:10: not valid UTF-8"):
        resolve()


def test_nul_byte_is_a_file_error(user_file: Any) -> None:
    """A NUL byte in the file raises ConfigFileError."""
    user_file(b'domain = "a\x00b"\n')
    with pytest.raises(ConfigFileError, match=":1:"):
        resolve()


def test_directory_instead_of_file_is_a_file_error(user_file: Any) -> None:
    """A folder where the config file should be raises ConfigFileError."""
    user_file.path.mkdir(parents=True)
    with pytest.raises(ConfigFileError, match="is a directory"):
        resolve()


# A file without read permission is tested in tests/reliability
# (test_unreadable_file_and_folder), as user nobody when the suite runs as root.


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_socket_instead_of_file_is_a_file_error(user_file: Any) -> None:
    """A path that is a socket raises ConfigFileError at once, without trying to read it."""
    user_file.path.parent.mkdir(parents=True)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(user_file.path))
        with pytest.raises(ConfigFileError, match="is a pipe or socket, not a file"):
            resolve()


def test_fifo_instead_of_file_is_a_file_error_not_a_hang(user_file: Any) -> None:
    """A path that is a FIFO with no writer raises ConfigFileError instead of blocking forever."""
    user_file.path.parent.mkdir(parents=True)
    os.mkfifo(user_file.path)
    with pytest.raises(ConfigFileError, match="is a pipe or socket, not a file"):
        resolve()


def test_symlink_loop_is_a_file_error(user_file: Any) -> None:
    """A config path that is a symlink loop raises ConfigFileError."""
    user_file.path.parent.mkdir(parents=True)
    user_file.path.symlink_to(user_file.path)
    with pytest.raises(ConfigFileError, match="cannot read"):
        resolve()


def test_dangling_symlink_is_absent_with_its_reason(user_file: Any, tmp_path: Path) -> None:
    """A symlink to nothing is an absent file, explained as a dangling symlink."""
    user_file.path.parent.mkdir(parents=True)
    user_file.path.symlink_to(tmp_path / "nowhere.toml")
    [entry, _system] = [e for e in resolve().explain("domain") if e.source == "file"]
    assert (entry.status, entry.reason) == ("absent", "dangling symlink")


@pytest.mark.parametrize(
    "path", ["bad\x00name.toml", "bad\ud800name.toml"], ids=["nul", "surrogate"]
)
def test_unusable_config_file_path_is_a_file_error(path: str) -> None:
    """A config path the OS cannot take (a NUL byte, a lone surrogate) raises ConfigFileError."""
    with pytest.raises(ConfigFileError):
        resolve(environ={"BACKEND_CONFIG_FILE": path})


# --- bad values ------------------------------------------------------------------------


def test_bad_env_value_names_the_field_and_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad env value raises an error starting with the variable, then the field."""
    monkeypatch.setenv("SORNA_SKIP_SSLCERT_VALIDATION", "perhaps")
    with pytest.raises(ConfigValueError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyEnvWarning)
        resolve()
    assert str(info.value).startswith("SORNA_SKIP_SSLCERT_VALIDATION: skip_sslcert_validation: ")
    assert "perhaps" in str(info.value)


def test_bad_file_value_names_the_field_and_path_line(system_file: Any) -> None:
    """A bad value in the system file is reported at its path:line."""
    path = system_file('\n\nendpoint = "not a url"\n')
    with pytest.raises(ConfigValueError, match=f"^{path}:3: endpoint: URL must be absolute"):
        resolve()


def test_bad_argument_names_the_field() -> None:
    """A bad argument is reported as 'argument: <field>: <problem>'."""
    with pytest.raises(ConfigValueError, match=r"^argument: connection_timeout: "):
        resolve(connection_timeout="soon")


def test_shadowed_bad_sorna_value_does_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad SORNA_ value hidden by a good BACKEND_ one is shown in explain, not raised."""
    monkeypatch.setenv("BACKEND_READ_TIMEOUT", "5")
    monkeypatch.setenv("SORNA_READ_TIMEOUT", "never")
    resolution = resolve()
    assert resolution.values["read_timeout"] == 5.0
    [sorna] = [e for e in resolution.explain("read_timeout") if e.location == "SORNA_READ_TIMEOUT"]
    assert sorna.status == "shadowed"
    assert "invalid" in (sorna.reason or "")


def test_empty_endpoint_argument_to_resolve_is_an_error() -> None:
    """resolve(endpoint=[]) is a ConfigValueError, as an empty array in a file is."""
    with pytest.raises(ConfigValueError, match="endpoint"):
        resolve(endpoint=[])


def test_huge_timeout_in_a_file_is_a_value_error(user_file: Any) -> None:
    """A timeout integer too large for a float is a ConfigValueError, not an OverflowError."""
    user_file("connection_timeout = 1" + "0" * 400 + "\n")
    with pytest.raises(ConfigValueError, match="connection_timeout: must be a finite number"):
        resolve()


def test_huge_timeout_argument_is_a_value_error() -> None:
    """A timeout argument too large for a float is a ConfigValueError, not an OverflowError."""
    with pytest.raises(ConfigValueError, match="argument: read_timeout: must be a finite"):
        resolve(read_timeout=10**400)


def test_proxy_map_argument_needs_string_keys() -> None:
    """A proxy map argument with a non-string key is rejected when the config is built."""
    with pytest.raises(ConfigValueError, match="storage_proxy_address_map: expected string keys"):
        resolve(storage_proxy_address_map={1: "http://p"})


# --- unknown keys ----------------------------------------------------------------------


def test_unknown_key_warns_with_a_suggestion(user_file: Any) -> None:
    """A misspelt key draws UnknownKeyWarning at its path:line, suggesting the field."""
    path = user_file('domain = "d"\nendpont = "https://x.example"\n')
    with pytest.warns(UnknownKeyWarning) as record:
        resolution = resolve()
    assert [str(w.message) for w in record] == [
        f"{path}:2: unknown key 'endpont'; did you mean 'endpoint'?"
    ]
    assert resolution.values["domain"] == "d"


def test_unknown_key_in_a_profile_warns_with_its_dotted_name(user_file: Any) -> None:
    """A misspelt key inside a profile is named with its table."""
    path = user_file('[profiles.dev]\nacess_key = "AK"\n')
    with pytest.warns(UnknownKeyWarning, match=rf"{path}:2: unknown key 'profiles.dev.acess_key'"):
        resolve()


def test_unknown_key_without_a_close_field_has_no_suggestion(user_file: Any) -> None:
    """A key unlike any field warns without 'did you mean'."""
    user_file("zzzzqqq = 1\n")
    with pytest.warns(UnknownKeyWarning) as record:
        resolve()
    assert "did you mean" not in str(record[0].message)


# --- permissions -----------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
def test_group_readable_file_with_a_secret_warns_chmod_600(user_file: Any) -> None:
    """A group-readable user file holding secret_key draws PermissionWarning with the fix."""
    path = user_file(f'access_key = "{AK}"\nsecret_key = "{CANARY}"\n', mode=0o640)
    with pytest.warns(PermissionWarning, match=f"chmod 600 {path}") as record:
        resolve()
    assert all(CANARY not in str(w.message) for w in record)


@pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
def test_secret_in_a_profile_counts_too(user_file: Any) -> None:
    """A secret inside a profile table also makes a readable file draw the warning."""
    user_file(f'[profiles.p]\nsecret_key = "{CANARY}"\n', mode=0o644)
    with pytest.warns(PermissionWarning, match="chmod 600"):
        resolve()


@pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
def test_readable_file_without_a_secret_is_fine(user_file: Any) -> None:
    """A world-readable file without a secret draws no warning."""
    user_file('domain = "d"\n', mode=0o644)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve()


@pytest.mark.skipif(os.name == "nt", reason="mode bits do not apply on Windows")
def test_world_writable_file_warns(user_file: Any) -> None:
    """A file others can write draws PermissionWarning."""
    user_file('domain = "d"\n', mode=0o666)
    with pytest.warns(PermissionWarning, match="chmod go-w"):
        resolve()


# --- no secret in any output -----------------------------------------------------------


def texts_of(resolution: Resolution) -> Iterator[str]:
    """Yield every repr and str a user could see for a resolution and its config."""
    yield repr(resolution)
    yield str(resolution)
    yield repr(Resolver(resolution.sources))
    yield repr(resolution.origins)
    for name in resolution.values:
        origin = resolution.origin(name)
        yield repr(origin)
        yield str(origin)
        for entry in resolution.explain(name):
            yield repr(entry)
            yield str(entry)
            yield repr(entry.origin)
            yield str(entry.reason)
            yield str(entry.location)
    if not resolution.missing:
        yield repr(resolution.config)
        yield str(resolution.config)


def secret_via(
    channel: str, secret: str, monkeypatch: pytest.MonkeyPatch, user_file: Any, memory_keyring: Any
) -> dict[str, Any]:
    """Offer ``secret`` as the secret key through one channel; return the arguments to pass."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", AK)
    if channel == "argument":
        return {"secret_key": secret}
    if channel == "env":
        monkeypatch.setenv("BACKEND_SECRET_KEY", secret)
    elif channel == "legacy env":
        monkeypatch.setenv("SORNA_SECRET_KEY", secret)
    elif channel == "file":
        user_file(f'secret_key = "{secret}"\nsecret_kye = "{secret}"\n', mode=0o644)
    else:
        memory_keyring.secrets["backend.ai", AK] = secret
    return {}


CHANNELS = ["argument", "env", "legacy env", "file", "keyring"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_secret_never_appears_in_reprs_or_warnings(
    channel: str, monkeypatch: pytest.MonkeyPatch, user_file: Any, memory_keyring: Any
) -> None:
    """A secret key from any layer appears in no repr, str, explain entry or warning."""
    arguments = secret_via(channel, CANARY, monkeypatch, user_file, memory_keyring)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolution = resolve(**arguments)
        assert resolution.config.secret_key == CANARY
        texts = list(texts_of(resolution))
    texts += [str(w.message) for w in caught]
    if channel in ("legacy env", "file"):
        assert caught, "the channel should have drawn a warning worth checking"
    for text in texts:
        assert CANARY not in text


@pytest.mark.parametrize("channel", CHANNELS)
def test_secret_never_appears_in_an_error(
    channel: str, monkeypatch: pytest.MonkeyPatch, user_file: Any, memory_keyring: Any
) -> None:
    """When another value is bad, the error message and traceback do not carry the secret."""
    arguments = secret_via(channel, CANARY, monkeypatch, user_file, memory_keyring)
    monkeypatch.setenv("BACKEND_ENDPOINT", "relative/path")
    with pytest.raises(ConfigValueError) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        APIConfig(**arguments)
    assert CANARY not in "".join(traceback.format_exception(info.value))


@pytest.mark.parametrize(
    "content",
    [f"secret_key = ['{CANARY}']\n", f"secret_key = {{ a = '{CANARY}' }}\n"],
    ids=["array", "table"],
)
def test_wrong_typed_secret_is_masked_in_the_error(user_file: Any, content: str) -> None:
    """A secret of the wrong type is reported with its value masked."""
    user_file(content)
    with pytest.raises(ConfigValueError, match="secret_key") as info:
        resolve()
    assert CANARY not in str(info.value)
    assert "****" in str(info.value)


def test_secret_in_a_bad_argument_is_masked() -> None:
    """A non-string secret argument is reported masked."""
    with pytest.raises(ConfigValueError, match="secret_key") as info:
        resolve(secret_key=[CANARY])
    assert CANARY not in str(info.value)


def test_missing_key_error_does_not_carry_the_other_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a secret but no access key, the missing-key error does not show the secret."""
    monkeypatch.setenv("BACKEND_SECRET_KEY", CANARY)
    with pytest.raises(MissingValueError) as info:
        APIConfig()
    assert CANARY not in str(info.value)
    assert CANARY not in repr(info.value)


def test_url_password_is_masked_in_the_config_repr() -> None:
    """A password inside the endpoint URL is masked in APIConfig's repr."""
    config = APIConfig(
        endpoint=f"https://user:{PASSWORD}@api.example", access_key=AK, secret_key="s"
    )
    assert PASSWORD not in repr(config)
    assert "user:****@api.example" in repr(config)


@pytest.mark.parametrize(
    ("var", "text"),
    [
        ("BACKEND_ENDPOINT", f"https://user:{PASSWORD}@api.example,relative"),
        ("BACKEND_ENDPOINT", f"https://user:{PASSWORD}@api.example:badport/"),
        ("BACKEND_OVERRIDE_STORAGE_PROXY", f"s1=https://u:{PASSWORD}@proxy,broken"),
    ],
    ids=["relative-neighbour", "bad-port", "proxy-map"],
)
def test_url_password_is_masked_in_env_errors(
    monkeypatch: pytest.MonkeyPatch, var: str, text: str
) -> None:
    """A bad env value holding a URL with a password is reported with the password masked."""
    monkeypatch.setenv(var, text)
    with pytest.raises(ConfigValueError, match=var) as info:
        resolve()
    assert PASSWORD not in str(info.value)
    assert ":****@" in str(info.value)


def test_url_password_is_masked_in_file_errors(user_file: Any) -> None:
    """A bad endpoint array holding a URL with a password is reported masked."""
    user_file(f'endpoint = ["https://user:{PASSWORD}@api.example", "relative"]\n')
    with pytest.raises(ConfigValueError) as info:
        resolve()
    assert PASSWORD not in str(info.value)


def test_url_password_is_masked_in_a_proxy_map_file_error(user_file: Any) -> None:
    """A bad proxy map whose other entry holds a password URL is reported masked."""
    user_file(f'[storage_proxy_address_map]\ns1 = "https://u:{PASSWORD}@p"\ns2 = 5\n')
    with pytest.raises(ConfigValueError) as info:
        resolve()
    assert PASSWORD not in str(info.value)


def test_url_password_never_in_provenance(monkeypatch: pytest.MonkeyPatch) -> None:
    """A password URL from env appears in no repr or explain entry of the resolution."""
    monkeypatch.setenv("BACKEND_ENDPOINT", f"https://user:{PASSWORD}@api.example")
    resolution = resolve(access_key=AK, secret_key="s")
    for text in texts_of(resolution):
        assert PASSWORD not in text
