"""Compatibility with ai.backend.client.config 19.03 (reference §2), and the deliberate changes.

Each test names one seed behaviour; the deliberate changes listed in DESIGN.md are
tested for their new behaviour at the end of the module.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

from layered_config import (
    DEFAULTS,
    APIConfig,
    ConfigValueError,
    LegacyEnvWarning,
    MissingValueError,
    bool_env,
    get_config,
    get_env,
    resolve,
    set_config,
)

KEYS = {"access_key": "AKCOMPAT", "secret_key": "sk-compat"}


@pytest.fixture
def keys_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a keypair in the environment, as a CI job would."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", KEYS["access_key"])
    monkeypatch.setenv("BACKEND_SECRET_KEY", KEYS["secret_key"])


# --- get_env -------------------------------------------------------------------------


def test_get_env_upper_cases_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """get_env('testkey') reads BACKEND_TESTKEY."""
    monkeypatch.setenv("BACKEND_TESTKEY", "value")
    assert get_env("testkey") == "value"


def test_get_env_prefers_backend_over_sorna(monkeypatch: pytest.MonkeyPatch) -> None:
    """BACKEND_<KEY> wins over SORNA_<KEY> when both are set."""
    monkeypatch.setenv("BACKEND_TESTKEY", "new")
    monkeypatch.setenv("SORNA_TESTKEY", "old")
    assert get_env("TESTKEY") == "new"


def test_get_env_falls_back_to_sorna(monkeypatch: pytest.MonkeyPatch) -> None:
    """SORNA_<KEY> is read when BACKEND_<KEY> is absent."""
    monkeypatch.setenv("SORNA_TESTKEY", "old")
    assert get_env("TESTKEY") == "old"


def test_get_env_empty_string_counts_as_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty BACKEND_ variable is returned: it blocks the SORNA_ fallback and the default."""
    monkeypatch.setenv("BACKEND_TESTKEY", "")
    monkeypatch.setenv("SORNA_TESTKEY", "old")
    assert get_env("TESTKEY", "default") == ""


def test_get_env_applies_clean_to_the_default() -> None:
    """clean converts the default as it would an env value."""
    assert get_env("TESTKEY", "no", clean=bool_env) is False
    assert get_env("TESTKEY", "a,b", clean=lambda v: v.split(",")) == ["a", "b"]


def test_get_env_applies_clean_to_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """clean converts the text of a found variable; it may be passed positionally."""
    monkeypatch.setenv("BACKEND_TESTKEY", "yes")
    assert get_env("TESTKEY", "no", bool_env) is True


def test_get_env_default_none_means_required() -> None:
    """With no variable and default=None, get_env raises KeyError of the upper-cased key."""
    with pytest.raises(KeyError) as info:
        get_env("testkey")
    assert info.value.args == ("TESTKEY",)
    assert str(info.value) == "'TESTKEY'"


@pytest.mark.parametrize("default", [0, "", [], False])
def test_get_env_returns_falsy_defaults(default: Any) -> None:
    """Any default other than None is returned, falsy ones included."""
    assert get_env("TESTKEY", default) == default


def test_get_env_never_reads_the_unprefixed_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare TESTKEY variable is not a source."""
    monkeypatch.setenv("TESTKEY", "bare")
    with pytest.raises(KeyError):
        get_env("TESTKEY")


def test_get_env_reads_the_environment_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """get_env does not cache: a changed variable is seen on the next call."""
    monkeypatch.setenv("BACKEND_TESTKEY", "one")
    assert get_env("TESTKEY") == "one"
    monkeypatch.setenv("BACKEND_TESTKEY", "two")
    assert get_env("TESTKEY") == "two"


# --- bool_env --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["y", "yes", "t", "true", "1", "Y", "YES", "True", "TRUE"])
def test_bool_env_true_spellings(text: str) -> None:
    """y, yes, t, true and 1, in any case, are True."""
    assert bool_env(text) is True


@pytest.mark.parametrize("text", ["n", "no", "f", "false", "0", "N", "No", "FALSE"])
def test_bool_env_false_spellings(text: str) -> None:
    """n, no, f, false and 0, in any case, are False."""
    assert bool_env(text) is False


@pytest.mark.parametrize("text", ["", " yes", "no ", "2", "on", "off", "ja"])
def test_bool_env_rejects_anything_else(text: str) -> None:
    """Any other text, surrounding spaces included, raises ValueError carrying the text."""
    with pytest.raises(ValueError, match="Unrecognized value of boolean") as info:
        bool_env(text)
    assert info.value.args[1] == text


# --- APIConfig: endpoint ---------------------------------------------------------------


def test_endpoint_default(keys_in_env: None) -> None:
    """With nothing set, the endpoint is the seed's https://api.backend.ai, as a URL."""
    config = APIConfig()
    assert config.endpoint == URL("https://api.backend.ai")
    assert isinstance(config.endpoint, URL)


