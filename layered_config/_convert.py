"""Converters between env text, TOML values, arguments and field values.

Each converter turns input from one kind of layer into the field's value, and
raises ``ValueError`` with a short problem statement (never the value: the
caller adds a masked copy together with the field name and the origin).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yarl import URL

__all__ = [
    "BOOL",
    "CHOICE_ENDPOINT_TYPE",
    "ENDPOINTS",
    "HASH",
    "MAP",
    "SECONDS",
    "TEXT",
    "TOKENS",
    "Converter",
    "bool_env",
]

_TRUE = frozenset({"y", "yes", "t", "true", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "0"})


def bool_env(v: str) -> bool:
    """Parse a boolean the way upstream does: y/yes/t/true/1 or n/no/f/false/0.

    Raises:
        ValueError: for anything else, including surrounding spaces.

    """
    lowered = v.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("Unrecognized value of boolean environment variable", v)


def _type_name(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string"}
    for kind, name in names.items():
        if type(value) is kind:
            return name
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a {type(value).__name__}"


def _expect(value: object, kind: type | tuple[type, ...], wanted: str) -> None:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ValueError(f"expected {wanted}, got {_type_name(value)}")


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


class Converter:
    """Parse and print one kind of field value; subclasses override the parts that differ."""

    toml_type = "string"
    """The TOML type a file must use, as the reference docs print it."""

    def from_env(self, text: str) -> Any:
        """Convert an environment variable's text."""
        return text

    def from_toml(self, value: Any) -> Any:
        """Check and convert a value parsed from a TOML file."""
        _expect(value, str, "a string")
        return value

    def from_arg(self, value: Any) -> Any:
        """Check and convert a keyword argument."""
        return self.from_toml(value)

    def to_text(self, value: Any) -> str:
        """Spell the value as an environment variable would."""
        return str(value)

    def to_json(self, value: Any) -> Any:
        """Return a JSON-ready form of the value."""
        return value

    def to_toml(self, value: Any) -> Any:
        """Return the native TOML value that ``set`` writes."""
        return self.to_json(value)


class _Text(Converter):
    pass


class _Hash(Converter):
    def from_env(self, text: str) -> str:
        return self.from_toml(text)

    def from_toml(self, value: Any) -> str:
        _expect(value, str, "a string")
        name = str(value).lower()
        if name != "sha256":  # the default needs no check, and hashlib is slow to import
            import hashlib  # noqa: PLC0415

            if name not in hashlib.algorithms_available:
                raise ValueError("not a hashlib algorithm (for example sha256 or sha512)")
        return name


class _Choice(Converter):
    def __init__(self, *choices: str) -> None:
        self.choices = choices

    def from_env(self, text: str) -> str:
        return self.from_toml(text)

    def from_toml(self, value: Any) -> str:
        _expect(value, str, "a string")
        if value not in self.choices:
            raise ValueError(f"must be one of: {', '.join(self.choices)}")
        return str(value)


class _Bool(Converter):
    toml_type = "boolean"

    def from_env(self, text: str) -> bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("not a boolean (use true/false, yes/no, 1/0)")

    def from_toml(self, value: Any) -> bool:
        _expect(value, bool, "a boolean")
        return bool(value)

    def from_arg(self, value: Any) -> bool:
        return self.from_env(value) if isinstance(value, str) else self.from_toml(value)

    def to_text(self, value: Any) -> str:
        return "true" if value else "false"


