"""A small Sphinx extension: reference tables generated from the code.

Directives:

- ``lc-field-summary`` and ``lc-field-details``: every entry of
  ``layered_config.FIELDS``.
- ``lc-env-table``: every environment variable the project reads.
- ``lc-cli-command NAME``, ``lc-cli-common`` and ``lc-cli-top``: usage and
  options from ``layered_config._cli.build_parser()``. A command that no page
  documents fails the build.
- ``lc-error-tree``: the tree drawn in the errors module's docstring.
- ``lc-api``: autodoc entries for exactly ``layered_config.__all__``. Use it
  inside ``eval-rst``, because it emits reST.

A new field, variable, command or public name shows up with no hand edit.
"""

from __future__ import annotations

import re
from typing import Any

import lc_refdata as data
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import layered_config

logger = logging.getLogger(__name__)

_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> list[nodes.Node]:
    """Turn text with `code` spans into docutils nodes."""
    parts: list[nodes.Node] = []
    for index, piece in enumerate(_CODE.split(text)):
        if not piece:
            continue
        parts.append(nodes.literal(piece, piece) if index % 2 else nodes.Text(piece))
    return parts


def _para(content: str | list[nodes.Node]) -> nodes.paragraph:
    children = _inline(content) if isinstance(content, str) else content
    return nodes.paragraph("", "", *children)


