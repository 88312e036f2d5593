"""The upstream API: ``get_env``, ``APIConfig``, ``get_config`` and ``set_config``.

These behave like ``ai.backend.client.config`` of API ``v4.20190315``, with the
newest upstream's fields added; the deliberate differences are listed in the
migration guide.
"""

from __future__ import annotations

import os
from _thread import allocate_lock
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._fields import DEFAULTS, FIELDS
from ._masking import redact_urls
from ._resolver import resolve_arguments

if TYPE_CHECKING:
    from yarl import URL

    from ._resolution import Resolution

__all__ = ["APIConfig", "get_config", "get_env", "set_config"]


def _defaults() -> dict[str, Any]:
    from .sources import DefaultsSource, Query  # noqa: PLC0415  # only for hand-built chains

    return dict(DefaultsSource().read(Query()).values)


def _identity(value: Any) -> Any:
    return value


def get_env(key: str, default: Any = None, clean: Callable[[Any], Any] = _identity) -> Any:
    """Read ``BACKEND_<KEY>``, then ``SORNA_<KEY>``, exactly as upstream does.

    An empty variable counts as set. ``clean`` is applied to the default too.
    It warns about nothing, not even about the legacy prefix.

    Args:
        key: the name without prefix; it is upper-cased.
        default: used when neither variable is set; ``None`` means required.
        clean: converts the found text or the default.

    Raises:
        KeyError: the upper-cased key, when it is required and not set.

    """
    key = key.upper()
    value = os.environ.get("BACKEND_" + key)
    if value is None:
        value = os.environ.get("SORNA_" + key)
    if value is None:
        if default is None:
            raise KeyError(key)
        value = default
    return clean(value)


