"""The lowest layer: the built-in defaults of the field table."""

from __future__ import annotations

from typing import Any

from .._fields import DEFAULTS, FIELDS
from .._origin import MISSING, Candidate, Origin
from ._base import Query, Reading, bad_value

__all__ = ["DefaultsSource"]

_ORIGIN = Origin("default")


class DefaultsSource:
    """Offers each field's default; reads ``DEFAULTS`` live, as upstream does."""

    name = "default"
    _readings: dict[tuple[tuple[str, Any], ...], Reading] = {}  # noqa: RUF012  # a shared cache

    def read(self, query: Query) -> Reading:
        """Offer every field that has a default."""
        # Upstream reads its DEFAULTS at each construction, so a changed mapping counts.
        key = tuple(DEFAULTS.items())
        reading = self._readings.get(key)
        if reading is None:
            reading = self._readings[key] = _reading()
        return reading


def _reading() -> Reading:
    values = {}
    for name, field in FIELDS.items():
        raw = DEFAULTS.get(name, field.default)
        if raw is None:
            continue
        # Upstream cleans defaults like env text, so raw strings go through from_env.
        try:
            values[name] = field.converter.from_env(raw) if isinstance(raw, str) else raw
        except ValueError as exc:  # someone changed DEFAULTS to something invalid
            raise bad_value(name, "DEFAULTS", str(exc.args[0]), raw) from None
    origins = dict.fromkeys(values, _ORIGIN)
    return Reading(values, origins, lambda name: _explain(name, values))


def _explain(name: str, values: dict[str, Any]) -> list[Candidate]:
    if name in values:
        return [Candidate(_ORIGIN, values[name], "offered")]
    return [Candidate(_ORIGIN, MISSING, "absent", "no default")]
