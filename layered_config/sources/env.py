"""The env layer: ``BACKEND_<NAME>``, falling back to the legacy ``SORNA_<NAME>``."""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from typing import Any

from .._environ import lookup
from .._errors import LegacyEnvWarning
from .._fields import ENV_PREFIXES, FIELDS, env_names
from .._origin import MISSING, Candidate, Origin
from ._base import Query, Reading, bad_value

__all__ = ["EnvSource"]

_warned: set[str] = set()
_PACKAGE = __name__.split(".")[0]
# (field, current name, legacy name) for every field that has env vars.
_PLAN = tuple((f.name, *f.env_names) for f in FIELDS.values() if len(f.env_names) == 2)


class EnvSource:
    """Reads each field's variables by name; unrelated variables are never scanned.

    A value taken from a ``SORNA_`` name draws one :class:`LegacyEnvWarning`
    per name and process. An empty variable counts as set, as upstream.

    Args:
        environ: the mapping to read; ``os.environ`` by default.

    """

    name = "env"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def read(self, query: Query) -> Reading:
        """Offer every field whose variable is set."""
        get = lookup(self._environ)
        values: dict[str, Any] = {}
        origins: dict[str, Origin] = {}
        for name, current, legacy in _PLAN:
            var = current
            text = get(current)
            if text is None:
                var = legacy
                text = get(legacy)
                if text is None:
                    continue
                _warn_legacy(legacy)
            values[name] = _convert(name, var, text)
            origins[name] = Origin("env", None, var)
        return Reading(values, origins, self._explain)

    def _explain(self, name: str) -> list[Candidate]:
        entries = []
        found = False
        for var in env_names(FIELDS[name]):
            text = self._environ.get(var)
            origin = Origin("env", None, var)
            if text is None:
                entries.append(Candidate(origin, MISSING, "absent", "not set"))
            elif found:
                # A shadowed value is shown, not used, so a bad one must not raise.
                value, reason = _lenient(name, var, text)
                entries.append(Candidate(origin, value, "shadowed", reason))
            else:
                entries.append(Candidate(origin, _convert(name, var, text), "offered"))
                found = True
        return entries or [
            Candidate(Origin("env"), MISSING, "skipped", "no env var for this field")
        ]


def _convert(name: str, var: str, text: str) -> Any:
    try:
        return FIELDS[name].converter.from_env(text)
    except ValueError as exc:
        raise bad_value(name, var, str(exc.args[0]), text) from None


def _lenient(name: str, var: str, text: str) -> tuple[Any, str]:
    current = _current_name(var)
    try:
        return _convert(name, var, text), f"{current} is set"
    except ValueError as exc:
        return text, f"{current} is set; this value is invalid: {exc}"


def _warn_legacy(var: str) -> None:
    if var in _warned:
        return
    _warned.add(var)
    new = _current_name(var)
    message = f"{var} is deprecated; rename it to {new}"
    warnings.warn(message, LegacyEnvWarning, stacklevel=_caller_level())


def _caller_level() -> int:
    # Point the warning at the first frame outside this package: the default
    # filters show a DeprecationWarning only when it is attributed to __main__.
    import sys  # noqa: PLC0415

    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    return level


def _current_name(legacy: str) -> str:
    return ENV_PREFIXES[0] + legacy.removeprefix(ENV_PREFIXES[1])
