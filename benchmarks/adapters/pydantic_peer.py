"""pydantic-settings peer: a BaseSettings with layered-config's fields.

Sources, highest first: init kwargs, env (``env_prefix="BACKEND_"``), then the
user's TOML file through ``TomlConfigSettingsSource``.  pydantic-settings has no
legacy-prefix fallback, so ``SORNA_`` names are not read.
"""

from __future__ import annotations

from collections.abc import Callable

from _paths import user_file
from pydantic import AliasChoices, Field, HttpUrl
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """The Backend.AI client's configuration."""

    model_config = SettingsConfigDict(env_prefix="BACKEND_", extra="ignore")

    endpoint: HttpUrl = HttpUrl("https://api.backend.ai")
    version: str = "v4.20190315"
    user_agent: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    hash_type: str = "sha256"
    vfolder_mounts: list[str] = Field(default_factory=list)
    skip_sslcert_validation: bool = False
    endpoint_type: str = "api"
    domain: str = "default"
    group: str = "default"
    storage_proxy_address_map: dict[str, str] = Field(
        default_factory=dict,
        validation_alias=AliasChoices(
            "storage_proxy_address_map", "backend_override_storage_proxy"
        ),
    )
    connection_timeout: float = 10.0
    read_timeout: float = 0.0

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Init kwargs, then env, then the TOML file."""
        toml = TomlConfigSettingsSource(settings_cls, toml_file=user_file())
        return (init_settings, env_settings, toml)


def main() -> None:
    """Cold start: build the settings and print the endpoint."""
    print(Settings().endpoint)


def make() -> Callable[[], Settings]:
    """Warm: the callable to time (it re-reads the file: the peer has no cache)."""
    Settings()
    return Settings
