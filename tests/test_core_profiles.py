"""Profiles: [profiles.NAME] tables override their own file's base values."""

from __future__ import annotations

from typing import Any

import pytest

from layered_config import APIConfig, LayeredConfigError, UnknownProfileError, resolve

USER = """\
endpoint = "https://base.example"
domain = "base-domain"
access_key = "AKBASE"
secret_key = "base-secret"

[profiles.staging]
# staging talks to its own server
endpoint = "https://staging.example"
group = "staging-group"

[profiles.prod]
domain = "prod-domain"
"""


def test_profile_overrides_base_and_inherits_the_rest(user_file: Any) -> None:
    """An active profile replaces the base values it sets and keeps the others."""
    user_file(USER)
    config = APIConfig(profile="staging")
    assert str(config.endpoint) == "https://staging.example"
    assert config.group == "staging-group"
    assert config.domain == "base-domain"
    assert config.access_key == "AKBASE"


def test_without_a_profile_the_base_values_apply(user_file: Any) -> None:
    """With no profile chosen, the profile tables are ignored."""
    user_file(USER)
    resolution = resolve()
    assert str(resolution.values["endpoint"][0]) == "https://base.example"
    assert resolution.values["group"] == "default"
    assert resolution.profile is None


def test_profile_origins_name_the_profile_and_the_keys_own_line(user_file: Any) -> None:
    """A value from a profile has that profile in its origin and the line of its key."""
    path = user_file(USER)
    resolution = resolve(profile="staging")
    endpoint = resolution.origin("endpoint")
    assert (endpoint.source, endpoint.profile, endpoint.location) == (
        "file",
        "staging",
        f"{path}:8",
    )
    assert resolution.origin("group").location == f"{path}:9"
    domain = resolution.origin("domain")
    assert (domain.profile, domain.location) == (None, f"{path}:2")


def test_explain_shows_the_base_value_shadowed_by_the_profile(user_file: Any) -> None:
    """explain lists the profile's entry as winner and the same file's base entry as shadowed."""
    path = user_file(USER)
    entries = [e for e in resolve(profile="staging").explain("endpoint") if e.source == "file"]
    by_location = {e.location: (e.status, e.profile) for e in entries}
    assert by_location[f"{path}:8"] == ("winner", "staging")
    assert by_location[f"{path}:1"] == ("shadowed", None)


def test_backend_profile_selects_the_profile(
    user_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BACKEND_PROFILE chooses the profile when no argument does."""
    user_file(USER)
    monkeypatch.setenv("BACKEND_PROFILE", "prod")
    assert APIConfig().domain == "prod-domain"
    assert resolve().profile == "prod"


def test_profile_argument_beats_backend_profile(
    user_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The profile argument wins over BACKEND_PROFILE."""
    user_file(USER)
    monkeypatch.setenv("BACKEND_PROFILE", "prod")
    config = APIConfig(profile="staging")
    assert config.group == "staging-group"
    assert config.domain == "base-domain"


def test_each_file_applies_its_own_profile_then_they_stack(
    system_file: Any, user_file: Any
) -> None:
    """The system file's profile applies under the user file's base and profile values."""
    system_file(
        'group = "sys-base-group"\nread_timeout = 1\n'
        '[profiles.p]\ngroup = "sys-p-group"\nconnection_timeout = 7\nread_timeout = 2\n'
    )
    user_file('read_timeout = 3\n[profiles.p]\ndomain = "user-p-domain"\n')
    resolution = resolve(profile="p", access_key="a", secret_key="s")
    assert resolution.values["domain"] == "user-p-domain"  # user profile
    assert resolution.values["group"] == "sys-p-group"  # system profile over system base
    assert resolution.values["connection_timeout"] == 7.0  # system profile only
    assert resolution.values["read_timeout"] == 3.0  # user base beats system profile
    assert resolution.origin("group").profile == "p"
    assert resolution.origin("read_timeout").profile is None


def test_a_profile_only_in_the_system_file_is_known(system_file: Any, user_file: Any) -> None:
    """A profile that only the system file has is valid, and the user file's base still applies."""
    system_file('[profiles.site]\ndomain = "site-domain"\n')
    user_file('group = "user-group"\n')
    resolution = resolve(profile="site")
    assert resolution.values["domain"] == "site-domain"
    assert resolution.values["group"] == "user-group"


def test_unknown_profile_is_an_error_listing_the_known_ones(
    system_file: Any, user_file: Any
) -> None:
    """Asking for a profile no file has raises UnknownProfileError naming every known profile."""
    system_file("[profiles.site]\n")
    user_file(USER)
    with pytest.raises(UnknownProfileError) as info:
        resolve(profile="nope")
    message = str(info.value)
    assert "nope" in message
    for known in ("prod", "site", "staging"):
        assert known in message
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, LayeredConfigError)


def test_unknown_profile_from_env_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """BACKEND_PROFILE naming a profile that no file has raises, even with no file at all."""
    monkeypatch.setenv("BACKEND_PROFILE", "ghost")
    with pytest.raises(UnknownProfileError, match="ghost"):
        APIConfig(access_key="a", secret_key="s")


def test_empty_backend_profile_means_no_profile(
    user_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty BACKEND_PROFILE selects no profile rather than a profile named ''."""
    user_file(USER)
    monkeypatch.setenv("BACKEND_PROFILE", "")
    assert resolve().profile is None


def test_dotted_profile_keys_have_their_own_line(user_file: Any) -> None:
    """A profile written with dotted keys gets the line of the dotted key."""
    path = user_file('domain = "d"\nprofiles.dev.domain = "dev-domain"\n')
    origin = resolve(profile="dev").origin("domain")
    assert (origin.profile, origin.location) == ("dev", f"{path}:2")
