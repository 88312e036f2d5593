"""The public surface: a pinned, sorted __all__, docstrings, and cheap imports."""

from __future__ import annotations

import ast
import inspect
import types
from pathlib import Path
from typing import Any

import pytest

import layered_config

PUBLIC = [
    "DEFAULTS",
    "FIELDS",
    "MISSING",
    "APIConfig",
    "ArgumentSource",
    "Candidate",
    "ConfigFileError",
    "ConfigValueError",
    "ConfigWriteError",
    "DefaultsSource",
    "EnvSource",
    "Field",
    "FileSource",
    "KeyringSource",
    "LayeredConfigError",
    "LayeredConfigWarning",
    "LegacyEnvWarning",
    "LockTimeoutError",
    "MissingValueError",
    "Origin",
    "PermissionWarning",
    "Query",
    "Reading",
    "Resolution",
    "Resolver",
    "SecretStoreError",
    "Source",
    "UnknownKeyWarning",
    "UnknownProfileError",
    "__version__",
    "bool_env",
    "default_sources",
    "get_config",
    "get_env",
    "resolve",
    "set_config",
]

# Data has no __doc__ of its own: its docstring is the string after its assignment.
DATA_MODULES = {
    "DEFAULTS": "layered_config._fields",
    "FIELDS": "layered_config._fields",
    "MISSING": "layered_config._origin",
}


def ruff_order(name: str) -> tuple[int, str]:
    """Sort key of ruff's RUF022: CONSTANTS, then CamelCase, then everything else."""
    if name.isupper():
        return (0, name)
    if name[0].isupper():
        return (1, name)
    return (2, name)


def test_all_is_pinned() -> None:
    """__all__ lists exactly the supported names; changing it is a deliberate API change."""
    assert layered_config.__all__ == PUBLIC


def test_all_is_sorted() -> None:
    """__all__ is kept in ruff's sorted order: constants, classes, then functions."""
    assert layered_config.__all__ == sorted(layered_config.__all__, key=ruff_order)


def test_all_is_every_public_name() -> None:
    """Every public attribute of the package is in __all__, and every name in it exists."""
    public = {
        name
        for name, value in vars(layered_config).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public | {"__version__"} == set(layered_config.__all__)
    for name in layered_config.__all__:
        assert hasattr(layered_config, name)


def attribute_docstring(module_name: str, name: str) -> str | None:
    """Return the string literal right after ``name = ...`` in a module's source."""
    module = __import__(module_name, fromlist=["_"])
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    for node, after in zip(tree.body, tree.body[1:], strict=False):
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
        if named and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            return str(after.value.value)
    return None


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_a_docstring(name: str) -> None:
    """Each public name documents itself: its own __doc__, or an attribute docstring for data."""
    if name == "__version__":
        doc = layered_config._version.__doc__
    elif name in DATA_MODULES:
        doc = attribute_docstring(DATA_MODULES[name], name)
    else:
        value = getattr(layered_config, name)
        # A class's own docstring, not one inherited from its base.
        doc = vars(value).get("__doc__") if isinstance(value, type) else value.__doc__
    assert doc, name
    assert doc.strip()


@pytest.mark.parametrize(
    "name", [n for n in PUBLIC if isinstance(getattr(layered_config, n), type)]
)
def test_public_methods_have_docstrings(name: str) -> None:
    """Each public method and property of a public class has a docstring."""
    for attr, value in vars(getattr(layered_config, name)).items():
        if attr.startswith("_"):
            continue
        member = value.__func__ if isinstance(value, staticmethod | classmethod) else value
        if callable(member) or isinstance(member, property):
            assert (member.__doc__ or "").strip(), f"{name}.{attr}"


def test_version_is_a_string() -> None:
    """__version__ is a plain version string, used in the default user agent."""
    assert isinstance(layered_config.__version__, str)
    assert layered_config.__version__ in layered_config.FIELDS["user_agent"].default


IMPORT_CHECK = """
import sys
import layered_config
heavy = ["keyring", "tomlkit", "platformdirs"]
print(",".join(name for name in heavy if name in sys.modules) or "none")
"""

GET_CONFIG_CHECK = """
import sys
from layered_config import get_config
config = get_config()
assert config.secret_key == "env-secret", config
print(",".join(name for name in ["keyring", "tomlkit"] if name in sys.modules) or "none")
"""


def test_import_loads_no_heavy_dependency(run_python: Any) -> None:
    """import layered_config loads neither keyring nor tomlkit nor platformdirs."""
    result = run_python(IMPORT_CHECK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def test_get_config_with_env_secret_loads_no_keyring_or_tomlkit(
    run_python: Any, user_file: Any
) -> None:
    """get_config() with the secret in env, and a user file, imports neither keyring nor tomlkit."""
    user_file('domain = "from-file"\nendpoint = "https://file.example"\n')
    env = {"BACKEND_ACCESS_KEY": "AK", "BACKEND_SECRET_KEY": "env-secret"}
    result = run_python(GET_CONFIG_CHECK, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


def test_a_custom_chain_is_plain_data(tmp_path: Path) -> None:
    """A Resolver takes any tuple of sources, and the caller may drop or reorder layers."""
    env = layered_config.EnvSource({"BACKEND_DOMAIN": "env"})
    arguments = layered_config.ArgumentSource({"domain": "argument"})
    defaults = layered_config.DefaultsSource()
    assert layered_config.Resolver([defaults, env, arguments]).resolve().values["domain"] == (
        "argument"
    )
    assert layered_config.Resolver([defaults, arguments, env]).resolve().values["domain"] == "env"
    assert layered_config.Resolver([env]).resolve().values == {"domain": "env"}


def test_default_sources_are_in_precedence_order(tmp_path: Path) -> None:
    """default_sources() is default, system file, keyring, user file, env, argument."""
    sources = layered_config.default_sources(config_file=tmp_path / "c.toml", environ={})
    assert [s.name for s in sources] == ["default", "file", "keyring", "file", "env", "argument"]
    assert sources[1].system is True
    assert sources[3].path == str(tmp_path / "c.toml")
