"""Hypothesis strategies for layered-config's tests, kept in one module as attrs does.

Field values are generated in a plain form (URLs as strings, lists, dicts, bools,
floats) and spelled for each layer by ``env_text``, ``toml_text`` and
``argument_value``; ``expected`` gives the converted value a layer must offer, and
``check_converted`` checks that any offered value has its field's type.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import tomlkit
from hypothesis import strategies as st
from yarl import URL

from layered_config import FIELDS
from layered_config._fields import env_names

__all__ = [
    "ENV_NAMES",
    "LAYER_KINDS",
    "argument_value",
    "arguments_of_any_type",
    "check_converted",
    "documents_with_lines",
    "env_text",
    "environments",
    "expected",
    "field_values",
    "layer_stacks",
    "toml_documents",
    "toml_text",
    "toml_texts",
    "toml_values",
]

ENV_NAMES = sorted(
    {name for field in FIELDS.values() for name in env_names(field)}
    | {"BACKEND_PROFILE", "BACKEND_KEYRING_TIMEOUT", "BACKEND_CONFIG_FILE"}
)
"""Every environment variable layered-config reads."""

LAYER_KINDS = ("file", "env", "argument")
"""The layers a random stack is built from; any number of each, in any order."""

_WORD = st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=10)
_HOST = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)

_urls = st.builds(
    "{}://{}.example:{}/{}".format,
    st.sampled_from(["http", "https"]),
    _HOST,
    st.integers(1, 65535),
    _HOST,
)

_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "endpoint": st.lists(_urls, min_size=1, max_size=3),
    "endpoint_type": st.just("api"),  # session mode replaces the keys; tested on its own
    "domain": _WORD,
    "group": _WORD,
    "storage_proxy_address_map": st.dictionaries(_WORD, _WORD, max_size=3),
    "version": _WORD,
    "user_agent": _WORD,
    "access_key": _WORD,
    "secret_key": _WORD,
    "hash_type": st.sampled_from(["sha256", "SHA512", "md5", "sha1"]),
    "vfolder_mounts": st.lists(_WORD, max_size=3),
    "skip_sslcert_validation": st.booleans(),
    "connection_timeout": st.integers(0, 4_000_000).map(lambda n: n / 4),
    "read_timeout": st.integers(0, 4_000_000).map(lambda n: n / 4),
}


def field_values(names: list[str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Valid plain values for a random subset of ``names`` (every field by default)."""
    chosen = names if names is not None else list(FIELDS)
    return st.fixed_dictionaries({}, optional={name: _VALUES[name] for name in chosen})


def expected(name: str, value: Any) -> Any:
    """Return the converted value a layer offers for a plain generated value."""
    converted: Any
    if name == "endpoint":
        converted = tuple(URL(url) for url in value)
    elif name == "vfolder_mounts":
        converted = tuple(value)
    elif name == "storage_proxy_address_map":
        converted = dict(value)
    elif name == "hash_type":
        converted = value.lower()
    elif name in ("connection_timeout", "read_timeout"):
        converted = float(value)
    else:
        converted = value
    return converted


def env_text(name: str, value: Any) -> str:
    """Spell a plain value as its environment variable would hold it."""
    text: str
    if name in ("endpoint", "vfolder_mounts"):
        text = ",".join(value)
    elif name == "storage_proxy_address_map":
        text = ",".join(f"{key}={item}" for key, item in value.items())
    elif name == "skip_sslcert_validation":
        text = "yes" if value else "no"
    elif name in ("connection_timeout", "read_timeout"):
        text = repr(float(value))
    else:
        text = value
    return text


def _toml_native(name: str, value: Any) -> Any:
    if name == "endpoint" and len(value) == 1:
        return value[0]
    return value


def toml_text(values: dict[str, Any], table: str | None = None) -> str:
    """Write plain values as a TOML document, under ``[table]`` when given."""
    document = {name: _toml_native(name, value) for name, value in values.items()}
    if table is not None:
        document = {"profiles": {table: document}}
    return tomlkit.dumps(document)


def argument_value(name: str, value: Any) -> Any:
    """Spell a plain value as a keyword argument to ``resolve()``."""
    return _toml_native(name, value)


@st.composite
def layer_stacks(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    """A random stack of layers, lowest first: each a kind and the plain values it sets."""
    stack = []
    for kind in draw(st.lists(st.sampled_from(LAYER_KINDS), min_size=1, max_size=5)):
        names = [n for n in FIELDS if kind != "env" or FIELDS[n].env is not None]
        stack.append((kind, draw(field_values(names))))
    return stack


_PLAUSIBLE_TEXT = st.sampled_from(
    ["", " ", "yes", "no", "true", "0", "1.5", "-1", "nan", "inf", "1e400", "session", "api",
     "https://h.example", "/relative", "http://a:1,http://b:2", "a=b,c=d", "a=", "=b", ",",
     "sha256", "bogus", "x,,y", "http://[::1", "http://u:pw@h:99999", "~", "."]
)  # fmt: skip


@st.composite
def environments(draw: st.DrawFn) -> dict[str, str]:
    """Random text, plausible or not, in any of layered-config's environment variables."""
    text = st.one_of(_PLAUSIBLE_TEXT, st.text(max_size=30))
    environ = draw(st.dictionaries(st.sampled_from(ENV_NAMES), text, max_size=8))
    path = environ.get("BACKEND_CONFIG_FILE")
    if path is not None and path.lstrip().startswith("/"):
        # Keep random paths inside the test's working directory: an absolute one
        # could name a device such as /dev/zero.
        environ["BACKEND_CONFIG_FILE"] = "./" + path.lstrip().lstrip("/")
    return environ


_toml_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.datetimes(),
    st.dates(),
    st.times(),
)


