"""The user file's path for the peers, with the stdlib only.

layered-config and its floor ask platformdirs; a peer's user would more likely
hard-code the XDG rule, so the peers get this cheaper version (it favours them).
"""

from __future__ import annotations

import os


def user_file() -> str:
    """``BACKEND_CONFIG_FILE``, else ``$XDG_CONFIG_HOME/backend.ai/config.toml``."""
    path = os.environ.get("BACKEND_CONFIG_FILE")
    if path:
        return path
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "backend.ai", "config.toml")
