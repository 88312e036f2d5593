"""Edits of the user file's text through tomlkit, keeping comments, order and line endings."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["remove_key", "set_key"]

_LONE_LF = re.compile(r"(?<!\r)\n")


def set_key(text: str | None, profile: str | None, key: str, value: Any) -> str:
    """Return ``text`` with ``key = value`` in the base table or in ``[profiles.NAME]``.

    The profile table is created when it does not exist yet.
    """
    import tomlkit  # noqa: PLC0415  # about 14 ms, so only on the write path

    doc = tomlkit.parse(text or "")
    table = _table(doc, profile, create=True)
    item = tomlkit.inline_table() if isinstance(value, dict) else None
    if item is not None:
        item.update(value)
    new = item if item is not None else tomlkit.item(value)
    if key in table:
        table[key] = new
    else:
        _insert_after_last_value(table, key, new)
    return _keep_line_endings(text, tomlkit.dumps(doc))


def remove_key(text: str | None, profile: str | None, key: str) -> str | None:
    """Return ``text`` without ``key``, or ``None`` when the key is not there."""
    if not text:
        return None
    import tomlkit  # noqa: PLC0415

    doc = tomlkit.parse(text)
    table = _table(doc, profile, create=False)
    if table is None or key not in table:
        return None
    del table[key]
    return _keep_line_endings(text, tomlkit.dumps(doc))


def _table(doc: Any, profile: str | None, *, create: bool) -> Any:
    import tomlkit  # noqa: PLC0415

    if profile is None:
        return doc
    if "profiles" not in doc:
        if not create:
            return None
        doc.add("profiles", tomlkit.table(is_super_table=True))
    profiles = doc["profiles"]
    if profile not in profiles:
        if not create:
            return None
        profiles.add(profile, tomlkit.table())
    return profiles[profile]


def _insert_after_last_value(table: Any, key: str, item: Any) -> None:
    # tomlkit appends a new base key after any trailing comment, which would
    # detach that comment from the table header it describes; put the key
    # right after the last plain value instead.
    from tomlkit.container import Container  # noqa: PLC0415

    container = table if isinstance(table, Container) else table.value
    last = None
    for index, (existing, value) in enumerate(container.body):
        if existing is not None and not _is_table(value):
            last = index
    inserter = getattr(container, "_insert_at", None)
    if last is not None and inserter is not None and last + 1 < len(container.body):
        inserter(last + 1, key, item)
    else:
        table.add(key, item)


def _is_table(value: Any) -> bool:
    from tomlkit.items import AoT, Table  # noqa: PLC0415

    return isinstance(value, Table | AoT)


def _keep_line_endings(before: str | None, after: str) -> str:
    if before and "\r\n" in before and not _LONE_LF.search(before):
        return _LONE_LF.sub("\r\n", after)
    return after
