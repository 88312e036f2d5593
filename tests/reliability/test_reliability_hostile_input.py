"""Hostile and broken input: every input gives a valid config or a LayeredConfigError.

Hypothesis drives each in-process parser with at least 1,000 examples: random text
in every env var, random, structured and truncated TOML, wrong types in every
field (in a file and as arguments), and random argv through ``main``. Parametrized
extremes follow: 1 MB strings, 100k-element arrays, NUL bytes and invalid UTF-8,
deep nesting, and files that are folders, unreadable or dangling symlinks.

From the CLI, a failure is exit 1 with one error line (or exit 2 for bad usage),
never a traceback; and a command that fails changes no byte on disk.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reliability_support import (
    TRACEBACK,
    Result,
    assert_one_line_error,
    record,
    run_cli,
    snapshot_tree,
)
from yarl import URL

from layered_config import FIELDS, APIConfig, LayeredConfigError, resolve, set_config
from layered_config._fields import env_names
from layered_config.sources import _tomlfile
from layered_config.sources import env as env_source

FUZZ = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def reset() -> None:
    _tomlfile._cache.clear()
    env_source._warned.clear()
    set_config(None)


def exercise(make: Callable[[], Any], *, one_line: bool = False) -> str:
    """Resolve, then read every value, origin, location and explanation.

    Returns ``"valid"``, ``"incomplete"`` (missing keys) or ``"error"``; any
    exception other than a LayeredConfigError fails the test. With ``one_line``,
    the error message must be one line: values are escaped in messages, but a key
    or profile name from a file is quoted as written (the CLI escapes those).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown keys and SORNA_ names warn, rightly
        return _exercise(make, one_line)


def _exercise(make: Callable[[], Any], one_line: bool) -> str:
    try:
        resolution = make()
        for name in FIELDS:
            for entry in resolution.explain(name):
                repr(entry)
            origin = resolution.origin(name)
            if origin is not None:
                origin.as_dict()
        repr(resolution)
    except LayeredConfigError as exc:
        assert not one_line or str(exc).isprintable(), str(exc)
        return "error"
    try:
        config = resolution.config
    except LayeredConfigError as exc:
        assert isinstance(exc, KeyError) and exc.args[0] in {"ACCESS_KEY", "SECRET_KEY"}
        return "incomplete"
    repr(config)
    str(config.endpoint)
    return "valid"


def check_cli(result: Result, argv: list[str]) -> None:
    """Exit 0, 1 with one error line (doctor: problems on stdout), or 2; never a traceback."""
    assert TRACEBACK not in result.out + result.err, (argv, result)
    assert result.code in {0, 1, 2}, (argv, result)
    if result.code == 1 and "doctor" not in argv:
        assert len(result.errors) == 1, (argv, result)


# 1. Random text in every env var -----------------------------------------------------

