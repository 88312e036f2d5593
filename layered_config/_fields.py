"""The field table: one entry per setting drives parsing, env names, docs and output."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Final

from . import _convert as c
from ._version import __version__

__all__ = ["DEFAULTS", "ENV_PREFIXES", "FIELDS", "Field", "env_names", "suggest"]

ENV_PREFIXES: Final = ("BACKEND_", "SORNA_")
"""Environment prefixes, the current one first and the legacy one second."""

DEFAULTS: Final[dict[str, Any]] = {
    "endpoint": "https://api.backend.ai",
    "version": "v4.20190315",
    "hash_type": "sha256",
}
"""Upstream's ``APIConfig.DEFAULTS`` (API ``v4.20190315``), kept as the same mapping."""


class Field:
    """One configuration field and everything that depends on it.

    A plain ``__slots__`` class: a ``NamedTuple`` costs about 1 ms at import.
    """

    __slots__ = (
        "converter", "default", "doc", "env", "env_names", "name", "required", "secret", "union",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        converter: c.Converter,
        env: str | None,
        default: Any = None,
        *,
        secret: bool = False,
        required: bool = False,
        union: bool = False,
        doc: str = "",
    ) -> None:
        self.name = name
        """The key in files, the keyword argument and the ``APIConfig`` property."""
        self.converter = converter
        """Parses env text, TOML values and arguments; prints values back."""
        self.env = env
        """The env var name without prefix, or ``None`` when upstream reads no env var."""
        self.default = default
        """The default in raw form (cleaned like env text), or ``None`` when there is none."""
        self.secret = secret
        """Whether the value is masked in every output."""
        self.required = required
        """Whether a missing value is an error when the config is built."""
        self.union = union
        """Whether layers are merged (union) instead of overridden."""
        self.doc = doc
        """One line for the reference docs and the CLI help."""
        self.env_names = tuple(prefix + env for prefix in ENV_PREFIXES) if env else ()
        """The env var names it is read from, current prefix first."""

    def __repr__(self) -> str:
        return f"Field({self.name!r})"

    @property
    def merge(self) -> str:
        """The merge rule as the docs name it: ``union`` or ``override``."""
        return "union" if self.union else "override"


USER_AGENT: Final = f"Backend.AI Client for Python (layered-config {__version__})"

_TABLE: Final = (
    Field(
        "endpoint",
        c.ENDPOINTS,
        "ENDPOINT",
        DEFAULTS["endpoint"],
        doc="The API endpoint URL; several, comma-separated or an array, are kept in order.",
    ),
    Field(
        "endpoint_type",
        c.CHOICE_ENDPOINT_TYPE,
        "ENDPOINT_TYPE",
        "api",
        doc="`api` for keypair auth, `session` for console-server login (keys become `dummy`).",
    ),
    Field("domain", c.TEXT, "DOMAIN", "default", doc="The domain name."),
    Field("group", c.TEXT, "GROUP", "default", doc="The group (project) name."),
    Field(
        "storage_proxy_address_map",
        c.MAP,
        "OVERRIDE_STORAGE_PROXY",
        MappingProxyType({}),
        doc="Overrides of storage proxy addresses: `k=v,k=v` in env, a table in files.",
    ),
    Field("version", c.TEXT, None, DEFAULTS["version"], doc="The API version string."),
    Field("user_agent", c.TEXT, None, USER_AGENT, doc="The HTTP User-Agent header."),
    Field("access_key", c.TEXT, "ACCESS_KEY", required=True, doc="The API access key."),
    Field(
        "secret_key",
        c.TEXT,
        "SECRET_KEY",
        secret=True,
        required=True,
        doc="The API secret key; best kept in the OS keyring.",
    ),
    Field(
        "hash_type",
        c.HASH,
        None,
        DEFAULTS["hash_type"],
        doc="The request-signing hash, a `hashlib` algorithm name.",
    ),
    Field(
        "vfolder_mounts",
        c.TOKENS,
        "VFOLDER_MOUNTS",
        (),
        union=True,
        doc="Virtual folders to mount; every layer's list is merged in order.",
    ),
    Field(
        "skip_sslcert_validation",
        c.BOOL,
        "SKIP_SSLCERT_VALIDATION",
        False,
        doc="Skip TLS certificate checks (unsafe).",
    ),
    Field(
        "connection_timeout",
        c.SECONDS,
        "CONNECTION_TIMEOUT",
        10.0,
        doc="Seconds to wait for a connection.",
    ),
    Field(
        "read_timeout",
        c.SECONDS,
        "READ_TIMEOUT",
        0.0,
        doc="Seconds to wait for a read; 0 means no limit.",
    ),
)

FIELDS: Final[dict[str, Field]] = {field.name: field for field in _TABLE}
"""Every field by name, in the order ``show`` prints them."""


def env_names(field: Field) -> tuple[str, ...]:
    """Return the env var names a field is read from, current prefix first."""
    return field.env_names


def suggest(name: str) -> str | None:
    """Return the field name closest to a misspelled key, if any is close."""
    import difflib  # noqa: PLC0415  # only paid when a key is unknown

    matches = difflib.get_close_matches(name.lower(), FIELDS, n=1, cutoff=0.6)
    return matches[0] if matches else None
