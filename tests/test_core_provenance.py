"""Provenance: every value's origin, and explain() listing every layer highest first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from layered_config import MISSING, APIConfig, Origin, get_config, resolve

AK = "AKPROVENANCE"

TRICKY = '''\
# comment with endpoint = "https://not-a-key.example"
notes = """
domain = "inside a multi-line string"
"""
literal = \'\'\'
group = 'also inside'\'\'\'
vfolder_mounts = [
  "a", # a comment ]
  "b",
]
"endpoint" = "https://quoted.example"
domain = "real-domain"  # trailing comment

[profiles.x]
group = "x-group"
'''


def test_file_origin_is_absolute_path_and_the_keys_own_line(user_file: Any) -> None:
    """A file value's location is '<absolute path>:<line>' of its key, after strings and arrays."""
    path = user_file(TRICKY)
    with pytest.warns(UserWarning, match="unknown key"):
        resolution = resolve(profile="x")
    assert resolution.origin("vfolder_mounts").location == f"{path}:7"
    assert resolution.origin("endpoint").location == f"{path}:11"
    assert resolution.origin("domain").location == f"{path}:12"
    group = resolution.origin("group")
    assert (group.profile, group.location) == ("x", f"{path}:15")
    assert Path(str(path)).is_absolute()


def test_relative_config_file_is_reported_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative BACKEND_CONFIG_FILE is reported as an absolute path."""
    Path("my.toml").write_text('domain = "d"\n')
    monkeypatch.setenv("BACKEND_CONFIG_FILE", "my.toml")
    location = resolve().origin("domain").location
    assert location == f"{Path.cwd() / 'my.toml'}:1"


def test_config_file_argument_replaces_the_user_file(tmp_path: Path, user_file: Any) -> None:
    """The config_file argument is read instead of the platformdirs user file."""
    user_file('domain = "platformdirs"\n')
    other = tmp_path / "other.toml"
    other.write_text('\ndomain = "chosen"\n')
    resolution = resolve(config_file=other)
    assert resolution.values["domain"] == "chosen"
    assert resolution.origin("domain").location == f"{other}:2"


def test_env_origin_names_the_variable_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """An env value's location is the variable actually read: SORNA_ when only that is set."""
    monkeypatch.setenv("BACKEND_DOMAIN", "new")
    monkeypatch.setenv("SORNA_GROUP", "old")
    with pytest.warns(DeprecationWarning):
        resolution = resolve()
    assert resolution.origin("domain") == Origin("env", None, "BACKEND_DOMAIN")
    assert resolution.origin("group") == Origin("env", None, "SORNA_GROUP")


def test_default_and_argument_origins_have_no_location() -> None:
    """Defaults and arguments have no location and no profile."""
    resolution = resolve(domain="given")
    assert resolution.origin("domain").as_dict() == {
        "source": "argument",
        "profile": None,
        "location": None,
    }
    assert resolution.origin("group").as_dict() == {
        "source": "default",
        "profile": None,
        "location": None,
    }


def test_keyring_origin_names_backend_service_and_username(memory_keyring: Any) -> None:
    """A keyring secret's location is '<backend> service=backend.ai username=<access key>'."""
    memory_keyring.secrets["backend.ai", AK] = "keyring-secret"
    origin = resolve(access_key=AK).origin("secret_key")
    assert origin.source == "keyring"
    assert origin.location == f"{type(memory_keyring).name} service=backend.ai username={AK}"


def test_unset_field_has_no_origin() -> None:
    """A required field that no layer set has no origin and is listed as missing."""
    resolution = resolve()
    assert resolution.origin("access_key") is None
    assert resolution.missing == ("access_key", "secret_key")
    assert "access_key" not in resolution.origins


def test_explain_lists_every_layer_highest_first(
    system_file: Any, user_file: Any, memory_keyring: Any
) -> None:
    """explain lists argument, env (two names), user file, keyring, system file, default."""
    system_file('secret_key = "sys"\n')
    user_file(f'access_key = "{AK}"\n')
    entries = resolve().explain("secret_key")
    assert [(e.source, e.location) for e in entries] == [
        ("argument", None),
        ("env", "BACKEND_SECRET_KEY"),
        ("env", "SORNA_SECRET_KEY"),
        ("file", str(user_file.path)),
        ("keyring", f"{type(memory_keyring).name} service=backend.ai username={AK}"),
        ("file", f"{system_file.path}:1"),
        ("default", None),
    ]
    assert [e.status for e in entries] == [
        "absent", "absent", "absent", "absent", "absent", "winner", "absent"
    ]  # fmt: skip


def test_missing_file_is_one_absent_entry(user_file: Any, system_file: Any) -> None:
    """An absent file gives one absent entry: its path, no line, reason 'file not found'."""
    entries = [e for e in resolve().explain("domain") if e.source == "file"]
    assert [(e.location, e.status, e.reason) for e in entries] == [
        (str(user_file.path), "absent", "file not found"),
        (str(system_file.path), "absent", "file not found"),
    ]
    assert all(entry.value is MISSING for entry in entries)


