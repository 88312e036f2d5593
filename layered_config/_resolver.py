"""The resolver: reads an explicit tuple of sources and merges them, later wins.

The chain is plain data, lowest precedence first::

    default < system file < keyring < user file < env < argument

A user may build a :class:`Resolver` with any tuple of sources: add, drop or
reorder them. Nothing is registered at import time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from ._environ import lookup
from ._errors import UnknownProfileError
from ._fields import FIELDS
from ._origin import Candidate
from ._paths import PROFILE_VAR, system_file, user_file
from ._resolution import HIGHER_LAYER, SESSION_KEYS, Resolution
from .sources import (
    ArgumentSource,
    DefaultsSource,
    EnvSource,
    FileSource,
    KeyringSource,
    Query,
    Reading,
    Source,
)

_UNION = tuple(name for name, field in FIELDS.items() if field.union)

__all__ = [
    "Resolver",
    "active_profile",
    "default_sources",
    "resolve",
    "resolve_arguments",
    "unknown_profile",
]


class Resolver:
    """Merges an ordered tuple of sources; a later source wins over an earlier one.

    Args:
        sources: the layers, lowest precedence first.

    """

    def __init__(self, sources: Iterable[Source]) -> None:
        self.sources: tuple[Source, ...] = tuple(sources)

    def __repr__(self) -> str:
        return f"Resolver({self.sources!r})"

    def resolve(self, *, profile: str | None = None) -> Resolution:
        """Read every layer and merge them; missing values are not an error here.

        Raises:
            UnknownProfileError: when ``profile`` is in no source.
            ConfigValueError: when a layer holds an invalid value.

        """
        readings = [source.read(Query(profile)) for source in self.sources]
        if profile is not None and not any(profile in r.profiles for r in readings):
            raise _unknown_profile(profile, readings)
        layers = [r.values for r in readings]
        values, winners = _merge(layers)
        deferred, offered = _run_deferred(readings, layers, values)
        if offered:
            values, winners = _merge(layers)
        if values.get("endpoint_type") == "session":
            for name in SESSION_KEYS:
                values[name] = "dummy"
                winners[name] = []
        return Resolution(self.sources, readings, profile, values, winners, deferred)


def _merge(layers: list[Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, list[int]]]:
    values: dict[str, Any] = {}
    winners: dict[str, list[int]] = {}
    # Later layers overwrite earlier ones; this touches only the values held.
    for index, layer in enumerate(layers):
        for name, value in layer.items():
            if name in FIELDS:
                values[name] = value
                winners[name] = [index]
    for name in _UNION:
        # Only layers that add something count as winners; an empty list adds nothing.
        parts = [i for i in range(len(layers) - 1, -1, -1) if layers[i].get(name)]
        if parts:
            values[name] = tuple(dict.fromkeys(t for i in parts for t in layers[i][name]))
            winners[name] = parts
    return values, winners


def _run_deferred(
    readings: list[Reading], layers: list[Mapping[str, Any]], values: dict[str, Any]
) -> tuple[dict[tuple[int, str], list[Candidate]], bool]:
    done: dict[tuple[int, str], list[Candidate]] = {}
    any_offered = False
    for index, reading in enumerate(readings):
        for name, later in reading.deferred.items():
            if values.get("endpoint_type") == "session" and name in SESSION_KEYS:
                entries = [later.skip(values, "endpoint_type=session")]
            elif any(name in layer for layer in layers[index + 1 :]):
                entries = [later.skip(values, HIGHER_LAYER)]
            else:
                entries = later.run(values)
            done[index, name] = entries
            offered = [e for e in entries if e.status == "offered"]
            if offered:
                layers[index] = {**layers[index], name: offered[0].value}
                any_offered = True
    return done, any_offered


def _unknown_profile(profile: str, readings: list[Reading]) -> UnknownProfileError:
    return unknown_profile(profile, {name for r in readings for name in r.profiles})


def unknown_profile(profile: str, known: Iterable[str]) -> UnknownProfileError:
    """Build the error for a profile that no file has, listing the known ones."""
    listed = ", ".join(sorted(known)) or "none"
    return UnknownProfileError(f"profile {profile!r} is in no configuration file (known: {listed})")


def active_profile(profile: str | None, environ: Mapping[str, str]) -> str | None:
    """Return the profile to use: the argument, else ``BACKEND_PROFILE``, else none."""
    return profile or lookup(environ)(PROFILE_VAR) or None


def default_sources(
    *,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    arguments: Mapping[str, Any] | None = None,
) -> tuple[Source, ...]:
    """Return the standard chain, lowest precedence first.

    Args:
        config_file: replaces the user file (else ``BACKEND_CONFIG_FILE``, else platformdirs').
        environ: the environment to read; ``os.environ`` by default.
        arguments: the explicit values, the top layer; ``None`` values count as not given.

    """
    env = os.environ if environ is None else environ
    return (
        DefaultsSource(),
        FileSource(system_file(), system=True),
        KeyringSource(environ=env),
        FileSource(user_file(env, config_file)),
        EnvSource(env),
        ArgumentSource(arguments or {}),
    )


def resolve(
    *,
    profile: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Resolution:
    """Resolve the standard chain and return values with their provenance.

    Missing values are not an error here; ``Resolution.config`` raises for them.
    ``None`` means "not given" for every override.

    Args:
        profile: the ``[profiles.NAME]`` to use; else ``BACKEND_PROFILE``.
        config_file: replaces the user file's path.
        environ: the environment to read; ``os.environ`` by default.
        **overrides: field values, the highest layer.

    Raises:
        TypeError: for an override that is not a field.
        UnknownProfileError: for a profile that no file has.
        ConfigValueError: for an invalid value in any layer, naming its origin.

    """
    return resolve_arguments(overrides, profile=profile, config_file=config_file, environ=environ)


def resolve_arguments(
    arguments: Mapping[str, Any],
    *,
    profile: str | None = None,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Resolution:
    """Resolve the standard chain with ``arguments`` as the top layer; see :func:`resolve`."""
    env = os.environ if environ is None else environ
    sources = default_sources(config_file=config_file, environ=env, arguments=arguments)
    return Resolver(sources).resolve(profile=active_profile(profile, env))
