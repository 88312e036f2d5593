"""A secret never leaks: not in output, reprs, errors, tracebacks, logs or warnings.

A canary secret key is seeded through each layer (argument, env, file, keyring),
and a canary password inside an endpoint URL through each layer that can hold an
endpoint. Then every command runs, error paths included, and everything that was
printed, logged, warned or raised is searched for the canaries. Only
``--show-secrets`` may reveal them.
"""

from __future__ import annotations

import logging
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import (
    ACCESS_KEY,
    SECRET,
    SECRET_MASKED,
    SECRET_URL,
    TRACEBACK,
    URL_PASSWORD,
    Result,
    assert_no_leak,
    cli_process,
    record,
    run_cli,
)

import layered_config
from layered_config import APIConfig, LayeredConfigError, resolve, set_config
from layered_config.sources import _tomlfile
from layered_config.sources import env as env_source

# Every read-only command, in every output form, plus usage and error paths.
READ_COMMANDS: list[list[str]] = [
    ["show"],
    ["show", "--json"],
    ["show", "--format", "env"],
    ["get", "secret_key"],
    ["get", "secret_key", "--json"],
    ["get", "endpoint"],
    ["get", "endpoint", "--json"],
    ["get", "storage_proxy_address_map"],
    ["get", "access_key"],
    ["explain", "secret_key"],
    ["explain", "secret_key", "--json"],
    ["explain", "endpoint"],
    ["explain", "endpoint", "--json"],
    ["explain", "storage_proxy_address_map", "--json"],
    ["doctor"],
    ["doctor", "--json"],
    ["doctor", "--strict"],
    ["profiles"],
    ["profiles", "--json"],
    ["path"],
    ["path", "--json"],
    ["show", "--profile", "no-such-profile"],
    ["get", "secret-key"],
    ["explain", "nope"],
    ["frobnicate"],
]

# Commands that write, fail to write, or refuse: run after the read-only ones.
WRITE_COMMANDS: list[tuple[list[str], str]] = [
    (["set", "secret_key", SECRET], ""),  # refused: a secret on argv
    (["set", "secret_key"], SECRET + "\nsecond line\n"),  # refused: an embedded newline
    (["set", "secret_key"], SECRET + "\x1b[0m\n"),  # refused: a control character
    (["set", "endpoint", SECRET_URL + ",relative"], ""),  # refused: a relative URL
    (["set", "domain", "d1"], ""),
    (["set", "access_key", "AKNEWNEWNEW"], ""),  # warns about the secret left behind
    (["set", "access_key", ACCESS_KEY], ""),
    (["set", "secret_key", "--plaintext"], SECRET + "\n"),
    (["set", "secret_key"], SECRET + "\r\n"),  # to the keyring; removes the plaintext
    (["edit"], ""),
    (["unset", "secret_key"], ""),
    (["unset", "domain"], ""),
]


class Caught:
    """Every log record (any logger, from DEBUG up) and every warning so far, as text."""

    def __init__(self, caplog: pytest.LogCaptureFixture, found: list[warnings.WarningMessage]):
        self._caplog = caplog
        self._found = found

    def texts(self) -> list[str]:
        texts = [f"{w.category.__name__}: {w.message}" for w in self._found]
        for entry in self._caplog.records:
            texts.append(entry.getMessage())
            if entry.exc_info:
                texts.append("".join(traceback.format_exception(*entry.exc_info)))
        return texts

    def check(self, *, expect_debug: bool = False) -> None:
        """Fail if any log record or warning so far shows a canary.

        With ``expect_debug``, DEBUG records must have been captured (filelock logs
        at DEBUG on every write), which shows the capture itself works.
        """
        if expect_debug:
            assert any(r.levelno == logging.DEBUG for r in self._caplog.records)
        for text in self.texts():
            assert_no_leak(text, "a log record or warning")


@pytest.fixture
def caught(caplog: pytest.LogCaptureFixture) -> Iterator[Caught]:
    """Record every log record at DEBUG and every warning while the test runs."""
    caplog.set_level(logging.DEBUG)
    with warnings.catch_warnings(record=True) as found:
        warnings.simplefilter("always")
        yield Caught(caplog, found)


