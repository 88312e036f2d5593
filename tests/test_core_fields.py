"""The newest upstream's fields, and the native TOML types that files must use."""

from __future__ import annotations

from typing import Any

import pytest
from yarl import URL

from layered_config import FIELDS, APIConfig, ConfigValueError, get_config, resolve

KEYS = {"access_key": "AKFIELDS", "secret_key": "sk-fields"}


@pytest.fixture
def keys_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a keypair in the environment."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", KEYS["access_key"])
    monkeypatch.setenv("BACKEND_SECRET_KEY", KEYS["secret_key"])


def test_newest_field_defaults(keys_in_env: None) -> None:
    """endpoint_type, domain, group, proxy map and timeouts have the newest upstream's defaults."""
    config = APIConfig()
    assert config.endpoint_type == "api"
    assert (config.domain, config.group) == ("default", "default")
    assert config.storage_proxy_address_map == {}
    assert config.connection_timeout == 10.0
    assert config.read_timeout == 0.0
    assert config.announcement_handler is None


@pytest.mark.parametrize(
    ("var", "text", "attribute", "want"),
    [
        ("BACKEND_ENDPOINT_TYPE", "session", "endpoint_type", "session"),
        ("BACKEND_DOMAIN", "research", "domain", "research"),
        ("BACKEND_GROUP", "team-a", "group", "team-a"),
        ("BACKEND_CONNECTION_TIMEOUT", "2.5", "connection_timeout", 2.5),
        ("BACKEND_READ_TIMEOUT", "30", "read_timeout", 30.0),
    ],
)
def test_newest_fields_from_env(  # noqa: PLR0917  # parametrized
    keys_in_env: None,
    monkeypatch: pytest.MonkeyPatch,
    var: str,
    text: str,
    attribute: str,
    want: Any,
) -> None:
    """Each newest field is read from its upstream env var."""
    monkeypatch.setenv(var, text)
    assert getattr(APIConfig(), attribute) == want


def test_timeouts_are_floats_from_every_layer(keys_in_env: None, user_file: Any) -> None:
    """Timeouts are floats whether a file gives an integer or an argument gives an int."""
    user_file("connection_timeout = 4\nread_timeout = 1.5\n")
    config = APIConfig(read_timeout=7)
    assert (config.connection_timeout, config.read_timeout) == (4.0, 7.0)
    assert type(config.connection_timeout) is float
    assert type(config.read_timeout) is float