def toml_values() -> st.SearchStrategy[Any]:
    """Any value TOML can hold: scalars, arrays and tables, nested."""
    return st.recursive(
        _toml_scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


def arguments_of_any_type() -> st.SearchStrategy[Any]:
    """Any Python value a caller might pass as a keyword argument."""
    return st.one_of(
        toml_values(),
        st.binary(max_size=10),
        st.sets(st.text(max_size=5), max_size=3),
        st.tuples(st.integers(), st.text(max_size=5)),
        st.builds(object),
        st.builds(URL, st.sampled_from(["", "/x", "http://h", "//h/p", "http://u:pw@h"])),
        st.complex_numbers(),
    )


def toml_documents() -> st.SearchStrategy[str]:
    """Valid TOML documents that set random valid fields, some inside a profile."""
    return st.builds(
        lambda base, profile: toml_text(base) + "\n" + toml_text(profile, table="p"),
        field_values(),
        field_values(),
    )


@st.composite
def _truncated(draw: st.DrawFn) -> str:
    document = draw(toml_documents())
    return document[: draw(st.integers(0, len(document)))]


@st.composite
def _field_lines(draw: st.DrawFn) -> str:
    names = st.sampled_from([*FIELDS, "profiles", "profiles.p", "[profiles.p]", "[profiles]"])
    lines = draw(st.lists(st.tuples(names, st.text(max_size=15)), max_size=5))
    return "\n".join(f"{name} = {value}" for name, value in lines)


def toml_texts() -> st.SearchStrategy[str | bytes]:
    """Random file contents: text, bytes, truncated documents and random key lines."""
    return st.one_of(st.text(), st.binary(), _truncated(), _field_lines())


_CONVERTED_TYPES: dict[str, type | tuple[type, ...]] = {
    "endpoint": tuple,
    "storage_proxy_address_map": Mapping,
    "vfolder_mounts": tuple,
    "skip_sslcert_validation": bool,
    "connection_timeout": float,
    "read_timeout": float,
}


def check_converted(name: str, value: Any) -> None:
    """Assert that ``value`` has the type of a converted ``name``, items included."""
    assert isinstance(value, _CONVERTED_TYPES.get(name, str)), (name, value)
    if name == "endpoint":
        assert value
        assert all(isinstance(url, URL) and url.is_absolute() for url in value)
    if name == "vfolder_mounts":
        assert all(isinstance(token, str) and token == token.strip() and token for token in value)
    if name == "storage_proxy_address_map":
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


_FREE = st.text(
    st.characters(exclude_characters="\"'\\\n\r", exclude_categories=["Cs", "Cc"]), max_size=12
)
_TEXT_FIELDS = ["endpoint_type", "domain", "group", "version", "user_agent", "access_key"]
# Filler that a line scanner could mistake for keys; {k} makes each unknown key unique.
_FILLERS = st.one_of(
    st.just(""),
    _FREE.map(lambda text: "# " + text + ' domain = "x" [profiles.q]'),
    _FREE.map(lambda text: 'notes{k} = """\n' + text + '\ndomain = "in a string"\n"""'),
    _FREE.map(lambda text: "lit{k} = '''\n" + text + "\ngroup = 'no''''"),
    _FREE.map(lambda text: 'arr{k} = [\n  "' + text + "\", # ] [\n  '" + text + "',\n]"),
    _FREE.map(
        lambda text: 'tbl{k} = { a = 1, b = "' + text.replace("{", "").replace("}", "") + '" }'
    ),
    st.just('esc{k} = "a \\" domain = b"'),
)
_KEY_STYLES = ('{name} = "{value}"', '"{name}"="{value}"', "  {name}   =  '{value}'  # c")


@st.composite
def _table(draw: st.DrawFn, header: str | None, start: int) -> tuple[list[str], dict[str, int]]:
    lines = [header] if header else []
    found: dict[str, int] = {}
    for name in draw(st.lists(st.sampled_from(_TEXT_FIELDS), unique=True, max_size=4)):
        for filler in draw(st.lists(_FILLERS, max_size=2)):
            lines += filler.replace("{k}", str(len(lines))).split("\n")
        value = "api" if name == "endpoint_type" else draw(_WORD)
        lines.append(draw(st.sampled_from(_KEY_STYLES)).format(name=name, value=value))
        found[name] = start + len(lines) - 1
    return lines, found


@st.composite
def documents_with_lines(draw: st.DrawFn) -> tuple[str, dict[tuple[str | None, str], int]]:
    """A TOML document with keys among tricky filler; maps (profile, key) to its line."""
    base, base_lines = draw(_table(None, 1))
    profile, profile_lines = draw(_table("[profiles.p]", len(base) + 1))
    lines = {(None, name): line for name, line in base_lines.items()}
    lines |= {("p", name): line for name, line in profile_lines.items()}
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join([*base, *profile]) + eol, lines
