"""The file layers: the system file and the user file, with named profiles."""

from __future__ import annotations

import os
from typing import Any

from .._origin import MISSING, Candidate, Origin
from ._base import Query, Reading
from ._tomlfile import ParsedFile, load

__all__ = ["FileSource"]


class FileSource:
    """Offers the values of one TOML file; a ``[profiles.NAME]`` table overrides its base.

    Args:
        path: the file; it may be absent, which is not an error.
        system: whether this is the system file (root may own it).

    """

    name = "file"

    def __init__(self, path: str | os.PathLike[str], *, system: bool = False) -> None:
        self.path = os.path.abspath(os.fspath(path))
        self.system = system

    def __repr__(self) -> str:
        return f"FileSource({self.path!r}, system={self.system})"

    def read(self, query: Query) -> Reading:
        """Offer the file's base values, overridden by the active profile's."""
        parsed = load(self.path, system=self.system)
        if isinstance(parsed, str):
            return _absent(self.path, parsed)
        reading: Reading | None = parsed.readings.get(query.profile)
        if reading is None:
            reading = _reading(parsed, query.profile)
            parsed.readings[query.profile] = reading
        return reading


def _absent(path: str, reason: str) -> Reading:
    def explain(name: str) -> list[Candidate]:
        # An lstat per resolve is not worth it; explaining may pay for the detail.
        detail = "dangling symlink" if os.path.islink(path) else reason
        return [Candidate(Origin("file", None, path), MISSING, "absent", detail)]

    return Reading({}, {}, explain)


def _reading(parsed: ParsedFile, profile: str | None) -> Reading:
    base = parsed.base
    chosen = parsed.profiles.get(profile, {}) if profile else {}
    values = {**base, **chosen}
    origins = {name: _origin(parsed, profile if name in chosen else None, name) for name in values}
    return Reading(
        values,
        origins,
        lambda name: _explain(parsed, profile, chosen, name),
        profiles=frozenset(parsed.profiles),
    )


def _origin(parsed: ParsedFile, profile: str | None, name: str) -> Origin:
    path = ("profiles", profile, name) if profile else (name,)
    return Origin("file", profile, locate=lambda: parsed.where(*path))


def _explain(
    parsed: ParsedFile, profile: str | None, chosen: dict[str, Any], name: str
) -> list[Candidate]:
    entries = []
    if name in chosen:
        entries.append(Candidate(_origin(parsed, profile, name), chosen[name], "offered"))
    if name in parsed.base:
        status = "shadowed" if entries else "offered"
        reason = f"profile {profile!r} overrides it" if entries else None
        entries.append(Candidate(_origin(parsed, None, name), parsed.base[name], status, reason))
    if not entries:
        entries.append(
            Candidate(Origin("file", profile, parsed.path), MISSING, "absent", "key not set")
        )
    return entries