def sweep(commands: list[list[str]], *, extra: list[str] | None = None) -> list[Result]:
    """Run each command in-process and check that nothing it printed leaks."""
    results = []
    for argv in commands:
        result = run_cli([*argv, *(extra or [])])
        assert_no_leak(result.out + result.err, f"{argv}")
        results.append(result)
    return results


def sweep_writes() -> None:
    for argv, stdin in WRITE_COMMANDS:
        result = run_cli(argv, stdin=stdin)
        assert_no_leak(result.out + result.err, f"{argv} <<< {stdin!r}")
        assert TRACEBACK not in result.err


def check_library(**arguments: Any) -> None:
    """Resolve with ``arguments``; search reprs, strs and any error with its traceback."""
    texts: list[str] = []
    try:
        resolution = resolve(**arguments)
        texts += [repr(resolution), str(resolution)]
        for name in layered_config.FIELDS:
            texts += [repr(resolution.explain(name)), repr(resolution.origin(name))]
        texts += [repr(resolution.origins)]
        config = resolution.config
        texts += [repr(config), str(config), repr(config.resolution)]
        set_config(None)
        texts += [repr(layered_config.get_config())]
        texts += [repr(APIConfig(**{k: v for k, v in arguments.items() if k != "environ"}))]
    except LayeredConfigError as exc:
        texts += [str(exc), repr(exc), repr(exc.args), *traceback.format_exception(exc)]
    for text in texts:
        assert_no_leak(text, "a repr, str or traceback")


def reset() -> None:
    _tomlfile._cache.clear()
    env_source._warned.clear()
    set_config(None)


# The secret key, through each layer ------------------------------------------------


def seed_argument(**_: Any) -> dict[str, Any]:
    return {"secret_key": SECRET, "access_key": ACCESS_KEY}


