"""Find the line of each key in TOML text; used only when a location is read.

tomllib keeps no positions, so this scanner walks text that tomllib already
accepted and records the line where each key path is written.
"""

from __future__ import annotations

__all__ = ["key_lines", "line_of"]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """Return the line of ``path``, or of its nearest written ancestor (inline tables)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map every key path written in valid TOML text to its 1-based line."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    i, line, depth, line_start = 0, 1, 0, True
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            i, line, line_start = i + 1, line + 1, True
        elif ch in " \t\r":
            i += 1
        elif ch == "#":
            i = _line_end(text, i)
        elif line_start and depth == 0:
            line_start = False
            if ch == "[":
                keys, i = _parse_key(text, i + (2 if text.startswith("[[", i) else 1))
                table = keys
                lines.setdefault(table, line)
                i = text.index("]", i) + 1
                i += text.startswith("]", i)
            else:
                keys, i = _parse_key(text, i)
                # A dotted key also defines its parents here: `a.b = 1` is where `a` is.
                for end in range(1, len(keys) + 1):
                    lines.setdefault(table + keys[:end], line)
                i = text.index("=", i) + 1
        else:
            line_start = False
            if ch in "\"'":
                i, line = _skip_string(text, i, line)
                continue
            depth += (ch in "[{") - (ch in "]}")
            i += 1
    return lines


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _parse_key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    parts: list[str] = []
    while True:
        while text[i] in " \t":
            i += 1
        if text[i] in "\"'":
            end, _ = _skip_string(text, i, 0)
            parts.append(_unquote(text[i:end]))
            i = end
        else:
            start = i
            while i < len(text) and text[i] in _BARE:
                i += 1
            parts.append(text[start:i])
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text[i] != ".":
            return tuple(parts), i
        i += 1


def _unquote(quoted: str) -> str:
    if quoted[0] == "'":
        return quoted[1:-1]
    if "\\" not in quoted:
        return quoted[1:-1]
    import tomllib  # noqa: PLC0415  # already loaded: the file was parsed with it

    # Let tomllib decode every escape (\uXXXX, \t, ...), as it did for the data.
    return str(tomllib.loads(f"k = {quoted}")["k"])


def _skip_string(text: str, i: int, line: int) -> tuple[int, int]:
    quote = text[i]
    delim = quote * 3 if text.startswith(quote * 3, i) else quote
    j = i + len(delim)
    while True:
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text.startswith(delim, j):
            end = j + len(delim)
            # A multi-line string may end with up to two extra quotes.
            while len(delim) == 3 and text.startswith(quote, end) and end - j < 5:
                end += 1
            return end, line + text.count("\n", i, end)
        j += 1
