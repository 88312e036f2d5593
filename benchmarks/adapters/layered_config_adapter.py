"""layered-config contestant for the warm benchmark: ``APIConfig()``, file cached.

The cold start is the snippet
``from layered_config import get_config; print(get_config().endpoint)``.
"""

from __future__ import annotations

from collections.abc import Callable

from layered_config import APIConfig


def make() -> Callable[[], APIConfig]:
    """Warm: one call fills the file cache; then ``APIConfig()`` is timed."""
    APIConfig()
    return APIConfig
