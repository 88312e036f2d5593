"""The built-in sources, one module each, and the protocol they share."""

from ._base import Deferred, Query, Reading, Source
from .arguments import ArgumentSource
from .defaults import DefaultsSource
from .env import EnvSource
from .files import FileSource
from .os_keyring import KeyringSource

__all__ = [
    "ArgumentSource",
    "DefaultsSource",
    "Deferred",
    "EnvSource",
    "FileSource",
    "KeyringSource",
    "Query",
    "Reading",
    "Source",
]
