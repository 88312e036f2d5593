"""Masking of secrets and of passwords inside URLs, for every printed value."""

from __future__ import annotations

import re

__all__ = ["mask_secret", "redact_urls", "shorten"]

# Matches the userinfo of any URL-like text, so that even a URL that yarl
# rejects is redacted before it reaches a message. As in urlsplit (and yarl),
# the authority ends at the first / ? or #, and the password runs from the
# first colon to the last @ before that: it may hold spaces, commas and @.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#@:]*):[^/?#]*@")


def mask_secret(value: str) -> str:
    """Mask a secret: ``****`` plus its last 4 characters when it has 16 or more."""
    if len(value) >= 16:
        return "****" + value[-4:]
    return "****"


def redact_urls(text: str) -> str:
    """Replace the password of every URL in ``text`` with ``****``."""
    if "@" not in text:
        return text
    return _USERINFO.sub(r"\g<scheme>\g<user>:****@", text)


def shorten(text: str, limit: int = 60) -> str:
    """Cut long text for a one-line message, keeping its start."""
    if len(text) <= limit:
        return text
    return text[: limit - 3] + "..."
