"""Precedence: default < system file < keyring < user file < env < argument; later wins."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import argument_value, env_text, expected, layer_stacks, toml_text

from layered_config import (
    FIELDS,
    ArgumentSource,
    DefaultsSource,
    EnvSource,
    FileSource,
    Resolution,
    Resolver,
    resolve,
)
from layered_config._fields import env_names
from layered_config.sources import _tomlfile

AK, SK = "AKPRECEDENCE", "sk-precedence"


def statuses(resolution: Resolution, name: str) -> list[tuple[str, str]]:
    """Return (source, status) for each explain entry that offered a value."""
    return [
        (entry.source, entry.status)
        for entry in resolution.explain(name)
        if entry.status in ("winner", "shadowed")
    ]


def test_system_file_beats_default(system_file: Any) -> None:
    """A value in the system file replaces the built-in default."""
    system_file('domain = "from-system"\n')
    resolution = resolve()
    assert resolution.values["domain"] == "from-system"
    assert statuses(resolution, "domain") == [("file", "winner"), ("default", "shadowed")]


def test_keyring_beats_system_file(system_file: Any, memory_keyring: Any) -> None:
    """The keyring's secret replaces a secret written in the system file."""
    system_file(f'access_key = "{AK}"\nsecret_key = "system-secret"\n')
    memory_keyring.secrets["backend.ai", AK] = "keyring-secret"
    resolution = resolve()
    assert resolution.values["secret_key"] == "keyring-secret"
    assert resolution.origin("secret_key").source == "keyring"
    assert statuses(resolution, "secret_key") == [("keyring", "winner"), ("file", "shadowed")]


def test_user_file_beats_keyring(user_file: Any, memory_keyring: Any) -> None:
    """A secret in the user file wins, and the keyring is not asked at all."""
    user_file(f'access_key = "{AK}"\nsecret_key = "user-secret"\n')
    memory_keyring.secrets["backend.ai", AK] = "keyring-secret"
    resolution = resolve()
    assert resolution.values["secret_key"] == "user-secret"
    [keyring_entry] = [e for e in resolution.explain("secret_key") if e.source == "keyring"]
    assert keyring_entry.status == "skipped"


def test_user_file_beats_system_file(system_file: Any, user_file: Any) -> None:
    """The user file's value replaces the system file's."""
    system_file('group = "system-group"\n')
    user_file('group = "user-group"\n')
    resolution = resolve()
    assert resolution.values["group"] == "user-group"
    assert resolution.origin("group").location == f"{user_file.path}:1"


def test_env_beats_user_file(user_file: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment variable replaces the user file's value."""
    user_file('endpoint = "https://file.example"\n')
    monkeypatch.setenv("BACKEND_ENDPOINT", "https://env.example")
    resolution = resolve()
    assert str(resolution.values["endpoint"][0]) == "https://env.example"
    assert statuses(resolution, "endpoint") == [
        ("env", "winner"),
        ("file", "shadowed"),
        ("default", "shadowed"),
    ]


def test_argument_beats_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A keyword argument replaces the environment variable's value."""
    monkeypatch.setenv("BACKEND_DOMAIN", "env-domain")
    resolution = resolve(domain="arg-domain")
    assert resolution.values["domain"] == "arg-domain"
    assert statuses(resolution, "domain")[:2] == [("argument", "winner"), ("env", "shadowed")]


LAYERS = ("system", "user", "env", "argument")


@pytest.mark.parametrize(
    "setters",
    [combo for n in range(len(LAYERS) + 1) for combo in itertools.combinations(LAYERS, n)],
    ids=lambda combo: "+".join(combo) or "none",
)
def test_highest_layer_wins_for_any_combination(
    setters: tuple[str, ...], system_file: Any, user_file: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever layers set domain, the highest wins and explain crowns exactly that one."""
    arguments = {}
    if "system" in setters:
        system_file('domain = "system"\n')
    if "user" in setters:
        user_file('domain = "user"\n')
    if "env" in setters:
        monkeypatch.setenv("BACKEND_DOMAIN", "env")
    if "argument" in setters:
        arguments["domain"] = "argument"
    resolution = resolve(**arguments)

    winner = setters[-1] if setters else "default"
    assert resolution.values["domain"] == winner
    entries = resolution.explain("domain")
    assert [e.value for e in entries if e.status == "winner"] == [winner]
    first_offer = next(i for i, e in enumerate(entries) if e.status in ("winner", "shadowed"))
    assert entries[first_offer].status == "winner"
    for entry in entries[first_offer + 1 :]:
        assert entry.status in ("shadowed", "absent"), entry
    for entry in entries[:first_offer]:
        assert entry.status == "absent", entry


def build_layer(kind: str, values: dict[str, Any], path: Path) -> Any:
    """Make one source of ``kind`` that sets ``values`` (plain generated values)."""
    if kind == "env":
        environ = {env_names(FIELDS[n])[0]: env_text(n, v) for n, v in values.items()}
        return EnvSource(environ)
    if kind == "file":
        path.write_text(toml_text(values))
        path.chmod(0o600)
        return FileSource(path)
    return ArgumentSource({n: argument_value(n, v) for n, v in values.items()})


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stack=layer_stacks())
def test_later_layer_wins_in_any_stack(
    stack: list[tuple[str, dict[str, Any]]], tmp_path: Path
) -> None:
    """In any stack of layers, each field takes the highest layer's value; unions merge in order."""
    _tomlfile._cache.clear()
    folder = tmp_path / f"stack-{id(stack)}"
    folder.mkdir(exist_ok=True)
    sources = [DefaultsSource()]
    sources += [build_layer(k, v, folder / f"{i}.toml") for i, (k, v) in enumerate(stack)]
    resolution = Resolver(sources).resolve()

    for name in FIELDS:
        offers = [expected(name, values[name]) for _, values in stack if name in values]
        if not offers:
            continue
        if FIELDS[name].union:
            want = tuple(dict.fromkeys(t for offer in reversed(offers) for t in offer))
            assert resolution.values[name] == want
            continue
        assert resolution.values[name] == offers[-1], name
        entries = resolution.explain(name)
        ranked = [e for e in entries if e.status in ("winner", "shadowed")]
        assert [e.status for e in ranked] == ["winner"] + ["shadowed"] * (len(ranked) - 1)
        assert ranked[0].value == offers[-1]
