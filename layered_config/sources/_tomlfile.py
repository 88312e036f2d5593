"""Read, parse, check and cache one TOML configuration file."""

from __future__ import annotations

import os
import re
import stat
import warnings
from typing import Any

from .._errors import ConfigFileError, PermissionWarning, UnknownKeyWarning
from .._fields import FIELDS, suggest
from ._base import bad_value

__all__ = ["ParsedFile", "check_text", "load"]

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class ParsedFile:
    """A checked file: converted base values, profiles, and lazy line numbers."""

    __slots__ = ("_lines", "base", "key", "path", "profiles", "readings", "text")

    def __init__(self, path: str, key: tuple[int, ...], text: str) -> None:
        self.path = path
        self.key = key
        self.text = text
        self.base: dict[str, Any] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.readings: dict[str | None, Any] = {}
        self._lines: dict[tuple[str, ...], int] | None = None

    def where(self, *path: str) -> str:
        """Return ``path:line`` for a key path, the line found now."""
        from ._toml_lines import key_lines, line_of  # noqa: PLC0415  # only when read

        if self._lines is None:
            self._lines = key_lines(self.text)
        line = line_of(self._lines, path)
        return f"{self.path}:{line}" if line else self.path


_cache: dict[str, ParsedFile] = {}


def load(path: str, *, system: bool) -> ParsedFile | str:
    """Return the parsed file, or the reason it is absent.

    One ``stat`` per call; the parse is cached by (mtime_ns, size, inode).

    Raises:
        ConfigFileError: unreadable, a folder, not UTF-8 or not TOML.
        ConfigValueError: a value of the wrong type, with path:line.

    """
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "file not found"  # the reason is refined only when explained
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError:  # a NUL byte or a lone surrogate: no file can have this name
        raise ConfigFileError(f"{path!r}: not a usable file name") from None
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    cached = _cache.get(path)
    if cached is not None and cached.key == key:
        return cached
    if stat.S_ISDIR(st.st_mode):
        raise ConfigFileError(f"{path}: is a directory, not a file")
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
        # Reading a pipe with no writer would block forever.
        raise ConfigFileError(f"{path}: is a pipe or socket, not a file")
    parsed = _parse(path, key, _read(path))
    _check_permissions(parsed, st, system=system)
    _cache[path] = parsed
    return parsed


def check_text(path: str, text: str) -> ParsedFile:
    """Check text as if it were the file at ``path``; used before a write.

    Raises:
        ConfigFileError: a syntax or structure error, with path:line:column.
        ConfigValueError: a value of the wrong type, with path:line.

    """
    return _parse(path, (0, 0, 0), text)


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigFileError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise ConfigFileError(f"{path}:{line}:{column}: not valid UTF-8") from None


def _parse(path: str, key: tuple[int, ...], text: str) -> ParsedFile:
    import tomllib  # noqa: PLC0415

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(_syntax_message(path, text, str(exc))) from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigFileError(f"{path}: arrays or tables are nested too deeply") from None
    parsed = ParsedFile(path, key, text)
    parsed.base = _fields(parsed, data, ())
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigFileError(f"{parsed.where('profiles')}: profiles: expected tables of profiles")
    for name, table in profiles.items():
        if not isinstance(table, dict):
            where = parsed.where("profiles", name)
            raise ConfigFileError(f"{where}: profiles.{name}: expected a table")
        parsed.profiles[name] = _fields(parsed, table, ("profiles", name))
    return parsed


def _syntax_message(path: str, text: str, message: str) -> str:
    match = _POSITION.search(message)
    if match:
        line, column = match.groups()
        message = message[: match.start()]
    else:  # "(at end of document)"
        message = message.replace(" (at end of document)", "")
        line, column = str(text.count("\n") + 1), str(len(text) - text.rfind("\n"))
    return f"{path}:{line}:{column}: TOML syntax error: {message}"


def _fields(parsed: ParsedFile, table: dict[str, Any], prefix: tuple[str, ...]) -> dict[str, Any]:
    values = {}
    for name, raw in table.items():
        if name == "profiles" and not prefix:
            continue
        field = FIELDS.get(name)
        if field is None:
            _warn_unknown(parsed, (*prefix, name))
            continue
        try:
            values[name] = field.converter.from_toml(raw)
        except ValueError as exc:
            raise bad_value(name, parsed.where(*prefix, name), str(exc.args[0]), raw) from None
    return values


def _warn_unknown(parsed: ParsedFile, path: tuple[str, ...]) -> None:
    hint = suggest(path[-1])
    advice = f"; did you mean {hint!r}?" if hint else ""
    message = f"{parsed.where(*path)}: unknown key {'.'.join(path)!r}{advice}"
    warnings.warn(message, UnknownKeyWarning, stacklevel=2)


def _check_permissions(parsed: ParsedFile, st: os.stat_result, *, system: bool) -> None:
    if os.name == "nt":
        return
    from .._perms import unsafe_reasons  # noqa: PLC0415

    holds_secret = "secret_key" in parsed.base or any(
        "secret_key" in table for table in parsed.profiles.values()
    )
    for reason in unsafe_reasons(parsed.path, st, holds_secret=holds_secret, system=system):
        warnings.warn(reason, PermissionWarning, stacklevel=2)
