"""The lowest layer: the built-in defaults of the field table."""

from __future__ import annotations

from typing import Any

from .._fields import DEFAULTS, FIELDS
from .._origin import MISSING, Candidate, Origin
from ._base import Query, Reading

__all__ = ["DefaultsSource"]

_ORIGIN = Origin("default")


class DefaultsSource:
    """Offers each field's default; reads ``DEFAULTS`` live, as upstream does."""

    name = "default"

    def __init__(self) -> None:
        self._cache: dict[tuple[str, Any], Any] = {}

    def read(self, query: Query) -> Reading:
        """Offer every field that has a default."""
        values = {name: value for name in FIELDS if (value := self._value(name)) is not MISSING}
        origins = dict.fromkeys(values, _ORIGIN)
        return Reading(values, origins, lambda name: self._explain(name, values))

    def _value(self, name: str) -> Any:
        raw = DEFAULTS.get(name, FIELDS[name].default)
        if raw is None:
            return MISSING
        key = (name, raw if isinstance(raw, str) else id(raw))
        if key not in self._cache:
            # Upstream cleans defaults like env text, so raw strings go through from_env.
            conv = FIELDS[name].converter
            self._cache[key] = conv.from_env(raw) if isinstance(raw, str) else raw
        return self._cache[key]

    @staticmethod
    def _explain(name: str, values: dict[str, Any]) -> list[Candidate]:
        if name in values:
            return [Candidate(_ORIGIN, values[name], "offered")]
        return [Candidate(_ORIGIN, MISSING, "absent", "no default")]
