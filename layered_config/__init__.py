"""Layered configuration with provenance for the Backend.AI API client.

A drop-in for ``ai.backend.client.config``: ``get_env``, ``get_config``,
``set_config``, ``APIConfig`` and ``DEFAULTS``, plus :func:`resolve`, which
says where every value came from.
"""

from ._api import APIConfig, get_config, get_env, set_config
from ._convert import bool_env
from ._errors import (
    ConfigFileError,
    ConfigValueError,
    ConfigWriteError,
    LayeredConfigError,
    LayeredConfigWarning,
    LegacyEnvWarning,
    LockTimeoutError,
    MissingValueError,
    PermissionWarning,
    SecretStoreError,
    UnknownKeyWarning,
    UnknownProfileError,
)
from ._fields import DEFAULTS, FIELDS, Field
from ._origin import MISSING, Candidate, Origin
from ._resolution import Resolution
from ._resolver import Resolver, default_sources, resolve
from ._version import __version__
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

__all__ = [
    "DEFAULTS",
    "FIELDS",
    "MISSING",
    "APIConfig",
    "ArgumentSource",
    "Candidate",
    "ConfigFileError",
    "ConfigValueError",
    "ConfigWriteError",
    "DefaultsSource",
    "EnvSource",
    "Field",
    "FileSource",
    "KeyringSource",
    "LayeredConfigError",
    "LayeredConfigWarning",
    "LegacyEnvWarning",
    "LockTimeoutError",
    "MissingValueError",
    "Origin",
    "PermissionWarning",
    "Query",
    "Reading",
    "Resolution",
    "Resolver",
    "SecretStoreError",
    "Source",
    "UnknownKeyWarning",
    "UnknownProfileError",
    "__version__",
    "bool_env",
    "default_sources",
    "get_config",
    "get_env",
    "resolve",
    "set_config",
]
