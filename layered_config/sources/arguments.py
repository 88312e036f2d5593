"""The highest layer: explicit keyword arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._fields import FIELDS
from .._origin import MISSING, Candidate, Origin
from ._base import Query, Reading, bad_value

__all__ = ["ArgumentSource"]

_ORIGIN = Origin("argument")


class ArgumentSource:
    """Offers the keyword arguments given to ``APIConfig(...)`` or ``resolve(...)``.

    Args:
        arguments: field name to value; ``None`` values count as not given.

    Raises:
        TypeError: for a name that is not a field, as a function call would.

    """

    name = "argument"

    def __init__(self, arguments: Mapping[str, Any]) -> None:
        for key in arguments:
            if key not in FIELDS:
                raise TypeError(f"unexpected keyword argument {key!r}")
        self._arguments = {k: v for k, v in arguments.items() if v is not None}
        self._values: dict[str, Any] | None = None

    def read(self, query: Query) -> Reading:
        """Offer the converted arguments."""
        values = self._converted()
        origins = dict.fromkeys(values, _ORIGIN)
        return Reading(values, origins, lambda name: _explain(name, values))

    def _converted(self) -> dict[str, Any]:
        if self._values is None:
            values = {}
            for name, raw in self._arguments.items():
                try:
                    values[name] = FIELDS[name].converter.from_arg(raw)
                except ValueError as exc:
                    raise bad_value(name, "argument", str(exc.args[0]), raw) from None
            self._values = values
        return self._values


def _explain(name: str, values: dict[str, Any]) -> list[Candidate]:
    if name in values:
        return [Candidate(_ORIGIN, values[name], "offered")]
    return [Candidate(_ORIGIN, MISSING, "absent", "not given")]