@pytest.mark.parametrize("text", ["soon", "-1", "nan", "inf", ""])
def test_bad_timeout_in_env_is_an_error(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A timeout that is not a finite number of seconds, 0 or more, raises ConfigValueError."""
    monkeypatch.setenv("BACKEND_READ_TIMEOUT", text)
    with pytest.raises(ConfigValueError, match="BACKEND_READ_TIMEOUT: read_timeout"):
        APIConfig()


def test_endpoint_type_must_be_api_or_session(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An endpoint_type other than api or session is an error naming the choices."""
    monkeypatch.setenv("BACKEND_ENDPOINT_TYPE", "cookie")
    with pytest.raises(ConfigValueError, match="api, session"):
        APIConfig()


def test_storage_proxy_map_from_env_pairs(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BACKEND_OVERRIDE_STORAGE_PROXY holds k=v pairs separated by commas, split on the first =."""
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", "s1=http://p1:6021, s2 = http://p2?a=b")
    assert APIConfig().storage_proxy_address_map == {"s1": "http://p1:6021", "s2": "http://p2?a=b"}


@pytest.mark.parametrize("text", ["s1", "=http://p", "s1=", "s1=a,oops"])
def test_storage_proxy_map_bad_pairs_are_errors(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A pair without '=', with an empty key or an empty value, raises ConfigValueError."""
    monkeypatch.setenv("BACKEND_OVERRIDE_STORAGE_PROXY", text)
    with pytest.raises(ConfigValueError, match="BACKEND_OVERRIDE_STORAGE_PROXY"):
        APIConfig()


def test_storage_proxy_map_from_a_toml_table(keys_in_env: None, user_file: Any) -> None:
    """A file gives the proxy map as a TOML table."""
    user_file('[storage_proxy_address_map]\ns1 = "http://p1"\n"s 2" = "http://p2"\n')
    assert APIConfig().storage_proxy_address_map == {"s1": "http://p1", "s 2": "http://p2"}


def test_storage_proxy_map_from_an_argument(keys_in_env: None) -> None:
    """A mapping argument sets the proxy map; the property returns a copy."""
    config = APIConfig(storage_proxy_address_map={"s1": "http://p1"})
    config.storage_proxy_address_map["s1"] = "changed"  # type: ignore[index]
    assert config.storage_proxy_address_map == {"s1": "http://p1"}


def test_announcement_handler_is_an_argument_only(keys_in_env: None) -> None:
    """announcement_handler is kept from the argument and is no field of any other layer."""
    messages: list[str] = []
    config = APIConfig(announcement_handler=messages.append)
    config.announcement_handler("hello")  # type: ignore[misc]
    assert messages == ["hello"]
    assert "announcement_handler" not in FIELDS
    assert get_config().announcement_handler is None
    with pytest.raises(TypeError):
        resolve(announcement_handler=print)


def test_endpoint_array_in_a_file_gives_endpoints_in_order(
    keys_in_env: None, user_file: Any
) -> None:
    """A TOML array of endpoints keeps its order; endpoint is the first."""
    user_file('endpoint = ["https://one.example", "https://two.example"]\n')
    config = APIConfig()
    assert config.endpoints == [URL("https://one.example"), URL("https://two.example")]
    assert config.endpoint == URL("https://one.example")


def test_single_endpoint_rotation_is_harmless(keys_in_env: None) -> None:
    """rotate_endpoints() keeps a single endpoint; load_balance_endpoints() changes nothing."""
    config = APIConfig()
    config.rotate_endpoints()
    config.load_balance_endpoints()
    assert config.endpoints == [URL("https://api.backend.ai")]


def test_endpoints_list_is_a_copy(keys_in_env: None) -> None:
    """Changing the returned endpoints list does not change the config."""
    config = APIConfig(endpoint="https://a.example")
    config.endpoints.clear()
    assert config.endpoint == URL("https://a.example")


@pytest.mark.parametrize(
    ("line", "field", "wanted"),
    [
        ('skip_sslcert_validation = "yes"', "skip_sslcert_validation", "a boolean"),
        ('connection_timeout = "10"', "connection_timeout", "a number"),
        ("read_timeout = true", "read_timeout", "a number"),
        ('vfolder_mounts = "a,b"', "vfolder_mounts", "an array of strings"),
        ("vfolder_mounts = [1, 2]", "vfolder_mounts", "strings in the array"),
        ('storage_proxy_address_map = "s1=http://p"', "storage_proxy_address_map", "a table"),
        ("storage_proxy_address_map = { s1 = 1 }", "storage_proxy_address_map", "a string"),
        ("endpoint = 443", "endpoint", "a string or an array"),
        ("endpoint = []", "endpoint", "at least one URL"),
        ("domain = 5", "domain", "a string"),
        ('access_key = ["AK"]', "access_key", "a string"),
    ],
)
def test_wrong_toml_type_names_field_and_path_line(
    keys_in_env: None, user_file: Any, line: str, field: str, wanted: str
) -> None:
    """A value of the wrong TOML type raises ConfigValueError at path:line naming the field."""
    path = user_file(f"# a comment\n\n{line}\n")
    with pytest.raises(ConfigValueError) as info:
        APIConfig()
    message = str(info.value)
    assert message.startswith(f"{path}:3: {field}: ")
    assert wanted in message


def test_wrong_type_inside_a_profile_names_its_line(keys_in_env: None, user_file: Any) -> None:
    """A wrong type inside [profiles.NAME] is reported at that key's own line."""
    path = user_file('domain = "d"\n[profiles.x]\ndomain = "x"\ngroup = 7\n')
    with pytest.raises(ConfigValueError, match=f"^{path}:4: group: "):
        APIConfig()


def test_native_toml_types_are_accepted(keys_in_env: None, user_file: Any) -> None:
    """Booleans, numbers, arrays and tables in a file give the typed values."""
    user_file(
        "skip_sslcert_validation = true\n"
        "connection_timeout = 2.5\n"
        'vfolder_mounts = ["a", "b"]\n'
        'endpoint_type = "api"\n'
        'hash_type = "SHA1"\n'
    )
    config = APIConfig()
    assert config.skip_sslcert_validation is True
    assert config.connection_timeout == 2.5
    assert config.vfolder_mounts == ["a", "b"]
    assert config.hash_type == "sha1"


@pytest.mark.parametrize("name", list(FIELDS))
def test_a_table_is_only_accepted_for_the_proxy_map(name: str, user_file: Any) -> None:
    """An empty TOML table is the proxy map's value, and a type error for every other field."""
    user_file(f"{name} = {{}}\n")
    if name == "storage_proxy_address_map":
        assert resolve().values[name] == {}
        return
    with pytest.raises(ConfigValueError, match=f"{user_file.path}:1: {name}: expected"):
        resolve()