# Undecodable bytes in the environment reach Python as lone surrogates.
_SURROGATE = st.integers(0xDC80, 0xDCFF).map(chr)
_ANY_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00") | _SURROGATE
_EDGE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e10",
    "1e999",
    "-0",
    "nan",
    "inf",
    "9" * 400,
    "true",
    "yes",
    "1",
    "api",
    "session",
    "sha512",
    "SHA256",
    "bogus",
    ",",
    ",,",
    "=",
    "a=",
    "=b",
    "k=v,k=w",
    "https://u:p@h",
    "http://[::1",
    "//x",
    "relative",
    "https://x.example.com,relative",
    "~",
    "p",
    "a b",
    "\t",
    "\n",
]
ENV_VALUES = st.one_of(st.text(_ANY_CHAR, max_size=40), st.sampled_from(_EDGE_VALUES))
ENV_NAMES = sorted(
    {name for field in FIELDS.values() for name in env_names(field)}
    | {"BACKEND_PROFILE", "BACKEND_KEYRING_TIMEOUT", "BACKEND_CONFIG_FILE"}
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A folder with a few files that random config paths may name."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "good.toml").write_text('endpoint = "https://x.example.com"\n[profiles.p]\n')
    (folder / "bad.toml").write_text("endpoint = [1\n")
    (folder / "dir.toml").mkdir()
    (folder / "dangling.toml").symlink_to(folder / "nowhere")
    return folder


def config_file_value(folder: Path, text: str) -> str:
    """Keep a random BACKEND_CONFIG_FILE inside ``folder``: one name, no slash.

    Control characters other than NUL become ``_``: a path with a newline would
    make a library message two lines (the CLI escapes it). NUL stays: no file can
    have such a name, and that must be an error too.
    """
    name = "".join(ch if ch.isprintable() or ch == "\x00" else "_" for ch in text)
    name = name.replace("/", "_").replace("..", "_")
    return str(folder / name) if name not in {"", "."} else str(folder / "good.toml")


@pytest.mark.slow
@FUZZ
@given(env=st.dictionaries(st.sampled_from(ENV_NAMES), ENV_VALUES, max_size=8))
def test_random_environment(env: dict[str, str], files: Path) -> None:
    """Random text in any env var: a config, or a LayeredConfigError naming the variable."""
    if "BACKEND_CONFIG_FILE" in env:
        env["BACKEND_CONFIG_FILE"] = config_file_value(files, env["BACKEND_CONFIG_FILE"])
    reset()
    outcome = exercise(lambda: resolve(environ=env), one_line=True)
    record(f"fuzz: environment ({outcome})", examples=1)


@pytest.mark.slow
@FUZZ
@given(
    env=st.dictionaries(
        st.sampled_from(ENV_NAMES),
        ENV_VALUES.filter(lambda v: "\x00" not in v),
        max_size=6,
    ),
    argv=st.sampled_from([["show"], ["show", "--json"], ["explain", "endpoint"], ["doctor"]]),
)
def test_random_environment_through_the_cli(
    env: dict[str, str], argv: list[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same through ``main``, which reads os.environ and prints to a strict stdout."""
    if "BACKEND_CONFIG_FILE" in env:
        env["BACKEND_CONFIG_FILE"] = config_file_value(files, env["BACKEND_CONFIG_FILE"])
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        check_cli(run_cli(argv), argv)
    record("fuzz: environment through the CLI", examples=1)


# 2. Random, structured and truncated TOML --------------------------------------------

_TOML_TOKENS = [
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    '"',
    "'",
    '"""',
    "'''",
    "\n",
    "\r\n",
    "#",
    ",",
    ".",
    " ",
    "\\",
    "\\u00e9",
    "\\U0001F600",
    "endpoint",
    "profiles",
    "secret_key",
    "access_key",
    "vfolder_mounts",
    "storage_proxy_address_map",
    "connection_timeout",
    "p",
    "true",
    "1",
    "-1",
    "1.5",
    "1e400",
    "nan",
    "inf",
    "0x1F",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "https://x.example.com",
    "\x00",
    "\x7f",
    "\u2028",
    "\ufeff",
]

TOMLISH = st.lists(st.sampled_from(_TOML_TOKENS) | st.text(max_size=4), max_size=40).map("".join)

_KEY = st.sampled_from([*FIELDS, "profiles", "p"]) | st.text(min_size=1, max_size=8)
_SCALAR = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.sampled_from(["https://x.example.com", "sha512", "api", "session"]),
)
TOML_VALUES = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEY, inner, max_size=4),
    max_leaves=12,
)
TOML_DOCS = st.dictionaries(_KEY, TOML_VALUES, max_size=6)


def dump(doc: dict[str, Any]) -> str:
    """Write a document with tomlkit; some documents it cannot write, and are skipped."""
    try:
        return tomlkit.dumps(doc)
    except (TypeError, ValueError, tomlkit.exceptions.TOMLKitError):
        assume(False)
        raise


