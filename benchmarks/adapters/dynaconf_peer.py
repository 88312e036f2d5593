"""dynaconf peer: ``envvar_prefix="BACKEND"`` and the user's TOML settings file.

The file is the same TOML file the others read (dynaconf takes any ``.toml`` path
as a settings file); with ``environments`` off, its top-level keys are settings.
"""

from __future__ import annotations

from collections.abc import Callable

from _paths import user_file
from dynaconf import Dynaconf


def load() -> str:
    """Build the settings object and read the endpoint (dynaconf loads lazily)."""
    settings = Dynaconf(envvar_prefix="BACKEND", settings_files=[user_file()])
    return str(settings.get("endpoint", "https://api.backend.ai"))


def main() -> None:
    """Cold start: print the endpoint."""
    print(load())


def make() -> Callable[[], str]:
    """Warm: the callable to time."""
    load()
    return load