def test_env_gives_both_backend_and_sorna_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The env layer lists BACKEND_X and SORNA_X; with both set, the SORNA_ one is shadowed."""
    monkeypatch.setenv("BACKEND_DOMAIN", "new")
    monkeypatch.setenv("SORNA_DOMAIN", "old")
    env = [e for e in resolve().explain("domain") if e.source == "env"]
    assert [(e.location, e.status, e.value) for e in env] == [
        ("BACKEND_DOMAIN", "winner", "new"),
        ("SORNA_DOMAIN", "shadowed", "old"),
    ]


def test_keyring_skipped_when_a_higher_layer_gives_the_secret(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: Any
) -> None:
    """With the secret in env, the keyring entry is skipped: 'a higher layer gave the value'."""
    memory_keyring.secrets["backend.ai", AK] = "keyring-secret"
    monkeypatch.setenv("BACKEND_ACCESS_KEY", AK)
    monkeypatch.setenv("BACKEND_SECRET_KEY", "env-secret")
    resolution = resolve()
    [entry] = [e for e in resolution.explain("secret_key") if e.source == "keyring"]
    assert (entry.status, entry.reason, entry.value) == (
        "skipped",
        "a higher layer gave the value",
        MISSING,
    )
    assert resolution.values["secret_key"] == "env-secret"


def test_shadowed_entry_says_who_wins(monkeypatch: pytest.MonkeyPatch, user_file: Any) -> None:
    """A shadowed entry's reason names the winning layer."""
    user_file('domain = "file"\n')
    monkeypatch.setenv("BACKEND_DOMAIN", "env")
    [file_entry] = [
        e for e in resolve().explain("domain") if e.source == "file" and e.value == "file"
    ]
    assert file_entry.status == "shadowed"
    assert "BACKEND_DOMAIN" in (file_entry.reason or "")


def test_union_field_crowns_every_contributing_layer(
    monkeypatch: pytest.MonkeyPatch, user_file: Any
) -> None:
    """For vfolder_mounts, each layer that contributed is a winner."""
    user_file('vfolder_mounts = ["f"]\n')
    monkeypatch.setenv("BACKEND_VFOLDER_MOUNTS", "e")
    entries = resolve(vfolder_mounts=["a"]).explain("vfolder_mounts")
    winners = {e.source: e.value for e in entries if e.status == "winner" and e.value}
    assert winners == {"argument": ("a",), "env": ("e",), "file": ("f",)}


def test_explain_can_be_called_again(monkeypatch: pytest.MonkeyPatch, memory_keyring: Any) -> None:
    """Calling explain twice gives the same statuses: the record is not consumed."""
    memory_keyring.secrets["backend.ai", AK] = "s"
    monkeypatch.setenv("BACKEND_DOMAIN", "env")
    resolution = resolve(access_key=AK)
    for name in ("domain", "secret_key"):
        first = [(e.source, e.status, e.reason) for e in resolution.explain(name)]
        second = [(e.source, e.status, e.reason) for e in resolution.explain(name)]
        assert first == second


def test_explain_of_an_unknown_field_is_a_key_error() -> None:
    """explain() of a name that is no field raises KeyError."""
    with pytest.raises(KeyError):
        resolve().explain("endpont")


def test_every_config_links_back_to_its_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    """APIConfig(), resolve().config and get_config() each link back to their resolution."""
    monkeypatch.setenv("BACKEND_ACCESS_KEY", AK)
    monkeypatch.setenv("BACKEND_SECRET_KEY", "s")
    resolution = resolve(domain="d")
    assert resolution.config.resolution is resolution
    assert resolution.config is resolution.config
    direct = APIConfig(group="g")
    assert direct.resolution.config is direct
    assert direct.resolution.origin("group").source == "argument"
    shared = get_config()
    assert shared.resolution.config is shared
    assert shared.resolution.origin("access_key").location == "BACKEND_ACCESS_KEY"


def test_origins_are_json_ready(user_file: Any) -> None:
    """Every origin turns into a JSON object of source, profile and location."""
    user_file('domain = "d"\n')
    origins = resolve().origins
    text = json.dumps({name: origin.as_dict() for name, origin in origins.items()})
    assert json.loads(text)["domain"]["location"] == f"{user_file.path}:1"


LAZY_CHECK = """
import sys
from layered_config import get_config
config = get_config()
print("after get_config:", "layered_config.sources._toml_lines" in sys.modules)
print("location:", config.resolution.origin("domain").location)
print("after location:", "layered_config.sources._toml_lines" in sys.modules)
"""


def test_line_numbers_are_computed_only_when_read(user_file: Any, run_python: Any) -> None:
    """get_config() never loads the line scanner; reading a file location does."""
    path = user_file('domain = "d"\naccess_key = "AK"\nsecret_key = "s"\n')
    result = run_python(LAZY_CHECK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "after get_config: False",
        f"location: {path}:1",
        "after location: True",
    ]


def test_complete_explain_asks_the_keyring_anyway(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: Any
) -> None:
    """explain(complete=True) asks the skipped keyring, so its offer shows as shadowed."""
    memory_keyring.secrets["backend.ai", AK] = "keyring-secret"
    monkeypatch.setenv("BACKEND_SECRET_KEY", "env-secret")
    resolution = resolve(access_key=AK)
    [quick] = [e for e in resolution.explain("secret_key") if e.source == "keyring"]
    [full] = [e for e in resolution.explain("secret_key", complete=True) if e.source == "keyring"]
    assert quick.status == "skipped"
    assert (full.status, full.value) == ("shadowed", "keyring-secret")
    assert resolution.values["secret_key"] == "env-secret"