def load_file(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    reset()
    return exercise(lambda: resolve(config_file=path, environ={}))


@pytest.mark.slow
@FUZZ
@given(data=st.one_of(st.binary(max_size=200), TOMLISH.map(lambda t: t.encode("utf-8", "replace"))))
def test_random_bytes_and_tomlish_text(data: bytes, tmp_path: Path) -> None:
    """Random bytes and token soup: a config or a LayeredConfigError with path:line:column."""
    outcome = load_file(tmp_path / "config.toml", data)
    record(f"fuzz: random TOML ({outcome})", examples=1)


@pytest.mark.slow
@FUZZ
@given(doc=TOML_DOCS, cut=st.integers(0, 10_000), profile=st.booleans())
def test_valid_and_truncated_toml(
    doc: dict[str, Any], cut: int, profile: bool, tmp_path: Path
) -> None:
    """Any valid document, whole and cut short anywhere: never a foreign exception."""
    text = dump(doc)
    path = tmp_path / "config.toml"
    whole = load_file(path, text.encode("utf-8"))
    if profile and whole != "error":
        reset()
        exercise(lambda: resolve(config_file=path, environ={}, profile="p"))
    truncated = load_file(path, text[: cut % (len(text) + 1)].encode("utf-8"))
    record(f"fuzz: valid TOML ({whole})", examples=1)
    record(f"fuzz: truncated TOML ({truncated})", examples=1)


# 3. Wrong types in every field -------------------------------------------------------


@pytest.mark.slow
@FUZZ
@given(
    values=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, TOML_VALUES)),
    in_profile=st.booleans(),
)
def test_any_toml_type_in_every_field(
    values: dict[str, Any], in_profile: bool, tmp_path: Path
) -> None:
    """Any TOML type for any field, at the top or in a profile: valid, or an error at path:line."""
    doc = {"profiles": {"p": values}} if in_profile else values
    path = tmp_path / "config.toml"
    path.write_text(dump(doc))
    reset()
    outcome = exercise(
        lambda: resolve(config_file=path, environ={}, profile="p" if in_profile else None)
    )
    if outcome == "error":
        try:
            resolve(config_file=path, environ={}, profile="p" if in_profile else None)
        except LayeredConfigError as exc:
            assert str(exc).startswith(str(path)), str(exc)
    record(f"fuzz: wrong types in a file ({outcome})", examples=1)


class Weird:
    """An object no converter knows, with a hostile repr."""

    def __repr__(self) -> str:
        return "\n<weird>\n"


PY_VALUES = st.one_of(
    TOML_VALUES,
    st.binary(max_size=8),
    st.complex_numbers(),
    st.integers(min_value=2**64, max_value=2**2000),
    st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            -0.0,
            (),
            [],
            {},
            frozenset({"a"}),
            Weird(),
            object(),
            b"https://x",
            URL("/relative"),
            URL("https://x.example.com"),
            [URL("https://a.example.com"), "https://b.example.com"],
            [None],
            {1: "a"},
            {"a": 1},
            "https://u:p@h",
            datetime.timedelta(1),
        ]
    ),
    st.sets(st.text(max_size=3), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.iterables(st.text(max_size=3), max_size=3),
)


@pytest.mark.slow
@FUZZ
@given(arguments=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, PY_VALUES)))
def test_any_python_value_as_an_argument(arguments: dict[str, Any]) -> None:
    """Any Python value as ``resolve(**kw)`` and ``APIConfig(**kw)``: valid or an error."""
    reset()
    outcome = exercise(lambda: resolve(environ={}, **arguments))
    try:
        repr(APIConfig(**arguments))
    except LayeredConfigError:
        pass
    except TypeError:
        # Iterables are used up by the first call; APIConfig then sees the empty remains.
        assert any(not isinstance(v, list | tuple | str | dict) for v in arguments.values())
        raise
    record(f"fuzz: wrong types as arguments ({outcome})", examples=1)


# 4. Random argv through main() -------------------------------------------------------

