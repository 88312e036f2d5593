"""Origin records: where a value came from, and what each layer offered.

Both classes are plain ``__slots__`` classes, not dataclasses, because
``dataclasses`` costs about 6 ms at import and every process pays it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

__all__ = ["MISSING", "STATUSES", "Candidate", "Origin"]


class _Missing:
    """The type of :data:`MISSING`: a layer had no value to offer."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""Stands for "no value" where ``None`` could be a value."""

STATUSES: Final = ("winner", "shadowed", "absent", "skipped")
"""The statuses a :class:`Candidate` can have, as ``explain`` reports them."""


class Origin:
    """Where a value came from: a source kind, a profile and a location.

    ``location`` is ``"path:line"`` for a file, the variable name for env,
    ``"<backend> service=... username=..."`` for the keyring, and ``None`` for
    defaults and arguments. A file's line is found only when ``location`` is
    first read, so resolving never pays for it.
    """

    __slots__ = ("_locate", "_location", "profile", "source")

    def __init__(
        self,
        source: str,
        profile: str | None = None,
        location: str | None = None,
        *,
        locate: Callable[[], str | None] | None = None,
    ) -> None:
        self.source = source
        self.profile = profile
        self._location = location
        self._locate = locate

    @property
    def location(self) -> str | None:
        """The file:line, env var or keyring entry; computed on first use."""
        if self._locate is not None:
            self._location = self._locate()
            self._locate = None
        return self._location

    def as_dict(self) -> dict[str, str | None]:
        """Return the origin as a JSON-ready mapping."""
        return {"source": self.source, "profile": self.profile, "location": self.location}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Origin):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash((self.source, self.profile, self.location))

    def __repr__(self) -> str:
        return (
            f"Origin(source={self.source!r}, profile={self.profile!r}, location={self.location!r})"
        )


class Candidate:
    """One layer's entry for one field, as :meth:`Resolution.explain` lists it.

    ``value`` is :data:`MISSING` when the layer offered nothing. ``status`` is
    one of :data:`STATUSES` once the resolver has ranked the layers; sources
    hand out ``"offered"`` for a value they hold. ``reason`` says why a layer
    was skipped, absent or shadowed, when there is more to say.
    """

    __slots__ = ("origin", "reason", "status", "value")

    def __init__(self, origin: Origin, value: Any, status: str, reason: str | None = None) -> None:
        self.origin = origin
        self.value = value
        self.status = status
        self.reason = reason

    @property
    def source(self) -> str:
        """The kind of layer: ``default``, ``file``, ``keyring``, ``env``, ``argument``."""
        return self.origin.source

    @property
    def profile(self) -> str | None:
        """The ``[profiles.NAME]`` table the value came from, if any."""
        return self.origin.profile

    @property
    def location(self) -> str | None:
        """Where the layer looked: file:line, env var name or keyring entry."""
        return self.origin.location

    def __repr__(self) -> str:
        # The value is left out on purpose: it may be a secret.
        return (
            f"Candidate(source={self.source!r}, location={self.location!r}, "
            f"status={self.status!r}, reason={self.reason!r})"
        )