def seed_env(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("BACKEND_SECRET_KEY", SECRET)
    return {}


def seed_legacy_env(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("SORNA_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("SORNA_SECRET_KEY", SECRET)
    monkeypatch.setenv("BACKEND_SECRET_KEY", SECRET[::-1])  # shadows it: explain shows both
    return {}


def seed_user_file(user_file: Any, **_: Any) -> dict[str, Any]:
    user_file(f'access_key = "{ACCESS_KEY}"\nsecret_key = "{SECRET}"\n', mode=0o644)
    return {}


def seed_profile(user_file: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    user_file(f'access_key = "{ACCESS_KEY}"\n[profiles.p]\nsecret_key = "{SECRET}"\n')
    monkeypatch.setenv("BACKEND_PROFILE", "p")
    return {}


def seed_system_file(system_file: Any, **_: Any) -> dict[str, Any]:
    system_file(f'access_key = "{ACCESS_KEY}"\nsecret_key = "{SECRET}"\n', mode=0o644)
    return {}


def seed_keyring(memory_keyring: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET
    return {}


def seed_bad_file_value(user_file: Any, **_: Any) -> dict[str, Any]:
    # Every command fails on this file: the error must name the field, not the value.
    user_file(f'access_key = "{ACCESS_KEY}"\nsecret_key = ["{SECRET}"]\n')
    return {}


def seed_syntax_error(user_file: Any, **_: Any) -> dict[str, Any]:
    user_file(f'access_key = "{ACCESS_KEY}"\nsecret_key = "{SECRET}\nendpoint = 1\n')
    return {}


SECRET_LAYERS: dict[str, Callable[..., dict[str, Any]]] = {
    "argument": seed_argument,
    "env": seed_env,
    "legacy env": seed_legacy_env,
    "user file": seed_user_file,
    "profile": seed_profile,
    "system file": seed_system_file,
    "keyring": seed_keyring,
    "wrong type in file": seed_bad_file_value,
    "syntax error in file": seed_syntax_error,
}


@pytest.mark.parametrize("layer", list(SECRET_LAYERS))
def test_secret_key_never_leaks(
    layer: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    caught: Caught,
) -> None:
    """Seed the canary through one layer; no command, repr, error, log or warning shows it."""
    seed = SECRET_LAYERS[layer]
    fixtures = {name: request.getfixturevalue(name) for name in ("user_file", "system_file")}
    fixtures["memory_keyring"] = request.getfixturevalue("memory_keyring")
    arguments = seed(monkeypatch=monkeypatch, **fixtures)
    check_library(**arguments)
    reset()
    results = sweep(READ_COMMANDS)
    sweep_writes()
    reset()
    check_library(**arguments)
    caught.check(expect_debug=True)
    record("secret canary", layers=1, commands=len(results) + len(WRITE_COMMANDS))


def test_secret_key_from_a_real_secret_service(
    secret_service_keyring: Any, monkeypatch: pytest.MonkeyPatch, caught: Caught
) -> None:
    """The same sweep with the canary in gnome-keyring, read through D-Bus."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    secret_service_keyring.store("backend.ai", ACCESS_KEY, SECRET)
    assert resolve().values["secret_key"] == SECRET
    check_library()
    sweep(READ_COMMANDS)
    caught.check()
    record("secret canary", layers=1, commands=len(READ_COMMANDS))


def test_only_show_secrets_reveals_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """--show-secrets prints the secret; the same command without it masks it."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("BACKEND_SECRET_KEY", SECRET)
    monkeypatch.setenv("BACKEND_ENDPOINT", SECRET_URL)
    assert run_cli(["get", "secret_key", "--show-secrets"]).out == SECRET + "\n"
    assert URL_PASSWORD in run_cli(["get", "endpoint", "--show-secrets"]).out
    for argv in (
        ["show"],
        ["show", "--json"],
        ["show", "--format", "env"],
        ["explain", "secret_key"],
    ):
        masked = run_cli(argv)
        assert SECRET_MASKED in masked.out
        assert_no_leak(masked.out + masked.err, f"{argv}")
        shown = run_cli([*argv, "--show-secrets"])
        assert SECRET in shown.out
    assert URL_PASSWORD in run_cli(["show", "--show-secrets"]).out
    refused = run_cli(["get", "secret_key"])
    assert refused.code == 1 and "--show-secrets" in refused.err


# The password inside an endpoint URL, through each layer ------------------------------


def url_argument(**_: Any) -> dict[str, Any]:
    return {"endpoint": SECRET_URL, "storage_proxy_address_map": {"s": SECRET_URL}}


def url_env(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("BACKEND_ENDPOINT", SECRET_URL + ",https://b.example.com")
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", f"s={SECRET_URL}")
    return {}


def url_legacy_env(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("SORNA_ENDPOINT", SECRET_URL)
    monkeypatch.setenv("BACKEND_ENDPOINT", SECRET_URL.replace("alice", "bob"))
    return {}


def url_file(user_file: Any, **_: Any) -> dict[str, Any]:
    user_file(
        f'endpoint = ["{SECRET_URL}", "https://b.example.com"]\n'
        f'storage_proxy_address_map = {{ s = "{SECRET_URL}" }}\n'
        f'[profiles.p]\nendpoint = "{SECRET_URL}"\n'
    )
    return {}


def url_system_file(system_file: Any, **_: Any) -> dict[str, Any]:
    system_file(f'endpoint = "{SECRET_URL}"\n')
    return {}


def url_invalid_env(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("BACKEND_ENDPOINT", f"{SECRET_URL},relative/path")
    return {}


def url_invalid_file(user_file: Any, **_: Any) -> dict[str, Any]:
    user_file(f'endpoint = ["{SECRET_URL}", 5]\n')
    return {}


def url_invalid_map(monkeypatch: pytest.MonkeyPatch, **_: Any) -> dict[str, Any]:
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", f"s={SECRET_URL},broken")
    return {}


URL_LAYERS: dict[str, Callable[..., dict[str, Any]]] = {
    "argument": url_argument,
    "env": url_env,
    "legacy env": url_legacy_env,
    "user file": url_file,
    "system file": url_system_file,
    "invalid env": url_invalid_env,
    "invalid file": url_invalid_file,
    "invalid map": url_invalid_map,
}


@pytest.mark.parametrize("layer", list(URL_LAYERS))
def test_url_password_never_leaks(
    layer: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    caught: Caught,
) -> None:
    """Seed a URL with a password through one layer; it is masked everywhere."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("BACKEND_SECRET_KEY", SECRET)
    fixtures = {name: request.getfixturevalue(name) for name in ("user_file", "system_file")}
    arguments = URL_LAYERS[layer](monkeypatch=monkeypatch, **fixtures)
    check_library(**arguments)
    reset()
    sweep(READ_COMMANDS)
    sweep(READ_COMMANDS[:3], extra=["--profile", "p"] if layer == "user file" else [])
    sweep_writes()
    caught.check(expect_debug=True)
    record("URL password canary", layers=1, commands=len(READ_COMMANDS) + len(WRITE_COMMANDS))


def test_set_endpoint_with_a_password_does_not_echo_it(config_path: Path) -> None:
    """Writing a URL with a password prints no password, but stores it."""
    result = run_cli(["set", "--config-file", str(config_path), "endpoint", SECRET_URL])
    assert result.code == 0
    assert_no_leak(result.out + result.err, "set endpoint")
    assert URL_PASSWORD in config_path.read_text()


_PASSWORD_CHARS = st.characters(
    codec="utf-8", exclude_characters="/?#\\", exclude_categories=["Cc", "Cs"]
)


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(middle=st.text(_PASSWORD_CHARS, max_size=12), user=st.text("abcxyz .-_", max_size=6))
def test_any_url_password_is_masked(
    middle: str, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any password yarl accepts in a URL is masked, on the success and the error path."""
    password = f"ZXPW{middle}QWPW"  # markers that appear nowhere else
    url = f"https://{user}:{password}@h.example.com"
    for value in (url, f"{url},relative"):
        monkeypatch.setenv("BACKEND_ENDPOINT", value)
        reset()
        for argv in (["show"], ["explain", "endpoint"], ["get", "endpoint"]):
            result = run_cli(argv)
            printed = result.out + result.err
            assert "ZXPW" not in printed and "QWPW" not in printed, (argv, value, printed)
        try:
            config = resolve().config
        except LayeredConfigError as exc:
            text = str(exc) + "".join(traceback.format_exception(exc))
        else:
            text = repr(config)
        assert "ZXPW" not in text and "QWPW" not in text, text
    record("URL password masking (Hypothesis)", examples=1)


# The same, through real processes ----------------------------------------------------


SUBPROCESS_COMMANDS = [
    ["show"],
    ["show", "--json"],
    ["explain", "secret_key"],
    ["explain", "endpoint", "--json"],
    ["doctor"],
    ["get", "secret_key"],
    ["get", "endpoint"],
]


@pytest.mark.parametrize(
    "env",
    [
        {"BACKEND_SECRET_KEY": SECRET, "BACKEND_ENDPOINT": SECRET_URL},
        {"SORNA_SECRET_KEY": SECRET, "BACKEND_ENDPOINT": SECRET_URL + ",relative"},
        {"BACKEND_SECRET_KEY": SECRET, "BACKEND_READ_TIMEOUT": "-1"},
    ],
    ids=["env", "legacy env, bad endpoint", "bad value beside the secret"],
)
def test_processes_print_no_secret(env: dict[str, str]) -> None:
    """In a real process, stdout, stderr and any traceback hold no canary."""
    env = {"BACKEND_ACCESS_KEY": ACCESS_KEY, **env}
    for argv in SUBPROCESS_COMMANDS:
        result = cli_process(argv, env=env)
        assert_no_leak(result.out + result.err, f"{argv} in a process")
        assert TRACEBACK not in result.err
        assert result.code in {0, 1}
    refused = cli_process(["set", "secret_key", SECRET], env=env)
    assert refused.code == 2
    assert_no_leak(refused.out + refused.err, "set secret_key SECRET")
    record("secret canary (processes)", commands=len(SUBPROCESS_COMMANDS) + 1)


def test_keyring_error_that_quotes_the_secret_is_scrubbed(
    memory_keyring: Any, monkeypatch: pytest.MonkeyPatch, config_path: Path
) -> None:
    """A backend whose error message repeats the secret: the CLI prints it masked."""

    def refuse(service: str, username: str, password: str) -> None:
        raise RuntimeError(f"cannot store {password!r} for {username}")

    monkeypatch.setattr(memory_keyring, "set_password", refuse)
    monkeypatch.setenv("BACKEND_ACCESS_KEY", ACCESS_KEY)
    result = run_cli(["set", "--config-file", str(config_path), "secret_key"], stdin=SECRET)
    assert result.code == 1
    assert_no_leak(result.out + result.err, "a keyring error")
    assert "refused to store secret_key" in result.err
