"""Where the configuration files live, and the env vars that steer the chain."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Final

from ._environ import lookup

__all__ = [
    "CONFIG_FILE_VAR",
    "KEYRING_SERVICE",
    "KEYRING_TIMEOUT_VAR",
    "PROFILE_VAR",
    "system_file",
    "user_file",
]

PROFILE_VAR: Final = "BACKEND_PROFILE"
"""Selects the active ``[profiles.NAME]`` table when no argument does."""
CONFIG_FILE_VAR: Final = "BACKEND_CONFIG_FILE"
"""Replaces the user file's path."""
KEYRING_TIMEOUT_VAR: Final = "BACKEND_KEYRING_TIMEOUT"
"""Seconds each keyring read may take (default 3); ``0`` turns the keyring off."""
KEYRING_SERVICE: Final = "backend.ai"
"""The keyring service name; the username is the access key."""

_user_files: dict[tuple[str | None, ...], str] = {}
_APP: Final = "backend.ai"
_FILE: Final = "config.toml"


def system_file() -> str:
    """Return the system file: fixed under /etc on Linux and the BSDs."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return "/etc/backend.ai/config.toml"
    import platformdirs  # noqa: PLC0415  # about 8 ms, so only when needed

    return os.path.join(platformdirs.site_config_dir(), _APP, _FILE)


def user_file(environ: Mapping[str, str], config_file: str | os.PathLike[str] | None = None) -> str:
    """Return the user file: the argument, else ``BACKEND_CONFIG_FILE``, else platformdirs'."""
    chosen = os.fspath(config_file) if config_file else lookup(environ)(CONFIG_FILE_VAR)
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen))
    # On Linux platformdirs answers from these two variables of os.environ (not
    # of ``environ``); asking it costs about 20 µs a call, so remember the answer.
    get = lookup(os.environ)
    key = (get("XDG_CONFIG_HOME"), get("HOME"), sys.platform)
    path = _user_files.get(key) if sys.platform.startswith("linux") else None
    if path is None:
        import platformdirs  # noqa: PLC0415

        path = _user_files[key] = os.path.join(platformdirs.user_config_dir(), _APP, _FILE)
    return path