_COMMANDS = ["show", "get", "explain", "set", "unset", "profiles", "path", "edit", "doctor"]
_FLAGS = [
    "--json",
    "--show-secrets",
    "--format",
    "env",
    "table",
    "--plaintext",
    "--strict",
    "--profile",
    "--config-file",
    "-h",
    "--version",
    "--",
    "-",
]
_WORDS = [
    *FIELDS,
    "p",
    "q",
    "https://x.example.com",
    "https://u:p@h",
    "1",
    "-1",
    "true",
    "a,b",
    "k=v",
    "",
    " ",
    "nan",
    "1e999",
    "session",
    "api",
]
# Random words never start with '-': argparse would expand '--c...' to --config-file.
_RANDOM_WORD = st.text(_ANY_CHAR, max_size=10).filter(lambda w: not w.startswith("-"))
ARGV_TOKENS = st.one_of(
    st.sampled_from(_COMMANDS), st.sampled_from(_FLAGS), st.sampled_from(_WORDS), _RANDOM_WORD
)
# Options each command accepts, so that most argv get past argparse into the command.
_OPTIONS = {
    "show": [["--json"], ["--show-secrets"], ["--format", "env"], ["--format", "table"]],
    "get": [["--json"], ["--show-secrets"]],
    "explain": [["--json"], ["--show-secrets"]],
    "set": [["--plaintext"]],
    "unset": [],
    "profiles": [["--json"]],
    "path": [["--json"]],
    "edit": [],
    "doctor": [["--json"], ["--strict"]],
}
_COMMON = [["--profile", "p"], ["--profile", "q"], ["--config-file", "PATH"]]
_KEY_ARG = st.sampled_from(list(FIELDS)) | st.sampled_from(_WORDS) | _RANDOM_WORD
_VALUE_ARG = st.sampled_from(_WORDS) | _RANDOM_WORD


@st.composite
def _plausible_argv(draw: st.DrawFn) -> list[str]:
    """A command with the arguments and options it takes, some of them hostile."""
    command = draw(st.sampled_from(_COMMANDS))
    argv = [command]
    if command in {"get", "explain", "set", "unset"}:
        argv.append(draw(_KEY_ARG))
    if command == "set" and draw(st.booleans()):
        argv.append(draw(_VALUE_ARG))
    choices = _OPTIONS[command] + _COMMON + [["--profile", draw(_RANDOM_WORD)]]
    for option in draw(st.lists(st.sampled_from(choices), max_size=3)):
        argv += option
    return argv


ARGVS = st.one_of(
    _plausible_argv(),
    _plausible_argv(),
    _plausible_argv(),
    st.tuples(st.sampled_from(_COMMANDS), st.lists(ARGV_TOKENS, max_size=6)).map(
        lambda t: [t[0], *t[1]]
    ),
    st.lists(ARGV_TOKENS, max_size=6),
)


