"""What every command shares: parsed options, output, the environment and resolving."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from .._errors import LayeredConfigError
from .._fields import FIELDS, suggest
from .._paths import KEYRING_TIMEOUT_VAR, system_file, user_file
from .._resolution import Resolution
from .._resolver import Resolver, active_profile, default_sources
from ._output import Output

__all__ = ["Context", "UsageError", "interactive"]


class UsageError(LayeredConfigError):
    """The command line itself is wrong; exits 2."""


class Context:
    """The options of one command run, with helpers to resolve and to name files."""

    def __init__(self, args: argparse.Namespace, out: Output, environ: Mapping[str, str]) -> None:
        self.args = args
        self.out = out
        self.environ = environ
        self.profile = active_profile(args.profile, environ)
        self.user_file = user_file(environ, args.config_file)
        self.system_file = system_file()
        self.show_secrets: bool = getattr(args, "show_secrets", False)

    def resolve(self, *, keyring: bool = True, base: bool = False) -> Resolution:
        """Resolve the standard chain; without ``keyring`` the keyring is not asked.

        With ``base``, the active profile is left out.
        """
        environ = self.environ if keyring else {**self.environ, KEYRING_TIMEOUT_VAR: "0"}
        sources = default_sources(config_file=self.user_file, environ=environ)
        return Resolver(sources).resolve(profile=None if base else self.profile)

    def field(self, name: str) -> str:
        """Return a valid field name, or raise a usage error with a suggestion."""
        if name in FIELDS:
            return name
        hint = suggest(name)
        advice = f"; did you mean {hint!r}?" if hint else f"; known keys: {', '.join(FIELDS)}"
        raise UsageError(f"unknown key {name!r}{advice}")

    def files(self) -> list[tuple[str, str]]:
        """Return the files the chain reads, lowest first, with their layer names."""
        return [("system", self.system_file), ("user", self.user_file)]

    @staticmethod
    def exists(path: str) -> bool:
        """Tell whether a file exists (a dangling link does not)."""
        return os.path.isfile(path)


def interactive() -> bool:
    """Tell whether stdin is a terminal; a closed stdin is not."""
    import sys  # noqa: PLC0415

    return sys.stdin is not None and sys.stdin.isatty()
