"""The result of resolving: values, their origins, and every layer's offer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from ._errors import MissingValueError
from ._fields import FIELDS, env_names
from ._origin import Candidate, Origin

if TYPE_CHECKING:
    from ._api import APIConfig
    from .sources import Reading, Source

__all__ = ["HIGHER_LAYER", "SESSION_KEYS", "Resolution", "how_to_set", "missing_message"]

SESSION_KEYS: Final = ("access_key", "secret_key")
"""The fields that ``endpoint_type = "session"`` sets to ``"dummy"``."""

_SESSION_ORIGIN: Final = Origin("default")

HIGHER_LAYER: Final = "a higher layer gave the value"
"""The reason a deferred lookup (the keyring) was not made."""


class Resolution:
    """Values with provenance, as :func:`resolve` returns them.

    ``values`` holds only the fields that some layer set. ``missing`` names the
    required fields that none did; :attr:`config` raises for them.
    """

    __slots__ = ("_config", "_deferred", "_readings", "_winners", "profile", "sources", "values")

    def __init__(  # noqa: PLR0917  # built by the resolver only
        self,
        sources: Sequence[Source],
        readings: list[Reading],
        profile: str | None,
        values: dict[str, Any],
        winners: dict[str, list[int]],
        deferred: dict[tuple[int, str], list[Candidate]],
    ) -> None:
        self.sources = tuple(sources)
        self.profile = profile
        self.values = values
        self._readings = readings
        self._winners = winners
        self._deferred = deferred
        self._config: APIConfig | None = None

    def __repr__(self) -> str:
        missing = list(self.missing)
        return f"<Resolution profile={self.profile!r} set={sorted(self.values)} missing={missing}>"

    @property
    def missing(self) -> tuple[str, ...]:
        """The required fields that no layer set."""
        return tuple(n for n, f in FIELDS.items() if f.required and n not in self.values)

    def origin(self, name: str) -> Origin | None:
        """Return where the value of ``name`` came from, or ``None`` when it is unset."""
        indexes = self._winners.get(name)
        if indexes is None:
            return None
        if not indexes:
            return _SESSION_ORIGIN
        index = indexes[0]
        for entry in self._deferred.get((index, name), ()):
            if entry.status == "offered":
                return entry.origin
        return self._readings[index].origins[name]

    @property
    def origins(self) -> dict[str, Origin]:
        """The origin of every set field."""
        return {name: origin for name in self.values if (origin := self.origin(name))}

    def explain(self, name: str, *, complete: bool = False) -> list[Candidate]:
        """List every layer's entry for ``name``, highest precedence first.

        Each entry's status is ``winner``, ``shadowed``, ``absent`` or ``skipped``.
        With ``complete``, a lookup skipped because a higher layer gave the
        value (the keyring) is made now, so its offer shows as ``shadowed``.

        Raises:
            KeyError: when ``name`` is not a field.

        """
        if name not in FIELDS:
            raise KeyError(name)
        winners = self._winners.get(name, [])
        pairs = [
            (i, e)
            for i in range(len(self._readings) - 1, -1, -1)
            for e in self._entries(i, name, complete=complete)
        ]
        crowned: set[int] = set()
        winner_text = None
        session = name in SESSION_KEYS and name in self._winners and winners == []
        union = FIELDS[name].union
        for index, entry in pairs:
            if entry.status != "offered":
                continue
            if session:
                entry.status, entry.reason = "shadowed", "endpoint_type=session uses dummy keys"
            elif union and not entry.value and index not in winners:
                entry.status, entry.reason = "absent", "an empty list adds nothing"
            elif index in winners and index not in crowned:
                entry.status = "winner"
                crowned.add(index)
                winner_text = winner_text or _describe(entry)
            else:
                entry.status = "shadowed"
                entry.reason = entry.reason or f"{winner_text or 'a higher layer'} wins"
        entries = [entry for _, entry in pairs]
        return _session_entries(entries) if session else entries

    def _entries(self, index: int, name: str, *, complete: bool) -> list[Candidate]:
        deferred = self._deferred.get((index, name))
        if deferred is None:
            return self._readings[index].explain(name)
        if complete and [e.reason for e in deferred] == [HIGHER_LAYER]:
            return self._readings[index].deferred[name].run(self.values)
        # Copies, because explain() ranks entries in place and may be called again.
        return [Candidate(e.origin, e.value, e.status, e.reason) for e in deferred]

    @property
    def config(self) -> APIConfig:
        """The :class:`APIConfig` of these values, linked back to this resolution.

        Raises:
            MissingValueError: when a required value is missing.

        """
        if self._config is None:
            from ._api import APIConfig  # noqa: PLC0415  # the API sits above the resolver

            self._config = APIConfig._from_resolution(self)
        return self._config

    def require(self) -> None:
        """Raise the missing-key error when a required value is missing.

        Raises:
            MissingValueError: ``args[0]`` is ``'ACCESS_KEY'`` or ``'SECRET_KEY'``.

        """
        for name in self.missing:
            raise MissingValueError(name.upper(), missing_message(name, self.explain(name)))


def _describe(entry: Candidate) -> str:
    where = entry.location
    return f"{entry.source} {where}" if where else entry.source


def _session_entries(entries: list[Candidate]) -> list[Candidate]:
    winner = Candidate(_SESSION_ORIGIN, "dummy", "winner", "endpoint_type=session")
    defaults = [i for i, e in enumerate(entries) if e.source == "default"]
    at = defaults[0] if defaults else len(entries)
    return [*entries[:at], winner, *entries[at + 1 :]]


def missing_message(name: str, entries: list[Candidate]) -> str:
    """Build the one-line error for a missing value: where it looked and how to set it."""
    looked = []
    for entry in entries:
        where = _describe(entry)
        looked.append(f"{where} ({entry.reason})" if entry.reason else where)
    keyring = " (the command stores it in the OS keyring)" if name == "secret_key" else ""
    how = f"run {how_to_set(name)}{keyring}"
    return f"{name} is not set. Looked in: {'; '.join(looked)}. To set it, {how}."


def how_to_set(name: str) -> str:
    """Say how to set a field: the command, and the env var when there is one."""
    command = f"layered-config set {name}" + ("" if name == "secret_key" else " VALUE")
    env = env_names(FIELDS[name])
    return command + (f" or export {env[0]}" if env else "")