@pytest.fixture
def arena(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """The user file and the only paths random ``--config-file`` values may name."""
    folder = tmp_path / "arena"
    folder.mkdir()
    good = folder / "config.toml"
    good.write_text(
        'endpoint = "https://x.example.com"\naccess_key = "AK"\n[profiles.p]\ngroup = "g"\n'
    )
    (folder / "bad.toml").write_text("endpoint = [1\n")
    (folder / "dir.toml").mkdir()
    (folder / "dangling.toml").symlink_to(folder / "nowhere" / "c.toml")
    targets = [
        str(good),
        str(folder / "bad.toml"),
        str(folder / "dir.toml"),
        str(folder / "dangling.toml"),
        str(folder / "new" / "c.toml"),
    ]
    yield folder, targets


def safe_argv(argv: list[str], targets: list[str], pick: int) -> list[str]:
    """Point every ``--config-file`` at one of ``targets``."""
    argv = list(argv)
    for i, token in enumerate(argv[:-1]):
        if token == "--config-file":
            argv[i + 1] = targets[(pick + i) % len(targets)]
    return argv


@pytest.mark.slow
@FUZZ
@given(argv=ARGVS, pick=st.integers(0, 100), stdin=st.text(_ANY_CHAR, max_size=30))
def test_random_argv(
    argv: list[str],
    pick: int,
    stdin: str,
    arena: tuple[Path, list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random argv: exit 0, 1 (one line) or 2; a failed command changes no byte on disk."""
    folder, targets = arena
    monkeypatch.setenv("BACKEND_CONFIG_FILE", targets[0])
    argv = safe_argv(argv, targets, pick)
    before = snapshot_tree(folder)
    result = run_cli(argv, stdin=stdin)
    check_cli(result, argv)
    if result.code != 0:
        assert snapshot_tree(folder) == before, (argv, result)
    record(f"fuzz: argv (exit {result.code})", examples=1)


# 5. Extremes -------------------------------------------------------------------------

MB = "x" * (1 << 20)
MANY = 100_000


def cli_on(config: Path, *argv: str, stdin: str = "") -> Result:
    return run_cli([*argv[:1], "--config-file", str(config), *argv[1:]], stdin=stdin)


def assert_set_changes_nothing(config: Path, *argv: str, stdin: str = "") -> Result:
    """A set that fails: exit 1, one line, and every byte and mode under the folder unchanged."""
    before = snapshot_tree(config.parent)
    result = cli_on(config, "set", *argv, stdin=stdin)
    assert_one_line_error(result)
    assert snapshot_tree(config.parent) == before
    return result


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "content", "outcome"),
    [
        ("1 MB string", f'domain = "{MB}"\n', "incomplete"),
        ("1 MB key", f"{MB} = 1\n", "incomplete"),
        ("1 MB comment", f"#{MB}\n", "incomplete"),
        ("1 MB bad URL", f'endpoint = "{MB}"\n', "error"),
        ("1 MB secret", f'access_key = "a"\nsecret_key = "{MB}"\n', "valid"),
        ("100k mounts", "vfolder_mounts = [" + '"m",' * MANY + "]\n", "incomplete"),
        (
            "100k endpoints",
            "endpoint = [" + '"https://x.example.com",' * MANY + "]\n",
            "incomplete",
        ),
        ("100k ints", "vfolder_mounts = [" + "1," * MANY + "]\n", "error"),
        (
            "100k map entries",
            "storage_proxy_address_map = {" + ",".join(f"k{i} = 'v'" for i in range(MANY)) + "}\n",
            "incomplete",
        ),
        ("10k profiles", "".join(f"[profiles.p{i}]\n" for i in range(10_000)), "incomplete"),
        ("400-digit timeout", "connection_timeout = 1" + "0" * 400 + "\n", "error"),
        ("1000-deep array", "vfolder_mounts = " + "[" * 1000 + "]" * 1000 + "\n", "error"),
        ("300-deep unknown key", "x = " + "[" * 300 + "]" * 300 + "\n", "incomplete"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "",
)
def test_extreme_files(name: str, content: str, outcome: str, tmp_path: Path) -> None:
    """Huge and deep files: the expected result, a one-line CLI error, and a safe set."""
    config = tmp_path / "config.toml"
    config.write_text(content)
    assert load_file(config, content.encode()) == outcome
    result = cli_on(config, "show", "--json")
    if outcome == "error":
        assert_one_line_error(result)
        assert len(result.err) < 1000  # the value is cut short in the message
        assert_set_changes_nothing(config, "domain", "d")
    else:
        assert result.code == 0, result
        done = cli_on(config, "set", "group", "g")
        assert done.code in {0, 1} and TRACEBACK not in done.err, done
        if done.code:
            assert_one_line_error(done)
            assert config.read_text() == content
    record("extremes", cases=1)


@pytest.mark.parametrize(
    ("env", "outcome"),
    [
        ({"BACKEND_DOMAIN": MB}, "incomplete"),
        ({"BACKEND_ENDPOINT": MB}, "error"),
        ({"BACKEND_ENDPOINT": "https://x.example.com," * 10_000}, "error"),
        ({"BACKEND_VFOLDER_MOUNTS": "m," * MANY}, "incomplete"),
        ({"BACKEND_OVERRIDE_STORAGE_PROXY": "k=v," * MANY}, "incomplete"),
        ({"BACKEND_ACCESS_KEY": "a", "BACKEND_SECRET_KEY": MB}, "valid"),
        ({"BACKEND_PROFILE": MB}, "error"),
        ({"BACKEND_ACCESS_KEY": "a", "BACKEND_KEYRING_TIMEOUT": "1e10"}, "incomplete"),
        ({"BACKEND_ACCESS_KEY": "a", "BACKEND_KEYRING_TIMEOUT": "1e308"}, "incomplete"),
    ],
    ids=[
        "1 MB domain",
        "1 MB endpoint",
        "10k endpoints, one empty",
        "100k mounts",
        "100k map pairs",
        "1 MB secret",
        "1 MB profile",
        "keyring timeout 1e10 s",
        "keyring timeout 1e308 s",
    ],
)
def test_extreme_environment(
    env: dict[str, str], outcome: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Huge env values: the expected result in the library, and at most one line from the CLI."""
    assert exercise(lambda: resolve(environ=env)) == outcome
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run_cli(["show"])
    if outcome == "error":
        assert_one_line_error(result)
        if "BACKEND_PROFILE" not in env:  # a value is cut short; a profile name is quoted whole
            assert len(result.err) < 1000
    else:
        assert result.code == 0
    record("extremes", cases=1)


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("NUL in a string", b'domain = "a\x00b"\n', ":1:"),
        ("NUL in a comment", b"# a\x00b\n", ":1:"),
        ("NUL after a value", b'domain = "d"\n\x00\n', ":2:"),
        ("invalid UTF-8", b'domain = "caf\xe9"\n', ":1:14: not valid UTF-8"),
        ("invalid UTF-8, line 3", b"a = 1\nb = 2\n# \xff\xfe\n", ":3:3: not valid UTF-8"),
        ("lone surrogate bytes", b'domain = "\xed\xa0\x80"\n', ":1:11: not valid UTF-8"),
        ("UTF-16 file", '# ü\ndomain = "d"\n'.encode("utf-16"), ":1:1: not valid UTF-8"),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith(":") else "",
)
def test_nul_bytes_and_invalid_utf8(name: str, content: bytes, where: str, tmp_path: Path) -> None:
    """NUL bytes and bad encodings: an error at path:line, one CLI line, a refused set."""
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    assert load_file(config, content) == "error"
    try:
        resolve(config_file=config, environ={})
    except LayeredConfigError as exc:
        assert str(exc).startswith(f"{config}{where}"), str(exc)
    assert_one_line_error(cli_on(config, "show"))
    assert_set_changes_nothing(config, "domain", "d")
    assert config.read_bytes() == content
    record("extremes", cases=1)


@pytest.mark.parametrize(
    ("name", "outcome"),
    [("a\x00b.toml", "error"), ("\udcff.toml", "incomplete"), ("new\nline.toml", "incomplete")],
    ids=["NUL", "undecodable byte", "newline"],
)
def test_odd_config_file_names(tmp_path: Path, name: str, outcome: str) -> None:
    """A config_file= no file can have (NUL) is an error; other odd names are just absent."""
    assert exercise(lambda: resolve(config_file=str(tmp_path / name), environ={})) == outcome
    record("extremes", cases=1)


def test_file_that_is_a_directory(tmp_path: Path) -> None:
    """A folder where the file should be: one error line from every command; set refused."""
    config = tmp_path / "config.toml"
    config.mkdir()
    (config / "inside").write_text("x")
    assert load_file(tmp_path / "other.toml", b"") == "incomplete"
    reset()
    assert exercise(lambda: resolve(config_file=config, environ={})) == "error"
    for argv in (["show"], ["get", "domain"], ["explain", "domain"]):
        assert_one_line_error(cli_on(config, *argv))
    assert_set_changes_nothing(config, "domain", "d")
    assert_one_line_error(cli_on(config, "unset", "domain"))
    record("extremes", cases=1)


def test_dangling_symlink(tmp_path: Path) -> None:
    """A dangling link is an absent file (reason 'dangling symlink'); set writes through it."""
    config = tmp_path / "config.toml"
    config.symlink_to(tmp_path / "missing" / "real.toml")
    reset()
    resolution = resolve(config_file=config, environ={})
    reasons = [e.reason for e in resolution.explain("domain") if e.location == str(config)]
    assert reasons == ["dangling symlink"]
    assert run_cli(["show", "--config-file", str(config)]).code == 0
    assert cli_on(config, "set", "domain", "d").code == 0
    assert config.is_symlink()
    assert (tmp_path / "missing" / "real.toml").read_text() == 'domain = "d"\n'
    record("extremes", cases=1)


@pytest.mark.parametrize("case", ["path", "profile", "set"])
def test_control_characters_in_names_stay_on_one_line(tmp_path: Path, case: str) -> None:
    """A newline in a path or a profile name (not a value) still gives one error line."""
    folder = tmp_path / "new\nline\x1b[31m"
    folder.mkdir()
    config = folder / "config.toml"
    if case == "path":
        config.write_text("endpoint = [1\n")
        result = run_cli(["show", "--config-file", str(config)])
    elif case == "profile":
        config.write_text('[profiles."a\\nb"]\n[profiles."\\u001b[2J"]\n')
        result = run_cli(["show", "--config-file", str(config), "--profile", "zzz"])
    else:
        config.write_text("x = 1\n")
        os.chmod(folder, 0o500)
        try:
            result = run_cli(["set", "--config-file", str(config), "domain", "d"])
        finally:
            os.chmod(folder, 0o700)
        if os.geteuid() == 0:
            assert result.code == 0  # root writes anyway; the other two cases still apply
            return
    assert_one_line_error(result)
    assert "\x1b" not in result.err
    record("extremes", cases=1)


@pytest.mark.parametrize("value", ["\udcff", "caf\udce9"])
@pytest.mark.parametrize("where", ["value", "profile"])
def test_undecodable_argv_is_refused(tmp_path: Path, value: str, where: str) -> None:
    """An argv holding undecodable bytes cannot be written as UTF-8: refused, nothing changed."""
    config = tmp_path / "config.toml"
    config.write_text('domain = "old"\n')
    argv = ["domain", value] if where == "value" else ["--profile", value, "domain", "d"]
    assert_set_changes_nothing(config, *argv)
    record("extremes", cases=1)


# 6. An unreadable file, as an unprivileged user --------------------------------------

UNREADABLE_CHILD = textwrap.dedent(
    """
    import io, json, os, sys, contextlib
    sys.path[:0] = json.loads(sys.argv[1])
    work = sys.argv[2]
    import layered_config._resolver as resolver, layered_config._cli._context as context
    resolver.system_file = context.system_file = lambda: os.path.join(work, "system.toml")
    from layered_config import LayeredConfigError, resolve
    from layered_config._cli import main

    def cli(*argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        return {"code": code, "out": out.getvalue(), "err": err.getvalue()}

    report = {"uid": os.getuid()}
    for case in ("file", "folder"):
        folder = os.path.join(work, case)
        os.mkdir(folder, 0o700)
        config = os.path.join(folder, "config.toml")
        with open(config, "w") as handle:
            handle.write('domain = "old"\\n')
        os.chmod(config if case == "file" else folder, 0)
        try:
            resolve(config_file=config, environ={})
            error = None
        except LayeredConfigError as exc:
            error = [type(exc).__name__, str(exc)]
        report[case] = {
            "resolve": error,
            "show": cli("show", "--config-file", config),
            "set": cli("set", "--config-file", config, "domain", "new"),
        }
        os.chmod(config if case == "file" else folder, 0o700 if case == "folder" else 0o600)
        with open(config) as handle:
            report[case]["after"] = handle.read()
    # The top-level folders (or files) of every third-party module used, for the copy.
    roots = set()
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if not origin or name.partition(".")[0] in sys.stdlib_module_names:
            continue
        path = os.path.dirname(origin) if origin.endswith("__init__.py") else origin
        for _ in range(name.count(".")):
            path = os.path.dirname(path)
        roots.add(path)
    report["modules"] = sorted(roots)
    print(json.dumps(report))
    """
)

NOBODY = 65534


def _runner() -> list[str] | None:
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return None


def _nobody_can_run(runner: list[str], python: str) -> bool:
    try:
        done = subprocess.run(
            [*runner, python, "-S", "-E", "-c", "import sys; assert sys.version_info >= (3, 11)"],
            capture_output=True,
            timeout=60,
            check=False,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
    except OSError:
        return False
    return done.returncode == 0


def _pythons() -> list[str]:
    names = [sys.executable, getattr(sys, "_base_executable", "")]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    names += [shutil.which(version) or "", shutil.which("python3") or ""]
    return [n for n in dict.fromkeys(names) if n]


def _child(
    runner: list[str], python: str, script: Path, path: list[str], work: Path
) -> dict[str, Any]:
    # Pure-Python fallbacks: the copied C extensions may not match another interpreter.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "YARL_NO_EXTENSIONS": "1",
        "MULTIDICT_NO_EXTENSIONS": "1",
        "PROPCACHE_NO_EXTENSIONS": "1",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [*runner, python, "-S", "-E", "-B", str(script), json.dumps(path), str(work)],
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def run_unreadable_case(folder: Path, runner: list[str] | None) -> dict[str, Any]:
    """Run the child as ``runner``'s user, with copies of what it imports; else as we are.

    A first run as the current user, on this interpreter's path, lists the modules
    the child needs; only those are copied where user nobody can read them.
    """
    lib, work = folder / "lib", folder / "work"
    lib.mkdir()
    script = folder / "unreadable_child.py"
    script.write_text(UNREADABLE_CHILD)
    work.mkdir()
    first = _child([], sys.executable, script, sys.path, work)
    if runner is None:
        return first
    for root in first["modules"]:
        source = Path(root)
        target = lib / source.name
        if source.is_dir():
            shutil.copytree(
                source, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
            )
        else:
            shutil.copy2(source, target)
    shutil.rmtree(work)
    work.mkdir()
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            os.chmod(path, 0o755)  # noqa: S103  # user nobody reads the copy
        elif path.is_file():
            os.chmod(path, 0o644)
    os.chown(work, NOBODY, NOBODY)
    usable = [p for p in _pythons() if _nobody_can_run(runner, p)]
    if not usable:
        pytest.skip("no Python 3.11+ interpreter that user nobody can run")
    return _child(runner, usable[0], script, [str(lib)], work)


@pytest.mark.slow
def test_unreadable_file_and_folder() -> None:
    """Mode 000 on the file or its folder: an error, one CLI line each, and no change.

    As root every file is readable, so the case then runs as user nobody.
    """
    runner = None
    if os.geteuid() == 0:
        runner = _runner()
        if runner is None:
            pytest.skip("running as root, and neither setpriv nor runuser is installed")
    folder = Path(tempfile.mkdtemp(prefix="layered-config-unreadable-"))
    try:
        report = run_unreadable_case(folder, runner)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert report["uid"] != 0
    for case in ("file", "folder"):
        got = report[case]
        kind, message = got["resolve"]
        assert kind == "ConfigFileError" and "Permission denied" in message, got
        for command in ("show", "set"):
            result = Result(got[command]["code"], got[command]["out"], got[command]["err"])
            assert_one_line_error(result)
            assert "Permission denied" in result.err
        assert got["after"] == 'domain = "old"\n'
    record("extremes", cases=2, unreadable_as_uid=report["uid"])