def _table(header: list[str], rows: list[list[Any]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["lc-generated"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)

    def row(cells: list[Any]) -> nodes.row:
        made = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += cell if isinstance(cell, nodes.Node) else _para(str(cell))
            made += entry
        return made

    head = nodes.thead()
    head += row(header)
    body = nodes.tbody()
    for cells in rows:
        body += row(cells)
    group += head
    group += body
    return table


def _codes(names: tuple[str, ...] | list[str], empty: str = "none") -> nodes.paragraph:
    if not names:
        return _para(empty)
    children: list[nodes.Node] = []
    for index, name in enumerate(names):
        if index:
            children.append(nodes.Text(", "))
        children.append(nodes.literal(name, name))
    return _para(children)


def _field_ref(name: str, docname: str) -> nodes.paragraph:
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="lcfield", reftarget=name, refexplicit=True, refdoc=docname
    )
    ref += nodes.literal(name, name)
    return _para([ref])


class FieldSummary(SphinxDirective):
    """A one-line-per-field table: name, env var, TOML type, default."""

    def run(self) -> list[nodes.Node]:
        rows = [
            [_field_ref(r.name, self.env.docname), _codes(r.env[:1]), r.toml_type, r.default]
            for r in data.field_rows()
        ]
        return [_table(["field", "env var", "TOML type", "default"], rows, [22, 30, 22, 26])]


class FieldDetails(SphinxDirective):
    """One definition-list entry per field, with every property of the field."""

    def run(self) -> list[nodes.Node]:
        listing = nodes.definition_list(classes=["lc-fields"])
        std = self.env.get_domain("std")
        for r in data.field_rows():
            item = nodes.definition_list_item()
            term = nodes.term("", "", nodes.literal(r.name, r.name), ids=[f"field-{r.name}"])
            std.note_object("lcfield", r.name, f"field-{r.name}", location=term)  # type: ignore[attr-defined]
            item += term
            definition = nodes.definition()
            definition += _para(r.doc)
            facts = nodes.field_list()
            env_format = r.env_format or "no env var: set it in a file or as an argument"
            rows: list[tuple[str, nodes.Node]] = [
                ("type", _para(r.type)),
                ("default", _para(r.default)),
                ("env vars", _codes(r.env, "none")),
                ("env format", _para(env_format)),
                ("TOML type", _para(r.toml_type)),
                ("merge", _para(_merge_text(r.merge))),
                ("secret", _para("yes: masked in every output" if r.secret else "no")),
                ("required", _para("yes" if r.required else "no")),
            ]
            for label, body in rows:
                field = nodes.field()
                field += nodes.field_name(label, label)
                field_body = nodes.field_body()
                field_body += body
                field += field_body
                facts += field
            definition += facts
            item += definition
            listing += item
        return [listing]


def _merge_text(merge: str) -> str:
    if merge == "union":
        return "union: every layer's items, highest layer first, without duplicates"
    return "override: the highest layer that has a value wins"


def _variables(names: list[str]) -> nodes.paragraph:
    """Variable names, marked so that a test can find them in the built page."""
    children: list[nodes.Node] = []
    for index, name in enumerate(names):
        if index:
            children.append(nodes.Text(", "))
        children.append(nodes.literal(name, name, classes=["lc-env-var"]))
    return _para(children)


class EnvTable(SphinxDirective):
    """The environment variables the project reads: ``fields`` or ``other``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        variables = data.env_vars()
        if kind == "fields":
            by_field: dict[str, list[str]] = {}
            for var in variables:
                if var.field:
                    by_field.setdefault(var.field, []).append(var.name)
            formats = {row.name: row.env_format for row in data.field_rows()}
            rows = [
                [
                    _variables(names[:1]),
                    _variables(names[1:]),
                    _field_ref(field, self.env.docname),
                    formats[field],
                ]
                for field, names in by_field.items()
            ]
            header = ["variable", "legacy name", "field", "format"]
            return [_table(header, rows, [30, 30, 20, 30])]
        if kind == "other":
            rows = [[_variables([v.name]), v.reader, v.text] for v in variables if v.field is None]
            return [_table(["variable", "read by", "what it does"], rows, [28, 14, 58])]
        raise self.error(f"lc-env-table takes 'fields' or 'other', not {kind!r}")


def _options_table(options: list[data.Option]) -> nodes.table:
    rows = [[_codes([o.spelling]), o.help] for o in options]
    return _table(["argument", "meaning"], rows, [35, 65])


class CliCommand(SphinxDirective):
    """Usage and options of one command, from the argument parser."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        commands = data.cli_commands()
        if name not in commands:
            raise self.error(f"layered-config has no command {name!r}")
        _documented(self.env)[name] = self.env.docname
        command = commands[name]
        result: list[nodes.Node] = [
            _para(command.help[:1].upper() + command.help[1:] + "."),
            nodes.literal_block(command.usage, command.usage, language="text"),
        ]
        if command.options:
            result.append(_options_table(command.options))
        return result


class CliCommon(SphinxDirective):
    """The options every command takes."""

    def run(self) -> list[nodes.Node]:
        return [_options_table(data.common_options())]


class CliTop(SphinxDirective):
    """The options of ``layered-config`` itself."""

    def run(self) -> list[nodes.Node]:
        return [_options_table(data.top_level_options())]


class ErrorTree(SphinxDirective):
    """The tree of errors and warnings, as the errors module draws it."""

    def run(self) -> list[nodes.Node]:
        tree = data.error_tree()
        return [nodes.literal_block(tree, tree, language="text")]


_API_HEADINGS = {
    "functions": "Functions",
    "classes": "Classes",
    "exceptions": "Errors",
    "warnings": "Warnings",
    "data": "Data",
}
_AUTODOC = {
    "functions": ".. autofunction:: layered_config.{name}",
    "classes": ".. autoclass:: layered_config.{name}\n   :members:",
    "exceptions": ".. autoexception:: layered_config.{name}\n   :show-inheritance:",
    "warnings": ".. autoexception:: layered_config.{name}\n   :show-inheritance:",
}


def _entry(kind: str, name: str) -> list[str]:
    if kind != "data":
        return _AUTODOC[kind].format(name=name).splitlines()
    # autodoc looks for a value's docstring in the package's __init__, where the
    # value is only re-exported; the docstring lives where it is assigned.
    lines = [f".. py:data:: {name}", "   :module: layered_config"]
    value = getattr(layered_config, name)
    if isinstance(value, str) or (isinstance(value, dict) and len(repr(value)) < 100):
        lines.append(f"   :value: {value!r}")
    lines.append("")
    lines += [f"   {line}" if line else "" for line in data.data_doc(name).splitlines()]
    return lines


class Api(SphinxDirective):
    """Autodoc entries for every public name, grouped by kind; emits reST."""

    option_spec = {"heading-level": directives.unchanged}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        underline = self.options.get("heading-level", "-")
        lines: list[str] = []
        for kind, names in data.public_names().items():
            if not names:
                continue
            title = _API_HEADINGS[kind]
            lines += [title, underline * len(title), ""]
            for name in names:
                lines += [*_entry(kind, name), ""]
        content = StringList(lines, source="lc-api")
        holder = nodes.section()
        holder.document = self.state.document
        from sphinx.util.nodes import nested_parse_with_titles  # noqa: PLC0415

        nested_parse_with_titles(self.state, content, holder)
        return list(holder.children)


def _documented(env: Any) -> dict[str, str]:
    """The commands documented so far, each with its page; kept in the build env."""
    if not hasattr(env, "lc_cli_documented"):
        env.lc_cli_documented = {}
    return env.lc_cli_documented  # type: ignore[no-any-return]


def _check_cli_documented(app: Sphinx, env: Any) -> None:
    documented = _documented(env)
    for name in data.cli_commands():
        if name not in documented:
            logger.warning(
                "layered-config %s is documented nowhere: add a `lc-cli-command %s` directive",
                name,
                name,
            )


def _merge(app: Sphinx, env: Any, docnames: Any, other: Any) -> None:
    _documented(env).update(_documented(other))


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    documented = _documented(env)
    for name in [n for n, doc in documented.items() if doc == docname]:
        del documented[name]


# napoleon reads a property docstring "Text: more text" as "type: description".
# The package writes such one-liners as plain sentences, so they are kept as written.
_PROPERTY_DOCS: dict[str, list[str]] = {}


def _keep_property_doc(  # noqa: PLR0917  # Sphinx's event signature
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    if what == "property":
        _PROPERTY_DOCS[name] = list(lines)


def _restore_property_doc(  # noqa: PLR0917  # Sphinx's event signature
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    original = _PROPERTY_DOCS.pop(name, None)
    typed = any(line.startswith(":type:") for line in lines)
    if what == "property" and original is not None and lines != original and typed:
        lines[:] = original


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and the check that every command is documented."""
    app.add_crossref_type("lcfield", "lcfield")
    app.add_directive("lc-field-summary", FieldSummary)
    app.add_directive("lc-field-details", FieldDetails)
    app.add_directive("lc-env-table", EnvTable)
    app.add_directive("lc-cli-command", CliCommand)
    app.add_directive("lc-cli-common", CliCommon)
    app.add_directive("lc-cli-top", CliTop)
    app.add_directive("lc-error-tree", ErrorTree)
    app.add_directive("lc-api", Api)
    app.connect("autodoc-process-docstring", _keep_property_doc, priority=100)
    app.connect("autodoc-process-docstring", _restore_property_doc, priority=900)
    app.connect("env-check-consistency", _check_cli_documented)
    app.connect("env-merge-info", _merge)
    app.connect("env-purge-doc", _purge)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
