"""The exceptions and warnings of layered-config, under one root.

Every error also subclasses the builtin it really is, so existing
``except KeyError`` and ``except ValueError`` handlers keep working::

    LayeredConfigError
    ├── ConfigValueError        (ValueError)   a bad value; names field and origin
    │   └── ConfigFileError     (ValueError)   a file that cannot be read or parsed
    ├── MissingValueError       (KeyError)     a required value is set nowhere
    ├── UnknownProfileError     (LookupError)  no file has the requested profile
    ├── SecretStoreError        (RuntimeError) the keyring refused a write
    └── ConfigWriteError        (OSError)      the user file could not be written
        └── LockTimeoutError    (TimeoutError) another writer held the lock too long

    LayeredConfigWarning (UserWarning)
    ├── UnknownKeyWarning                      a file holds a key that is no field
    └── PermissionWarning                      a file or folder is unsafe
    LegacyEnvWarning (DeprecationWarning)      a ``SORNA_`` variable was used

No message carries a secret value: callers pass masked text only.
"""

from __future__ import annotations

__all__ = [
    "ConfigFileError",
    "ConfigValueError",
    "ConfigWriteError",
    "LayeredConfigError",
    "LayeredConfigWarning",
    "LegacyEnvWarning",
    "LockTimeoutError",
    "MissingValueError",
    "PermissionWarning",
    "SecretStoreError",
    "UnknownKeyWarning",
    "UnknownProfileError",
]


class LayeredConfigError(Exception):
    """The root of every error that layered-config raises."""


class ConfigValueError(LayeredConfigError, ValueError):
    """A value is invalid; the message names the field and where it came from."""


class ConfigFileError(ConfigValueError):
    """A configuration file cannot be read or parsed; the message has path:line:column."""


class MissingValueError(LayeredConfigError, KeyError):
    """A required value is missing.

    ``args[0]`` is the upstream key name (``'ACCESS_KEY'`` or ``'SECRET_KEY'``),
    as in ``ai.backend.client.config``; ``str()`` is the detailed message.
    """

    def __init__(self, key: str, message: str = "") -> None:
        super().__init__(key)
        self.message = message or key

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[MissingValueError], tuple[str, str]]:
        # Pickling (process pools) must keep the message, not only args.
        return (type(self), (self.args[0], self.message))


class UnknownProfileError(LayeredConfigError, LookupError):
    """The requested profile exists in no configuration file."""


class SecretStoreError(LayeredConfigError, RuntimeError):
    """The OS keyring could not store or delete a secret."""


class ConfigWriteError(LayeredConfigError, OSError):
    """The user file could not be written; nothing on disk changed."""


class LockTimeoutError(ConfigWriteError, TimeoutError):
    """Another writer held the configuration lock for too long."""


class LayeredConfigWarning(UserWarning):
    """The root of layered-config's user warnings."""


class UnknownKeyWarning(LayeredConfigWarning):
    """A configuration file holds a key that is not a field."""


class PermissionWarning(LayeredConfigWarning):
    """A configuration file or its folder can be read or written by others."""


class LegacyEnvWarning(DeprecationWarning):
    """A legacy ``SORNA_`` environment variable supplied a value."""
