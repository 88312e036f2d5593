"""backend.ai-client peer: the real ``ai.backend.client.config``.

It reads env vars only (and ``.env`` from the working directory, which the
harness keeps empty); it has no config file.  The cold start is the snippet
``from ai.backend.client.config import get_config; print(get_config().endpoint)``.
"""

from __future__ import annotations

from collections.abc import Callable

from ai.backend.client.config import APIConfig


def make() -> Callable[[], APIConfig]:
    """Warm: ``APIConfig()`` is the callable to time."""
    APIConfig()
    return APIConfig
