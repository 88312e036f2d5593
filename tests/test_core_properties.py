"""Property tests: any input gives a valid config or a LayeredConfigError, never a bare error.

Hypothesis runs with ``deadline=None``: no test depends on wall-clock time.
"""

from __future__ import annotations

import contextlib
import itertools
import warnings
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from strategies import (
    arguments_of_any_type,
    check_converted,
    documents_with_lines,
    environments,
    toml_texts,
    toml_values,
)

from layered_config import (
    FIELDS,
    APIConfig,
    LayeredConfigError,
    Resolution,
    resolve,
)
from layered_config._masking import redact_urls
from layered_config.sources import _tomlfile

PROPERTY = settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_names = itertools.count()


def fresh_file(folder: Path, content: str | bytes) -> Path:
    """Write ``content`` to a new file in ``folder`` and forget every parsed file."""
    _tomlfile._cache.clear()
    path = folder / f"config-{next(_names)}.toml"
    path.write_bytes(
        content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    )
    path.chmod(0o600)
    return path


def use_everything(resolution: Resolution) -> None:
    """Touch every value, origin, location and explain entry, then build the config."""
    for name in FIELDS:
        if name in resolution.values:
            check_converted(name, resolution.values[name])
        origin = resolution.origin(name)
        if origin is not None:
            assert isinstance(origin.location, str | None)
        for entry in resolution.explain(name):
            repr(entry)
            assert isinstance(entry.location, str | None)
    repr(resolution)
    config = resolution.config
    repr(config)
    assert config.endpoint == config.endpoints[0]


def settle(action: Any) -> None:
    """Run ``action``; a LayeredConfigError is an acceptable outcome, anything else is not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(LayeredConfigError):
            action()


@PROPERTY
@given(environ=environments())
def test_any_environment_gives_a_config_or_a_layered_error(environ: dict[str, str]) -> None:
    """Random text in any env var that is read raises nothing but LayeredConfigError."""
    _tomlfile._cache.clear()
    settle(lambda: use_everything(resolve(environ=environ)))


@PROPERTY
@given(content=toml_texts(), profile=st.sampled_from([None, "p"]))
@example(content="a = " + "[" * 2000, profile=None)
@example(content="connection_timeout = 1" + "0" * 400, profile=None)
@example(content=b"\xef\xbb\xbfdomain = 'bom'\n", profile=None)
def test_any_file_gives_a_config_or_a_layered_error(
    content: str | bytes, profile: str | None, tmp_path: Path
) -> None:
    """Random, truncated or binary file contents never raise anything but LayeredConfigError."""
    path = fresh_file(tmp_path, content)
    settle(
        lambda: use_everything(
            resolve(config_file=path, profile=profile, access_key="a", secret_key="s")
        )
    )


@PROPERTY
@given(name=st.sampled_from(list(FIELDS)), value=toml_values())
@example(name="connection_timeout", value=10**400)
@example(name="storage_proxy_address_map", value={"": "x"})
@example(name="endpoint", value=[])
def test_any_toml_type_in_any_field_gives_a_config_or_a_layered_error(
    name: str, value: Any, tmp_path: Path
) -> None:
    """A value of any TOML type in any field is taken with the right type or rejected cleanly."""
    try:
        content = tomlkit.dumps({name: value})
    except Exception:  # tomlkit cannot write every generated value
        assume(False)
    path = fresh_file(tmp_path, content)
    settle(lambda: use_everything(resolve(config_file=path, access_key="a", secret_key="s")))


@PROPERTY
@given(name=st.sampled_from(list(FIELDS)), value=arguments_of_any_type())
@example(name="read_timeout", value=10**400)
@example(name="endpoint", value=())
@example(name="storage_proxy_address_map", value={1: "x"})
def test_any_argument_gives_a_config_or_a_layered_error(name: str, value: Any) -> None:
    """Any object as any keyword argument is taken with the right type or rejected cleanly."""
    keys = {"access_key": "a", "secret_key": "s"}
    settle(lambda: use_everything(resolve(**{**keys, name: value})))
    settle(lambda: APIConfig(**{**keys, name: value}))


@PROPERTY
@given(document=documents_with_lines())
def test_every_key_location_is_its_own_line(
    document: tuple[str, dict[tuple[str | None, str], int]], tmp_path: Path
) -> None:
    """Between comments, multi-line strings, arrays and quoted keys, each key gets its own line."""
    text, lines = document
    path = fresh_file(tmp_path, text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resolution = resolve(config_file=path, profile="p")
    for (profile, name), line in lines.items():
        entries = [
            e for e in resolution.explain(name)
            if e.source == "file" and e.profile == profile and e.status in ("winner", "shadowed")
        ]  # fmt: skip
        assert [e.location for e in entries] == [f"{path}:{line}"], (profile, name)


_password = st.text(
    st.characters(categories=["L", "N"], include_characters="-_.~!$&()*+;="),
    min_size=1,
    max_size=12,
).map(lambda text: "pw-" + text)


@PROPERTY
@given(
    password=_password,
    user=st.sampled_from(["u", "", "user.name"]),
    host=st.sampled_from(["h", "h:8080", "h/p?q=1"]),
)
def test_url_passwords_are_redacted(password: str, user: str, host: str) -> None:
    """A URL's password never survives redaction, inside any surrounding text."""
    text = f"value (got https://{user}:{password}@{host}, and more)"
    assert password not in redact_urls(text)