def test_endpoint_from_env(keys_in_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """BACKEND_ENDPOINT sets the endpoint."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://env.example:8081/api/")
    assert APIConfig().endpoint == URL("https://env.example:8081/api/")


def test_endpoint_from_sorna_env(keys_in_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """SORNA_ENDPOINT sets the endpoint when BACKEND_ENDPOINT is absent."""
    monkeypatch.setenv("SORNA_ENDPOINT", "https://legacy.example")
    with pytest.warns(LegacyEnvWarning):
        assert APIConfig().endpoint == URL("https://legacy.example")


def test_endpoint_argument_beats_env(keys_in_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """An endpoint argument, str or URL, wins over the environment."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://env.example")
    assert APIConfig(endpoint="https://arg.example").endpoint == URL("https://arg.example")
    assert APIConfig(endpoint=URL("https://url.example")).endpoint == URL("https://url.example")


def test_endpoint_is_normalised_by_yarl_only(keys_in_env: None) -> None:
    """Scheme and host are lower-cased and a default port dropped; path and slash are kept."""
    assert str(APIConfig(endpoint="HTTP://EXAMPLE.com:80/x").endpoint) == "http://example.com/x"
    assert str(APIConfig(endpoint="http://a:1/api/").endpoint) == "http://a:1/api/"


@pytest.mark.parametrize("given", ["/relative", "example.com", URL("/relative")], ids=repr)
def test_relative_endpoint_argument_is_a_value_error(keys_in_env: None, given: Any) -> None:
    """A relative endpoint argument, str or URL, raises an error that is a ValueError."""
    with pytest.raises(ValueError, match="absolute") as info:
        APIConfig(endpoint=given)
    assert isinstance(info.value, ConfigValueError)


