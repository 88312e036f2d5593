"""Masking of secrets and of passwords inside URLs, for every printed value."""

from __future__ import annotations

import re

__all__ = ["mask_secret", "one_line", "redact_urls", "shorten"]

# The start of a URL's userinfo with a password: "scheme://user:". Matched on
# any text, so that even a URL that yarl rejects is redacted in a message.
_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@:]*:")


def mask_secret(value: str) -> str:
    """Mask a secret: ``****`` plus its last 4 characters when it has 16 or more."""
    if len(value) >= 16:
        return "****" + value[-4:]
    return "****"


def redact_urls(text: str) -> str:
    """Replace the password of every URL in ``text`` with ``****``.

    The password runs to the last ``@`` of the text, because a password may
    hold ``/``, ``?``, ``#``, ``@``, spaces and quotes: hiding too much is safer
    than hiding too little. So redact each URL of a list or map on its own.
    """
    if "@" not in text:
        return text
    parts, done = [], 0
    for match in _USERINFO.finditer(text):
        if match.start() < done:
            continue
        at = text.rfind("@", match.end())
        if at < 0:
            continue
        parts += [text[done : match.end()], "****"]
        done = at
    return "".join([*parts, text[done:]])


def shorten(text: str, limit: int = 60) -> str:
    """Cut long text for a one-line message, keeping its start."""
    if len(text) <= limit:
        return text
    return text[: limit - 3] + "..."


def one_line(text: str) -> str:
    """Escape newlines and other control characters, so a message stays on one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
