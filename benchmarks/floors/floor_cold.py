"""Cold-start floor: the work ``get_config()`` cannot avoid, and nothing more.

DESIGN.md ("Speed budgets") defines it: import os, tomllib, yarl and platformdirs;
find the user file's path; stat and read the file if it exists; look up every
field's ``BACKEND_`` and ``SORNA_`` names; build one ``yarl.URL``; keep a dict of
origins; print the endpoint.  The active profile (``BACKEND_PROFILE``) is applied
over the file's base values, since layered-config does that too.

The harness runs it as ``python -c "...; import floor_cold; floor_cold.main()"``
so that, like the package, it is loaded from a cached ``.pyc``.
"""

from __future__ import annotations

import os
import tomllib
from typing import TYPE_CHECKING, Any

import platformdirs
import yarl

if TYPE_CHECKING:
    from collections.abc import Callable

    Reader = Callable[[str], dict[str, Any] | None]

SYSTEM_FILE = "/etc/backend.ai/config.toml"
DEFAULT_ENDPOINT = "https://api.backend.ai"

# The file keys, in the field table's order.
FIELDS = (
    "endpoint",
    "version",
    "user_agent",
    "access_key",
    "secret_key",
    "hash_type",
    "vfolder_mounts",
    "skip_sslcert_validation",
    "endpoint_type",
    "domain",
    "group",
    "storage_proxy_address_map",
    "connection_timeout",
    "read_timeout",
)

# Field -> env name without prefix, for the fields that have one.
ENV_NAMES = {
    "endpoint": "ENDPOINT",
    "access_key": "ACCESS_KEY",
    "secret_key": "SECRET_KEY",
    "vfolder_mounts": "VFOLDER_MOUNTS",
    "skip_sslcert_validation": "SKIP_SSLCERT_VALIDATION",
    "endpoint_type": "ENDPOINT_TYPE",
    "domain": "DOMAIN",
    "group": "GROUP",
    "storage_proxy_address_map": "OVERRIDE_STORAGE_PROXY",
    "connection_timeout": "CONNECTION_TIMEOUT",
    "read_timeout": "READ_TIMEOUT",
}


def user_file() -> str:
    """The user file's path: ``BACKEND_CONFIG_FILE``, else platformdirs' config dir."""
    path = os.environ.get("BACKEND_CONFIG_FILE")
    if path:
        return path
    return os.path.join(platformdirs.user_config_dir(), "backend.ai", "config.toml")


def read_file(path: str) -> dict[str, Any] | None:
    """Stat the file and parse it if it exists."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    with open(path, "rb") as f:
        return tomllib.load(f)


def resolve(
    paths: list[str], read: Reader = read_file
) -> tuple[dict[str, Any], dict[str, tuple[str, str | None]]]:
    """Merge the files (lowest first), then env; return the values and their origins."""
    values: dict[str, Any] = {"endpoint": DEFAULT_ENDPOINT}
    origins: dict[str, tuple[str, str | None]] = {"endpoint": ("default", None)}
    profile = os.environ.get("BACKEND_PROFILE")
    for path in paths:
        data = read(path)
        if data is None:
            continue
        if profile:
            data = {**data, **data.get("profiles", {}).get(profile, {})}
        for field in FIELDS:
            if field in data:
                values[field] = data[field]
                origins[field] = ("file", path)
    for field, name in ENV_NAMES.items():
        new = os.environ.get("BACKEND_" + name)
        old = os.environ.get("SORNA_" + name)
        if new is not None:
            values[field] = new
            origins[field] = ("env", "BACKEND_" + name)
        elif old is not None:
            values[field] = old
            origins[field] = ("env", "SORNA_" + name)
    values["endpoint"] = yarl.URL(values["endpoint"])
    return values, origins


def main(*, system_file: bool = False) -> None:
    """Resolve and print the endpoint; ``system_file`` also reads /etc/backend.ai."""
    paths = [SYSTEM_FILE, user_file()] if system_file else [user_file()]
    values, _origins = resolve(paths)
    print(values["endpoint"])


if __name__ == "__main__":
    main()