def test_relative_endpoint_in_env_is_a_value_error(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative BACKEND_ENDPOINT raises a ValueError naming the variable."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "/api")
    with pytest.raises(ValueError, match="BACKEND_ENDPOINT"):
        APIConfig()


# --- APIConfig: the other seed fields --------------------------------------------------


def test_version_default_and_argument(keys_in_env: None) -> None:
    """version defaults to v4.20190315 and an argument replaces it."""
    assert APIConfig().version == "v4.20190315"
    assert APIConfig(version="v5.20191215").version == "v5.20191215"


def test_version_and_hash_type_have_no_env_var(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BACKEND_VERSION and BACKEND_HASH_TYPE are ignored, as in the seed."""
    monkeypatch.setenv("BACKEND_VERSION", "v9.20250722")
    monkeypatch.setenv("BACKEND_HASH_TYPE", "md5")
    config = APIConfig()
    assert config.version == "v4.20190315"
    assert config.hash_type == "sha256"


def test_user_agent_default_and_argument(keys_in_env: None) -> None:
    """user_agent names the Python client by default, and an argument replaces it."""
    assert APIConfig().user_agent.startswith("Backend.AI Client for Python")
    assert APIConfig(user_agent="my-agent/1.0").user_agent == "my-agent/1.0"


def test_keys_from_env(keys_in_env: None) -> None:
    """BACKEND_ACCESS_KEY and BACKEND_SECRET_KEY give the keypair."""
    config = APIConfig()
    assert (config.access_key, config.secret_key) == (KEYS["access_key"], KEYS["secret_key"])


@pytest.mark.filterwarnings("ignore::layered_config.LegacyEnvWarning")
def test_keys_from_sorna_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """SORNA_ACCESS_KEY and SORNA_SECRET_KEY still work."""
    monkeypatch.setenv("SORNA_ACCESS_KEY", "AKSORNA")
    monkeypatch.setenv("SORNA_SECRET_KEY", "sk-sorna")
    config = APIConfig()
    assert (config.access_key, config.secret_key) == ("AKSORNA", "sk-sorna")


def test_key_arguments_beat_env(keys_in_env: None) -> None:
    """access_key and secret_key arguments win over the environment."""
    config = APIConfig(access_key="AKARG", secret_key="sk-arg")
    assert (config.access_key, config.secret_key) == ("AKARG", "sk-arg")


def test_hash_type_argument_is_lower_cased(keys_in_env: None) -> None:
    """hash_type defaults to sha256, and an argument is lower-cased."""
    assert APIConfig().hash_type == "sha256"
    assert APIConfig(hash_type="SHA512").hash_type == "sha512"


@pytest.mark.parametrize(
    "argument",
    ["endpoint", "version", "user_agent", "access_key", "secret_key", "hash_type"],
)
def test_empty_string_argument_counts_as_not_given(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, argument: str
) -> None:
    """An empty-string argument falls back to env or the default, as in the seed."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://env.example")
    reference = APIConfig()
    config = APIConfig(**{argument: ""})
    assert getattr(config, argument) == getattr(reference, argument)


@pytest.mark.parametrize("falsy", [None, "", [], ()], ids=repr)
def test_falsy_vfolder_mounts_argument_counts_as_not_given(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, falsy: Any
) -> None:
    """A falsy vfolder_mounts argument leaves the environment's list alone."""
    monkeypatch.setenv("BACKEND_VFOLDER_MOUNTS", "a,b")
    assert APIConfig(vfolder_mounts=falsy).vfolder_mounts == ["a", "b"]


def test_vfolder_mounts_default_is_an_empty_list(keys_in_env: None) -> None:
    """With nothing set, vfolder_mounts is an empty list."""
    mounts = APIConfig().vfolder_mounts
    assert mounts == []
    assert isinstance(mounts, list)


# --- skip_sslcert_validation -----------------------------------------------------------


def test_skip_sslcert_validation_defaults_to_false(keys_in_env: None) -> None:
    """With nothing set, certificates are checked."""
    assert APIConfig().skip_sslcert_validation is False


@pytest.mark.parametrize(
    ("text", "want"), [("yes", True), ("T", True), ("0", False), ("no", False)]
)
def test_skip_sslcert_validation_from_env(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, text: str, want: bool
) -> None:
    """BACKEND_SKIP_SSLCERT_VALIDATION takes the bool_env spellings."""
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", text)
    assert APIConfig().skip_sslcert_validation is want


@pytest.mark.parametrize("text", ["", "maybe", " yes"])
def test_skip_sslcert_validation_bad_env_is_a_value_error(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """An unrecognised BACKEND_SKIP_SSLCERT_VALIDATION, even '', raises ValueError."""
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", text)
    with pytest.raises(ValueError, match="BACKEND_SKIP_SSLCERT_VALIDATION"):
        APIConfig()


def test_false_argument_cannot_switch_off_env(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """skip_sslcert_validation=False is "flag absent", so an env yes stays in force."""
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", "yes")
    assert APIConfig(skip_sslcert_validation=False).skip_sslcert_validation is True


def test_true_argument_forces_skip_on(keys_in_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """skip_sslcert_validation=True wins over an env no."""
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", "no")
    assert APIConfig(skip_sslcert_validation=True).skip_sslcert_validation is True


def test_truthy_argument_is_kept_as_given(keys_in_env: None) -> None:
    """A truthy non-bool argument is kept as is: 'yes' stays 'yes'."""
    assert APIConfig(skip_sslcert_validation="yes").skip_sslcert_validation == "yes"  # type: ignore[arg-type]


# --- missing keys ----------------------------------------------------------------------


def test_missing_access_key_is_a_key_error_named_access_key() -> None:
    """With neither key set, the error is a KeyError whose args[0] is 'ACCESS_KEY'."""
    with pytest.raises(KeyError) as info:
        APIConfig()
    assert info.value.args[0] == "ACCESS_KEY"
    assert isinstance(info.value, MissingValueError)


def test_missing_secret_key_is_a_key_error_named_secret_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With only the access key set, the error is a KeyError whose args[0] is 'SECRET_KEY'."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AKONLY")
    with pytest.raises(KeyError) as info:
        APIConfig()
    assert info.value.args[0] == "SECRET_KEY"


def test_missing_key_message_says_where_it_looked_and_how_to_set_it(user_file: Any) -> None:
    """str() of the missing-key error names the places searched and how to set the key."""
    with pytest.raises(MissingValueError) as info:
        APIConfig()
    message = str(info.value)
    assert "access_key is not set" in message
    assert "BACKEND_ACCESS_KEY" in message
    assert "SORNA_ACCESS_KEY" in message
    assert str(user_file.path) in message
    assert "layered-config set access_key" in message


# --- properties and DEFAULTS -----------------------------------------------------------

PROPERTIES = [
    "endpoint", "endpoints", "endpoint_type", "domain", "group", "storage_proxy_address_map",
    "version", "user_agent", "access_key", "secret_key", "hash_type", "vfolder_mounts",
    "skip_sslcert_validation", "connection_timeout", "read_timeout", "announcement_handler",
    "resolution",
]  # fmt: skip


@pytest.mark.parametrize("name", PROPERTIES)
def test_properties_are_read_only(keys_in_env: None, name: str) -> None:
    """Assigning to or deleting a config property raises AttributeError."""
    config = APIConfig()
    with pytest.raises(AttributeError):
        setattr(config, name, getattr(config, name))
    with pytest.raises(AttributeError):
        delattr(config, name)


def test_defaults_is_the_seed_mapping() -> None:
    """DEFAULTS is the seed's endpoint, version and hash type, and APIConfig.DEFAULTS is it."""
    assert DEFAULTS == {
        "endpoint": "https://api.backend.ai",
        "version": "v4.20190315",
        "hash_type": "sha256",
    }
    assert APIConfig.DEFAULTS is DEFAULTS


# --- get_config / set_config -----------------------------------------------------------


def test_get_config_returns_the_same_object(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """get_config() builds once; later calls return that object even after env changes."""
    first = get_config()
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://changed.example")
    assert get_config() is first
    assert first.endpoint == URL("https://api.backend.ai")


def test_get_config_does_not_cache_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed get_config() stores nothing, so the next call sees the fixed environment."""
    with pytest.raises(KeyError):
        get_config()
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AKLATER")
    monkeypatch.setenv("BACKEND_SECRET_KEY", "sk-later")
    assert get_config().access_key == "AKLATER"


def test_set_config_replaces_and_none_resets(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """set_config(conf) makes get_config() return conf; set_config(None) rebuilds on next use."""
    mine = APIConfig(domain="mine")
    set_config(mine)
    assert get_config() is mine
    set_config(None)
    monkeypatch.setenv("BACKEND_DOMAIN", "rebuilt")
    rebuilt = get_config()
    assert rebuilt is not mine
    assert rebuilt.domain == "rebuilt"


def test_get_config_is_built_once_across_threads(keys_in_env: None) -> None:
    """Threads racing into get_config() all receive one and the same object."""
    barrier = threading.Barrier(8)
    results: list[APIConfig] = []

    def worker() -> None:
        barrier.wait()
        results.append(get_config())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert len({id(config) for config in results}) == 1


def test_config_is_resolved_once_at_construction(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A built APIConfig keeps its values when the environment changes afterwards."""
    config = APIConfig()
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://later.example")
    monkeypatch.setenv("BACKEND_ACCESS_KEY", "AKLATER")
    assert config.endpoint == URL("https://api.backend.ai")
    assert config.access_key == KEYS["access_key"]


def test_resolve_treats_only_none_as_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """resolve() keeps '' and False as given values, unlike APIConfig's falsy rule."""
    monkeypatch.setenv("BACKEND_DOMAIN", "env-domain")
    monkeypatch.setenv("BACKEND_SKIP_SSLCERT_VALIDATION", "yes")
    resolution = resolve(domain="", group=None, skip_sslcert_validation=False)
    assert resolution.values["domain"] == ""
    assert resolution.origin("domain").source == "argument"
    assert resolution.values["group"] == "default"
    assert resolution.values["skip_sslcert_validation"] is False


# --- deliberate changes: the new behaviour ---------------------------------------------


def test_vfolder_mounts_is_an_ordered_union_without_duplicates(
    keys_in_env: None, user_file: Any, system_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every layer's mounts are merged, highest layer first, each mount once."""
    system_file('vfolder_mounts = ["sys", "shared"]\n')
    user_file('vfolder_mounts = ["user", "shared"]\n')
    monkeypatch.setenv("BACKEND_VFOLDER_MOUNTS", "env,shared")
    config = APIConfig(vfolder_mounts=["arg", "env"])
    assert config.vfolder_mounts == ["arg", "env", "shared", "user", "sys"]


def test_vfolder_mounts_tokens_are_stripped_and_empty_ones_dropped(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """' a, b,,c ' gives ['a', 'b', 'c'], not the seed's tokens with spaces and blanks."""
    monkeypatch.setenv("BACKEND_VFOLDER_MOUNTS", " a, b,,c ")
    assert APIConfig().vfolder_mounts == ["a", "b", "c"]


def test_vfolder_mounts_string_argument_is_split_on_commas(keys_in_env: None) -> None:
    """A string argument is a comma-separated list, not a sequence of characters."""
    assert APIConfig(vfolder_mounts="data, models").vfolder_mounts == ["data", "models"]


def test_hash_type_must_name_a_hashlib_algorithm(keys_in_env: None) -> None:
    """An unknown hash_type is rejected when the config is built, as a ValueError."""
    with pytest.raises(ValueError, match="hash_type"):
        APIConfig(hash_type="bogus")


def test_dotenv_files_are_never_loaded(
    keys_in_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .env in the working directory or a parent neither sets values nor touches os.environ."""
    parent = tmp_path / "repo"
    child = parent / "sub"
    child.mkdir(parents=True)
    for folder in (parent, child):
        (folder / ".env").write_text("BACKEND_ENDPOINT=https://evil.example\nBACKEND_DOMAIN=evil\n")
    monkeypatch.chdir(child)
    config = APIConfig()
    assert config.endpoint == URL("https://api.backend.ai")
    assert config.domain == "default"
    assert get_env("ENDPOINT", "unset") == "unset"


def test_several_endpoints_keep_their_order_and_rotate(
    keys_in_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Comma-separated endpoints are kept in order, and rotate_endpoints() cycles them."""
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://a.example, https://b.example,https://c.example")
    config = APIConfig()
    names = ["https://a.example", "https://b.example", "https://c.example"]
    assert [str(url) for url in config.endpoints] == names
    seen = []
    for _ in range(4):
        seen.append(str(config.endpoint))
        config.rotate_endpoints()
    assert seen == [*names, names[0]]


def test_session_mode_uses_dummy_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoint_type=session needs no keys: both become 'dummy', even over given ones."""
    monkeypatch.setenv("BACKEND_ENDPOINT_TYPE", "session")
    config = APIConfig(access_key="AKIGNORED")
    assert (config.access_key, config.secret_key) == ("dummy", "dummy")


def test_session_dummy_keys_are_the_default_winner() -> None:
    """In session mode, explain shows the dummy key as the default's winner, with the reason."""
    resolution = resolve(endpoint_type="session")
    for name in ("access_key", "secret_key"):
        winners = [e for e in resolution.explain(name) if e.status == "winner"]
        assert [(w.source, w.value, w.reason) for w in winners] == [
            ("default", "dummy", "endpoint_type=session")
        ]
        assert resolution.origin(name).source == "default"


def test_sorna_variable_warns_once_per_name() -> None:
    """Each SORNA_ name draws one LegacyEnvWarning per process, however often it is read."""
    environ = {"SORNA_ENDPOINT": "https://old.example", "SORNA_DOMAIN": "old"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        resolve(environ=environ)
        resolve(environ=environ)
    legacy = [str(w.message) for w in caught if issubclass(w.category, LegacyEnvWarning)]
    assert sorted(legacy) == [
        "SORNA_DOMAIN is deprecated; rename it to BACKEND_DOMAIN",
        "SORNA_ENDPOINT is deprecated; rename it to BACKEND_ENDPOINT",
    ]
    assert issubclass(LegacyEnvWarning, DeprecationWarning)


def test_get_env_stays_silent_about_sorna(monkeypatch: pytest.MonkeyPatch) -> None:
    """get_env reads a SORNA_ variable without any warning."""
    monkeypatch.setenv("SORNA_ENDPOINT", "https://old.example")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert get_env("ENDPOINT") == "https://old.example"


def test_legacy_warning_can_be_filtered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turning LegacyEnvWarning into an error makes the SORNA_ read fail loudly."""
    monkeypatch.setenv("SORNA_DOMAIN", "old")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LegacyEnvWarning)
        with pytest.raises(LegacyEnvWarning, match="SORNA_DOMAIN"):
            resolve()
