"""The source protocol and the small records sources hand to the resolver."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from .._errors import ConfigValueError
from .._fields import FIELDS
from .._masking import one_line, redact_urls, shorten
from .._origin import Candidate, Origin

__all__ = ["Deferred", "Query", "Reading", "Source", "bad_value", "shown"]


class Query:
    """What the resolver asks of a source: the active profile."""

    __slots__ = ("profile",)

    def __init__(self, profile: str | None = None) -> None:
        self.profile = profile


class Deferred:
    """A lookup a source offers to do only if no higher layer gave the field.

    The keyring is the example: it is slow to import and may prompt, so it is
    asked only when the secret is still missing. ``run`` receives the values
    merged so far (the keyring needs the access key) and returns candidates.
    ``skip`` builds the ``skipped`` entry used when the lookup is not needed.
    """

    __slots__ = ("run", "skip")

    def __init__(
        self,
        run: Callable[[Mapping[str, Any]], list[Candidate]],
        skip: Callable[[Mapping[str, Any], str], Candidate],
    ) -> None:
        self.run = run
        self.skip = skip


class Reading:
    """What one source offered: values by field, and how to explain them.

    ``values`` and ``origins`` hold only what the source has. ``explain``
    builds, on demand, every entry for a field, absent ones included, so that
    the common path never allocates them.
    """

    __slots__ = ("_explain", "deferred", "origins", "profiles", "values")

    def __init__(
        self,
        values: Mapping[str, Any],
        origins: Mapping[str, Origin],
        explain: Callable[[str], list[Candidate]],
        *,
        profiles: frozenset[str] = frozenset(),
        deferred: Mapping[str, Deferred] | None = None,
    ) -> None:
        self.values = values
        self.origins = origins
        self.profiles = profiles
        self.deferred: Mapping[str, Deferred] = deferred or {}
        self._explain = explain

    def explain(self, name: str) -> list[Candidate]:
        """Return this source's entries for a field, its best one first."""
        return self._explain(name)


@runtime_checkable
class Source(Protocol):
    """One layer of the chain: a name and a ``read`` method.

    ``name`` is the origin's ``source``: ``default``, ``file``, ``keyring``,
    ``env``, ``argument``, or a name of your own.
    """

    name: str

    def read(self, query: Query) -> Reading:
        """Return what this layer offers for the given query."""
        ...


def shown(name: str, value: Any) -> str:
    """Return a value as it may appear in a message: masked, redacted, short."""
    field = FIELDS.get(name)
    if field is not None and field.secret:
        return "****"
    # One line, whatever the value holds: newlines, controls and lone surrogates escaped.
    return one_line(shorten(redact_urls(value if isinstance(value, str) else repr(value))))


def bad_value(name: str, where: str, problem: str, value: Any) -> ConfigValueError:
    """Build the one-line error for a bad value: where, field, problem and masked value."""
    text = shown(name, value)
    # Quote text, so that "got a string (got 5)" cannot be mistaken for a number.
    got = f'"{text}"' if isinstance(value, str) and text != "****" else text
    return ConfigValueError(f"{where}: {name}: {problem} (got {got})")
