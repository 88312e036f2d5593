"""Where the configuration files live, and the env vars that steer the chain."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Final

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
    chosen = os.fspath(config_file) if config_file else environ.get(CONFIG_FILE_VAR)
    if chosen:
        return os.path.abspath(os.path.expanduser(chosen))
    import platformdirs  # noqa: PLC0415

    return os.path.join(platformdirs.user_config_dir(), _APP, _FILE)
