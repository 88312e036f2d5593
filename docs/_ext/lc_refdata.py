"""The data behind the generated reference pages, read from the code itself.

This module imports no Sphinx, so the tests can compare what the docs list with
what the code does. ``lc_sphinx`` turns these records into tables.

- :func:`field_rows`: one row per entry of ``layered_config.FIELDS``.
- :func:`env_vars`: every variable the project reads. The field variables come
  from the field table, the steering ones from module-level constants (with the
  docstring under each constant), and the few that the command line reads by
  literal name from :data:`CLI_ENV`.
- :func:`cli_commands`: every command and option of ``build_parser()``.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import pkgutil
import re
from inspect import cleandoc as inspect_cleandoc
from pathlib import Path
from typing import Any, NamedTuple

import layered_config
from layered_config import FIELDS, Field
from layered_config._cli import build_parser
from layered_config._fields import env_names

ENV_NAME = re.compile(r"^(BACKEND|SORNA)_[A-Z0-9_]+$")
"""What a variable of the project looks like."""

CLI_ENV = {
    "NO_COLOR": (
        "Any non-empty value turns colour off. Colour is used only when stdout is a terminal."
    ),
    "VISUAL": "The editor that `edit` runs. It wins over `EDITOR`.",
    "EDITOR": "The editor that `edit` runs when `VISUAL` is unset. With neither set, `vi`.",
}
"""Variables the command line reads by literal name, with what each one does."""

# What each converter accepts, for the field reference. A converter that is not
# listed stops the docs build, so a new kind of field cannot go undocumented.
CONVERTERS = {
    "_Endpoints": ("URL, or several", "a URL; several, separated by commas"),
    "_Text": ("string", "the text as is"),
    "_Choice": ("one of: {choices}", "{choices}"),
    "_Bool": ("boolean", "`y`, `yes`, `t`, `true`, `1` or `n`, `no`, `f`, `false`, `0`"),
    "_Seconds": ("seconds, a float of 0 or more", "a number"),
    "_Tokens": ("list of strings", "items separated by commas; blanks are dropped"),
    "_Map": ("mapping of strings", "`key=value` pairs separated by commas"),
    "_Hash": ("a `hashlib` algorithm name", "the name, in any case"),
}


class FieldRow(NamedTuple):
    """One field as the reference prints it."""

    name: str
    type: str
    default: str
    env: tuple[str, ...]
    env_format: str
    toml_type: str
    merge: str
    secret: bool
    required: bool
    doc: str


class EnvVar(NamedTuple):
    """One environment variable the project reads."""

    name: str
    reader: str
    """``library`` or ``command line``."""
    field: str | None
    """The field it sets, if it sets one."""
    text: str


def _converter_text(field: Field) -> tuple[str, str]:
    kind = type(field.converter).__name__
    if kind not in CONVERTERS:
        raise LookupError(
            f"field {field.name!r} uses converter {kind}, which docs/_ext/lc_refdata.py "
            "does not describe yet; add it to CONVERTERS"
        )
    choices = ", ".join(f"`{c}`" for c in getattr(field.converter, "choices", ()))
    return tuple(text.format(choices=choices) for text in CONVERTERS[kind])  # type: ignore[return-value]


def _default_text(field: Field) -> str:
    raw = layered_config.DEFAULTS.get(field.name, field.default)
    if raw is None:
        return "none (required)" if field.required else "none"
    converter = field.converter
    value = converter.from_env(raw) if isinstance(raw, str) else raw
    text = converter.to_text(value)
    return f"`{text}`" if text else "empty"


def field_rows() -> list[FieldRow]:
    """Return one row per field, in the order of the field table."""
    rows = []
    for field in FIELDS.values():
        kind, env_format = _converter_text(field)
        rows.append(
            FieldRow(
                name=field.name,
                type=kind,
                default=_default_text(field),
                env=env_names(field),
                env_format=env_format if field.env else "",
                toml_type=field.converter.toml_type,
                merge=field.merge,
                secret=field.secret,
                required=field.required,
                doc=field.doc,
            )
        )
    return rows


def _field_vars() -> list[EnvVar]:
    found = []
    for field in FIELDS.values():
        names = env_names(field)
        for index, name in enumerate(names):
            if index == 0:
                text = f"Sets `{field.name}`. {field.doc}"
            else:
                text = (
                    f"The legacy name of `{names[0]}`, read only when that one is unset. "
                    "Using it warns once (`LegacyEnvWarning`)."
                )
            found.append(EnvVar(name, "library", field.name, text))
    return found


def package_modules() -> list[Path]:
    """Return the source file of every module of the package."""
    paths = []
    root = Path(layered_config.__file__).parent
    paths.append(root / "__init__.py")
    for info in pkgutil.walk_packages([str(root)], prefix="layered_config."):
        spec = importlib.util.find_spec(info.name)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            paths.append(Path(spec.origin))
    return sorted(set(paths))


def constant_docs(path: Path) -> dict[str, str]:
    """Map each module-level ``BACKEND_``/``SORNA_`` string constant to the docstring under it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    body = tree.body
    for index, node in enumerate(body):
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        if not ENV_NAME.match(value.value):
            continue
        doc = _docstring_after(body, index)
        if not doc:
            raise LookupError(
                f"{path}: the constant {value.value} has no docstring under it, "
                "and the env var reference is built from it"
            )
        found[value.value] = " ".join(doc.split()).replace("``", "`")
    return found


