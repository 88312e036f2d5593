"""Printing for the command line: masking, colour, tables and JSON."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from .._fields import FIELDS
from .._masking import mask_secret, one_line, redact_urls
from .._origin import MISSING

__all__ = ["Output", "display", "env_spelling", "json_value"]

_COLOURS = {
    "winner": "32",
    "shadowed": "2",
    "absent": "2",
    "skipped": "33",
    "bold": "1",
    "warn": "33",
}


def json_value(name: str, value: Any, *, show_secrets: bool) -> Any:
    """Return a field value for JSON output, masked unless secrets are shown."""
    if value is MISSING or value is None:
        return None
    # A str is either a text field's value or the raw text of an invalid, shadowed
    # env var (explain shows it as given); converting the latter would garble it.
    native = value if isinstance(value, str) else FIELDS[name].converter.to_json(value)
    if show_secrets:
        return native
    if FIELDS[name].secret:
        return mask_secret(str(native))
    return _redact(native)


def _redact(native: Any) -> Any:
    if isinstance(native, str):
        return redact_urls(native)
    if isinstance(native, list):
        return [_redact(item) for item in native]
    if isinstance(native, dict):
        return {key: _redact(item) for key, item in native.items()}
    return native


def _redact_items(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: redact_urls(str(item)) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [redact_urls(str(item)) for item in value]
    return value


def _text(name: str, value: Any) -> str:
    # As in json_value, a str is already spelled as env text.
    return value if isinstance(value, str) else FIELDS[name].converter.to_text(value)


def env_spelling(name: str, value: Any, *, show_secrets: bool) -> str:
    """Return a field value exactly as an env var would hold it, masked unless shown."""
    if show_secrets:
        return _text(name, value)
    if FIELDS[name].secret:
        return mask_secret(_text(name, value))
    if isinstance(value, str):
        return redact_urls(value)
    # Each URL on its own: a password may hold the separators of the list.
    return FIELDS[name].converter.to_text(_redact_items(value))


def display(name: str, value: Any, *, show_secrets: bool) -> str:
    """Return a field value as one line of text, in env spelling, masked unless shown."""
    if value is MISSING or value is None:
        return ""
    if _text(name, value) == "":
        return "(empty)"
    return env_spelling(name, value, show_secrets=show_secrets)


class Output:
    """Writes to stdout and stderr; colours only on a terminal and without ``NO_COLOR``."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        tty = getattr(self.stdout, "isatty", lambda: False)()
        self.colour = bool(tty) and not os.environ.get("NO_COLOR")

    def paint(self, text: str, style: str) -> str:
        """Wrap text in an ANSI colour when colour is on."""
        code = _COLOURS.get(style)
        return f"\033[{code}m{text}\033[0m" if self.colour and code else text

    def line(self, text: str = "") -> None:
        """Print one line to stdout."""
        _print(text, self.stdout)

    def json(self, data: Any) -> None:
        """Print data as indented JSON."""
        print(json.dumps(data, indent=2, sort_keys=False), file=self.stdout)

    def warn(self, text: str) -> None:
        """Print a warning line to stderr."""
        _print(f"layered-config: warning: {one_line(text)}", self.stderr)

    def error(self, text: str) -> None:
        """Print an error line to stderr."""
        _print(f"layered-config: error: {one_line(text)}", self.stderr)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], styles: Sequence[str] = ()
    ) -> None:
        """Print aligned columns; ``styles`` colours each row's first cell."""
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        self.line(self.paint(_join(header, widths).rstrip(), "bold"))
        for index, row in enumerate(rows):
            first = row[0].ljust(widths[0])
            if index < len(styles):
                first = self.paint(first, styles[index])
            self.line(_join([first, *row[1:]], [len(first), *widths[1:]]).rstrip())


def _print(text: str, stream: TextIO) -> None:
    try:
        print(text, file=stream)
    except UnicodeEncodeError:
        # Undecodable bytes in env or argv arrive as lone surrogates, which a strict
        # stream (a UTF-8 locale other than C) cannot encode: print them escaped.
        encoding = getattr(stream, "encoding", None) or "utf-8"
        print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream)


def _join(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