class APIConfig:
    """The client configuration, resolved from every layer; properties are read-only.

    A falsy argument counts as not given, as upstream. Arguments not given are
    resolved through the whole chain: defaults, system file, keyring, user
    file and env. ``profile`` and ``config_file`` choose the profile and the
    user file.

    Raises:
        MissingValueError: (a ``KeyError``) when the access or secret key is set nowhere.
        ConfigValueError: (a ``ValueError``) for an invalid value, such as a relative endpoint.

    """

    DEFAULTS = DEFAULTS

    def __init__(
        self,
        *,
        endpoint: URL | str | Iterable[URL | str] | None = None,
        endpoint_type: str | None = None,
        domain: str | None = None,
        group: str | None = None,
        storage_proxy_address_map: Mapping[str, str] | None = None,
        version: str | None = None,
        user_agent: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        hash_type: str | None = None,
        vfolder_mounts: Iterable[str] | None = None,
        skip_sslcert_validation: bool | None = None,
        connection_timeout: float | None = None,
        read_timeout: float | None = None,
        announcement_handler: Callable[[str], None] | None = None,
        profile: str | None = None,
        config_file: str | os.PathLike[str] | None = None,
    ) -> None:
        given = {
            "endpoint": endpoint, "endpoint_type": endpoint_type, "domain": domain,
            "group": group, "storage_proxy_address_map": storage_proxy_address_map,
            "version": version, "user_agent": user_agent, "access_key": access_key,
            "secret_key": secret_key, "hash_type": hash_type, "vfolder_mounts": vfolder_mounts,
            "skip_sslcert_validation": True if skip_sslcert_validation else None,
            "connection_timeout": connection_timeout, "read_timeout": read_timeout,
        }  # fmt: skip
        arguments = {name: value for name, value in given.items() if value}
        resolution = resolve_arguments(arguments, profile=profile, config_file=config_file)
        self._load(resolution)
        resolution._config = self
        self._announcement_handler = announcement_handler
        if skip_sslcert_validation:
            # Upstream keeps a truthy argument as given ('yes' stays 'yes').
            self._skip_sslcert_validation: Any = skip_sslcert_validation

    @classmethod
    def _from_resolution(cls, resolution: Resolution) -> APIConfig:
        config = cls.__new__(cls)
        config._load(resolution)
        config._announcement_handler = None
        return config

    def _load(self, resolution: Resolution) -> None:
        resolution.require()
        values = resolution.values
        if len(values) < len(FIELDS):
            # A hand-built chain may lack the defaults layer; fields still need values.
            values = {**_defaults(), **values}
        self._resolution = resolution
        self._endpoints: list[URL] = list(values["endpoint"])
        self._endpoint_type: str = values["endpoint_type"]
        self._domain: str = values["domain"]
        self._group: str = values["group"]
        self._storage_proxy_address_map: dict[str, str] = dict(values["storage_proxy_address_map"])
        self._version: str = values["version"]
        self._user_agent: str = values["user_agent"]
        self._access_key: str = values["access_key"]
        self._secret_key: str = values["secret_key"]
        self._hash_type: str = values["hash_type"]
        self._vfolder_mounts: list[str] = list(values.get("vfolder_mounts", ()))
        self._skip_sslcert_validation = values["skip_sslcert_validation"]
        self._connection_timeout: float = values["connection_timeout"]
        self._read_timeout: float = values["read_timeout"]

    def __repr__(self) -> str:
        endpoint = redact_urls(str(self.endpoint))
        return (
            f"<APIConfig endpoint={endpoint!r} access_key={self._access_key!r} secret_key='****'>"
        )

    @property
    def resolution(self) -> Resolution:
        """The resolution this config came from: origins and ``explain``."""
        return self._resolution

    @property
    def endpoint(self) -> URL:
        """The current API endpoint, the first of :attr:`endpoints`."""
        return self._endpoints[0]

    @property
    def endpoints(self) -> list[URL]:
        """Every endpoint, in the order configured; never shuffled."""
        return list(self._endpoints)

    def rotate_endpoints(self) -> None:
        """Move the current endpoint to the back, so the next one is used."""
        if len(self._endpoints) > 1:
            self._endpoints.append(self._endpoints.pop(0))

    def load_balance_endpoints(self) -> None:
        """Do nothing, as the newest upstream: endpoints keep their configured order."""

    @property
    def endpoint_type(self) -> str:
        """``api`` (keypair) or ``session`` (console-server login)."""
        return self._endpoint_type

    @property
    def domain(self) -> str:
        """The domain name."""
        return self._domain

    @property
    def group(self) -> str:
        """The group (project) name."""
        return self._group

    @property
    def storage_proxy_address_map(self) -> Mapping[str, str]:
        """Overrides of storage proxy addresses."""
        return dict(self._storage_proxy_address_map)

    @property
    def version(self) -> str:
        """The API version string."""
        return self._version

    @property
    def user_agent(self) -> str:
        """The HTTP User-Agent header."""
        return self._user_agent

    @property
    def access_key(self) -> str:
        """The API access key."""
        return self._access_key

    @property
    def secret_key(self) -> str:
        """The API secret key."""
        return self._secret_key

    @property
    def hash_type(self) -> str:
        """The signing hash algorithm, lower-case."""
        return self._hash_type

    @property
    def vfolder_mounts(self) -> list[str]:
        """Virtual folders to mount, every layer's merged in precedence order."""
        return list(self._vfolder_mounts)

    @property
    def skip_sslcert_validation(self) -> Any:
        """Whether TLS certificates go unchecked."""
        return self._skip_sslcert_validation

    @property
    def connection_timeout(self) -> float:
        """Seconds to wait for a connection."""
        return self._connection_timeout

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for a read; 0 means no limit."""
        return self._read_timeout

    @property
    def announcement_handler(self) -> Callable[[str], None] | None:
        """The callback for server announcements, an argument only."""
        return self._announcement_handler


_config: APIConfig | None = None
_lock = allocate_lock()


def get_config() -> APIConfig:
    """Return the process-wide config, built on first use; thread-safe.

    A failed build is not cached, so the next call tries again.
    """
    config = _config
    if config is not None:
        return config
    return _build_config()


def _build_config() -> APIConfig:
    global _config  # noqa: PLW0603  # the upstream API is a process-wide singleton
    with _lock:
        if _config is None:
            _config = APIConfig()
        return _config


def set_config(conf: APIConfig | None) -> None:
    """Replace the process-wide config; ``None`` makes the next ``get_config()`` rebuild it."""
    global _config  # noqa: PLW0603
    with _lock:
        _config = conf