def _steering_vars() -> list[EnvVar]:
    found: dict[str, str] = {}
    for path in package_modules():
        found.update(constant_docs(path))
    return [EnvVar(name, "library", None, text) for name, text in found.items()]


def env_vars() -> list[EnvVar]:
    """Return every variable the project reads: fields, steering, then the CLI's."""
    cli = [EnvVar(name, "command line", None, text) for name, text in CLI_ENV.items()]
    return [*_field_vars(), *_steering_vars(), *cli]


class Option(NamedTuple):
    """One argument of a command, as ``--help`` describes it."""

    spelling: str
    help: str


class Command(NamedTuple):
    """One subcommand of ``layered-config``."""

    name: str
    help: str
    usage: str
    options: list[Option]
    """The options of this command only; :func:`common_options` has the shared ones."""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _spelling(action: argparse.Action) -> str:
    if not action.option_strings:
        name = str(action.metavar or action.dest).upper()
        return f"[{name}]" if action.nargs == "?" else name
    flag = ", ".join(action.option_strings)
    if action.nargs == 0:
        return flag
    if action.choices:
        return f"{flag} {{{','.join(map(str, action.choices))}}}"
    return f"{flag} {action.metavar or action.dest.upper()}"


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if action.option_strings and action.nargs != 0 and action.default is not None:
        text += f" (default: {action.default})"
    return text


def _options(parser: argparse.ArgumentParser) -> list[Option]:
    return [
        Option(_spelling(a), _help(a))
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)
    ]


def common_options() -> list[Option]:
    """Return the options that every command takes, as each ``--help`` shows them."""
    subs = list(_subparsers(build_parser()).values())
    shared = [o for o in _options(subs[0]) if all(o in _options(s) for s in subs)]
    return [*shared, Option("-h, --help", "show the command's help and exit")]


def cli_commands() -> dict[str, Command]:
    """Return every command with its usage line and its own options."""
    parser = build_parser()
    common = set(common_options())
    helps = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
    commands = {}
    for name, sub in _subparsers(parser).items():
        sub.formatter_class = _wide_formatter
        usage = " ".join(sub.format_usage().split())
        own = [o for o in _options(sub) if o not in common]
        commands[name] = Command(name, helps.get(name, ""), usage, own)
    return commands


def top_level_options() -> list[Option]:
    """Return the options of ``layered-config`` itself, before the command."""
    parser = build_parser()
    return [
        Option(_spelling(a), _help(a) if a.dest != "version" else "print the version and exit")
        for a in parser._actions
        if not isinstance(a, argparse._SubParsersAction | argparse._HelpAction)
    ] + [Option("-h, --help", "show the help and exit")]


def _wide_formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=200)


def error_tree() -> str:
    """Return the error and warning tree drawn in the errors module's docstring."""
    from layered_config import _errors  # noqa: PLC0415

    doc = _errors.__doc__ or ""
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "LayeredConfigError")
    tree = []
    for line in lines[start:]:
        if line.strip() and not line.startswith("    "):
            break
        tree.append(line[4:])
    return "\n".join(tree).strip("\n")


def _docstring_after(body: list[ast.stmt], index: int) -> str:
    following = body[index + 1] if index + 1 < len(body) else None
    if (
        isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
    ):
        return following.value.value
    return ""


def _assigned_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    return []


def data_doc(name: str) -> str:
    """Return the docstring of a public module-level value, found where it is assigned.

    That is the string under the assignment, or else the docstring of a module
    that exists for this one value (such as ``_version``).

    Raises:
        LookupError: when no module assigns the name, or it has no docstring.

    """
    for path in package_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for index, node in enumerate(tree.body):
            if name in _assigned_names(node):
                doc = _docstring_after(tree.body, index) or ast.get_docstring(tree) or ""
                if doc:
                    return inspect_cleandoc(doc)
    raise LookupError(f"layered_config.{name} has no docstring where it is assigned")


def public_names() -> dict[str, list[str]]:
    """Group ``layered_config.__all__`` for the API reference: kind -> sorted names."""
    groups: dict[str, list[str]] = {
        "functions": [],
        "classes": [],
        "exceptions": [],
        "warnings": [],
        "data": [],
    }
    for name in layered_config.__all__:
        obj: Any = getattr(layered_config, name)
        if isinstance(obj, type) and issubclass(obj, Warning):
            groups["warnings"].append(name)
        elif isinstance(obj, type) and issubclass(obj, BaseException):
            groups["exceptions"].append(name)
        elif isinstance(obj, type):
            groups["classes"].append(name)
        elif callable(obj) and not isinstance(obj, dict):
            groups["functions"].append(name)
        else:
            groups["data"].append(name)
    return groups