class _Seconds(Converter):
    toml_type = "float"

    def from_env(self, text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise ValueError("not a number of seconds") from None
        return self._check(number)

    def from_toml(self, value: Any) -> float:
        _expect(value, (int, float), "a number")
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = math.inf
        return self._check(number)

    @staticmethod
    def _check(number: float) -> float:
        if not math.isfinite(number) or number < 0:
            raise ValueError("must be a finite number of seconds, 0 or more")
        return number

    def to_text(self, value: Any) -> str:
        return repr(float(value))


class _Tokens(Converter):
    toml_type = "array of strings"

    def from_env(self, text: str) -> tuple[str, ...]:
        return tuple(token for token in (part.strip() for part in text.split(",")) if token)

    def from_toml(self, value: Any) -> tuple[str, ...]:
        _expect(value, list, "an array of strings")
        return self._clean(value)

    def from_arg(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return self.from_env(value)
        if not isinstance(value, Iterable) or isinstance(value, Mapping | bytes):
            raise ValueError(f"expected strings, got {_type_name(value)}")
        return self._clean(list(value))

    @staticmethod
    def _clean(items: list[Any]) -> tuple[str, ...]:
        for item in items:
            _expect(item, str, "strings in the array")
        return tuple(token for token in (item.strip() for item in items) if token)

    def to_text(self, value: Any) -> str:
        return ",".join(value)

    def to_json(self, value: Any) -> list[str]:
        return list(value)


class _Map(Converter):
    toml_type = "table of strings"

    def from_env(self, text: str) -> Mapping[str, str]:
        result: dict[str, str] = {}
        for pair in filter(None, (part.strip() for part in text.split(","))):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ValueError("expected key=value pairs separated by commas")
            result[key.strip()] = value.strip()
        return MappingProxyType(result)

    def from_toml(self, value: Any) -> Mapping[str, str]:
        _expect(value, Mapping, "a table of strings")
        for key, item in value.items():
            _expect(key, str, "string keys")
            _expect(item, str, f"a string for {key!r}")
            if not key or not item:
                raise ValueError("keys and values must not be empty")
        # Read-only, because parsed files and defaults are shared between resolutions.
        return MappingProxyType(dict(value))

    def to_text(self, value: Any) -> str:
        return ",".join(f"{key}={item}" for key, item in value.items())

    def to_json(self, value: Any) -> dict[str, str]:
        return dict(value)


class _Endpoints(Converter):
    toml_type = "string or array of strings"

    def from_env(self, text: str) -> tuple[URL, ...]:
        parts = [part.strip() for part in text.split(",")] if "," in text else [text]
        return tuple(self._url(part) for part in parts)

    def from_toml(self, value: Any) -> tuple[URL, ...]:
        if isinstance(value, str):
            return self.from_env(value)
        _expect(value, list, "a string or an array of strings")
        if not value:
            raise ValueError("expected at least one URL")
        for item in value:
            _expect(item, str, "strings in the array")
        return tuple(self._url(item) for item in value)

    def from_arg(self, value: Any) -> tuple[URL, ...]:
        from yarl import URL  # noqa: PLC0415

        if isinstance(value, URL | str):
            return (self._url(value),) if isinstance(value, URL) else self.from_env(value)
        if not isinstance(value, Iterable) or isinstance(value, Mapping | bytes):
            raise ValueError(f"expected a URL or URLs, got {_type_name(value)}")
        items = list(value)
        if not items:
            raise ValueError("expected at least one URL")
        for item in items:
            if not isinstance(item, str | URL):
                raise ValueError(f"expected URLs, got {_type_name(item)}")
        return tuple(self._url(item) for item in items)

    @staticmethod
    def _url(value: str | URL) -> URL:
        from yarl import URL  # noqa: PLC0415

        try:
            url = value if isinstance(value, URL) else URL(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"not a valid URL ({exc.__class__.__name__})") from None
        if not url.is_absolute():
            raise ValueError("URL must be absolute")
        return url

    def to_text(self, value: Any) -> str:
        return ",".join(str(url) for url in value)

    def to_json(self, value: Any) -> str | list[str]:
        urls = [str(url) for url in value]
        return urls[0] if len(urls) == 1 else urls


TEXT = _Text()
HASH = _Hash()
BOOL = _Bool()
SECONDS = _Seconds()
TOKENS = _Tokens()
MAP = _Map()
ENDPOINTS = _Endpoints()
CHOICE_ENDPOINT_TYPE = _Choice("api", "session")
