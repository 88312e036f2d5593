"""The docs: every example runs, and the generated references match the code.

- Python examples (``pycon`` and ``python`` blocks) run with doctest in a private
  home, page by page, each page's blocks in order in one namespace.
- Console examples (``console`` blocks) run in bash in a private home, with a
  private Secret Service where a page stores a secret; the output must match.
- TOML examples must be valid configuration files.
- The JSON shapes in the CLI reference must match what the commands print.
- The env var reference must list exactly the variables the code reads.

After a change to the command line, ``python tests/test_docs.py PAGE...``
rewrites the output under each ``$ command`` of those pages from a fresh run,
with paths shortened to ``~`` and tables realigned; review the diff.
"""

from __future__ import annotations

import ast
import doctest
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from secret_service import start_secret_service

import layered_config
import layered_config._paths
import layered_config._resolver
from layered_config import FIELDS
from layered_config._fields import env_names
from layered_config.sources._tomlfile import check_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

import lc_refdata  # noqa: E402  # the docs extension's data, found through the path above

PAGES = sorted(
    [p for p in [*DOCS.rglob("*.md"), ROOT / "README.md", ROOT / "CHANGELOG.md"] if p.exists()],
    key=lambda p: str(p.relative_to(ROOT)),
)
REPORTS = {"docs/performance.md", "docs/reliability.md"}
"""Measured reports: their transcripts record a run, so they are not replayed."""
EXAMPLES = [p for p in PAGES if str(p.relative_to(ROOT)) not in REPORTS]
"""The pages whose examples must run as shown."""
SECRET = "exampleSecretKey/DoNotUse/0123456789abcd"
"""What the examples type at the ``secret_key:`` prompt."""
STAGING_SECRET = "exampleStagingKey/DoNotUse/0123456789wxyz"
ACCESS_KEY = "AKIAEXAMPLEACCESSKEY"
PROMPT = "secret_key:"
SYSTEM_FILE = "/etc/backend.ai/config.toml"

# The user file at the end of the tutorial; README and how-to examples start there.
TUTORIAL_FILE = f"""\
endpoint = "https://api.example.com"
access_key = "{ACCESS_KEY}"

[profiles.staging]
endpoint = "https://staging.example.com"
access_key = "AKIASTAGINGEXAMPLE01"
"""


def rel(path: Path) -> str:
    """Name a page by its path from the repository root."""
    return str(path.relative_to(ROOT))


# ---------------------------------------------------------------- Markdown blocks


class Block(NamedTuple):
    """One fenced code block of a page."""

    path: Path
    line: int
    """The line of the block's first content line."""
    lang: str
    options: dict[str, str]
    text: str


_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_DIRECTIVE = re.compile(r"^\{(code-block|code|sourcecode)\}\s*(?P<lang>\S*)")


def blocks(path: Path) -> list[Block]:
    """Return every fenced block of a Markdown page, code-block directives included."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info, indent = match["fence"], match["info"].strip(), len(match["indent"])
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        body = [line[indent:] for line in lines[i + 1 : end]]
        directive = _DIRECTIVE.match(info)
        lang = directive["lang"] if directive else info.split(" ")[0]
        options: dict[str, str] = {}
        start = i + 1
        if directive or info.startswith("{"):
            while body and body[0].startswith(":"):
                key, _, value = body.pop(0)[1:].partition(":")
                options[key.strip()] = value.strip()
                start += 1
            if body and not body[0].strip():
                body.pop(0)
                start += 1
        found.append(Block(path, start + 1, lang, options, "\n".join(body) + "\n"))
        i = end + 1
    return found


def blocks_of(lang: str) -> list[Block]:
    """Return every block in a language, across the pages of examples."""
    return [b for page in EXAMPLES for b in blocks(page) if b.lang == lang]


def block_id(block: Block) -> str:
    """Name a block in test ids: page and line."""
    return f"{rel(block.path)}:{block.line}"


# ---------------------------------------------------------------- the env var reference


def _is_environ(node: ast.expr) -> bool:
    text = ast.unparse(node)
    return "environ" in text or text == "os"


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def env_reads_in_code() -> set[str]:
    """Find every variable the package reads: names in the code and the field table's.

    - string constants that look like ``BACKEND_X`` or ``SORNA_X``;
    - literal names looked up in an environ: ``environ.get("X")``,
      ``os.getenv("X")``, ``environ["X"]`` and ``"X" in environ``;
    - every field's ``BACKEND_`` and ``SORNA_`` name.
    """
    found: set[str] = set()
    for path in lc_refdata.package_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name: str | None = None
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if lc_refdata.ENV_NAME.match(node.value):
                    name = node.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in {"get", "getenv", "pop"} and _is_environ(node.func.value):
                    name = _literal(node.args[0]) if node.args else None
            elif isinstance(node, ast.Subscript) and _is_environ(node.value):
                name = _literal(node.slice)
            elif (
                isinstance(node, ast.Compare)
                and isinstance(node.ops[0], ast.In | ast.NotIn)
                and _is_environ(node.comparators[0])
            ):
                name = _literal(node.left)
            if name:
                found.add(name)
    for field in FIELDS.values():
        found.update(env_names(field))
    return found


def test_env_reference_lists_exactly_the_variables_the_code_reads() -> None:
    """The generated env var table names every variable the code reads, and no other."""
    documented = [var.name for var in lc_refdata.env_vars()]
    assert len(documented) == len(set(documented)), "a variable is listed twice"
    in_code = env_reads_in_code()
    assert set(documented) - in_code == set(), "documented, but the code never reads it"
    assert in_code - set(documented) == set(), (
        "read by the code but not in the env var reference: give a BACKEND_ constant a "
        "docstring, or add a literal name to CLI_ENV in docs/_ext/lc_refdata.py"
    )


def test_env_reference_scan_finds_the_known_variables() -> None:
    """The code scan sees the steering variables and the ones the CLI reads."""
    expected = {"BACKEND_PROFILE", "BACKEND_CONFIG_FILE", "BACKEND_KEYRING_TIMEOUT"}
    expected |= {"NO_COLOR", "VISUAL", "EDITOR", "BACKEND_ENDPOINT", "SORNA_ENDPOINT"}
    assert expected <= env_reads_in_code()


def test_env_reference_page_shows_the_generated_table() -> None:
    """The environment page renders the generated table rather than a hand-made one."""
    text = (DOCS / "reference" / "environment.md").read_text(encoding="utf-8")
    assert "```{lc-env-table} fields\n" in text
    assert "```{lc-env-table} other\n" in text


def test_field_reference_has_one_row_per_field() -> None:
    """The generated field reference follows the field table, in order and in full."""
    rows = lc_refdata.field_rows()
    assert [row.name for row in rows] == list(FIELDS)
    for row in rows:
        field = FIELDS[row.name]
        assert row.env == env_names(field)
        assert (row.secret, row.required, row.merge) == (field.secret, field.required, field.merge)
        assert row.toml_type == field.converter.toml_type
    text = (DOCS / "reference" / "fields.md").read_text(encoding="utf-8")
    assert "```{lc-field-details}" in text


def test_api_reference_is_exactly_dunder_all() -> None:
    """The API page documents each public name once, and only those."""
    listed = [name for names in lc_refdata.public_names().values() for name in names]
    assert sorted(listed) == sorted(layered_config.__all__)
    assert ".. lc-api::" in (DOCS / "reference" / "api.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    """The CLI reference has a generated section for every command of the parser."""
    text = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    for name in lc_refdata.cli_commands():
        assert f"```{{lc-cli-command}} {name}\n" in text, name


def test_readme_lists_every_variable() -> None:
    """The README's variable table names every variable the reference lists, but the legacy ones."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Environment variables") :]
    table = table[: table.index("\n## ")]
    for var in lc_refdata.env_vars():
        if not var.name.startswith("SORNA_"):
            assert f"`{var.name}`" in table, var.name


_MENTIONED = re.compile(r"\b(?:BACKEND|SORNA)_[A-Z0-9_]*[A-Z0-9]\b")


@pytest.mark.parametrize("page", PAGES, ids=rel)
def test_pages_mention_only_variables_the_code_reads(page: Path) -> None:
    """A BACKEND_ or SORNA_ name written anywhere in the docs is one the code reads."""
    mentioned = set(_MENTIONED.findall(page.read_text(encoding="utf-8")))
    assert mentioned - env_reads_in_code() == set()


# ---------------------------------------------------------------- TOML examples


@pytest.mark.parametrize("block", blocks_of("toml"), ids=block_id)
def test_toml_examples_are_valid_files(block: Block, tmp_path: Path) -> None:
    """Each TOML example parses and passes the same checks as a real file."""
    tomllib.loads(block.text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_text(str(tmp_path / "config.toml"), block.text)


# ---------------------------------------------------------------- Python examples


class _HomeChecker(doctest.OutputChecker):
    """Compares output after writing the private home as ``~``, as the docs do."""

    def __init__(self, home: str) -> None:
        super().__init__()
        self.home = home

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(want, got.replace(self.home, "~"), optionflags)


def _python_pages() -> list[Path]:
    return [p for p in EXAMPLES if any(b.lang in {"pycon", "python"} for b in blocks(p))]


def _seed_tutorial_state(home: Path, memory_keyring: Any) -> None:
    user_file = home / ".config" / "backend.ai" / "config.toml"
    user_file.parent.mkdir(parents=True, mode=0o700)
    user_file.write_text(TUTORIAL_FILE, encoding="utf-8")
    user_file.chmod(0o600)
    memory_keyring.secrets["backend.ai", ACCESS_KEY] = SECRET


# What a page's Python examples start from, when its text says so.
PYTHON_SETUP: dict[str, dict[str, str]] = {
    "README.md": {"BACKEND_ENDPOINT": "https://gpu.example.com"},
    "docs/how-to/debug.md": {},
}


def _require_linux_system_file() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the examples show Linux paths")
    if os.path.lexists(SYSTEM_FILE):
        pytest.skip(f"{SYSTEM_FILE} exists here, and the examples assume it does not")


@pytest.mark.parametrize("page", _python_pages(), ids=rel)
def test_python_examples_run(
    page: Path, isolated: Path, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every Python example of the page runs and prints what the page shows."""
    _require_linux_system_file()
    home = Path(os.environ["HOME"])  # private to this test, made by the isolated fixture
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(home)
    monkeypatch.setattr(layered_config._resolver, "system_file", layered_config._paths.system_file)
    setup = PYTHON_SETUP.get(rel(page))
    if setup is not None:
        _seed_tutorial_state(home, memory_keyring)
        for name, value in setup.items():
            monkeypatch.setenv(name, value)
    saved_env = dict(os.environ)
    globs: dict[str, Any] = {"__name__": "__docs__"}
    runner = doctest.DocTestRunner(
        checker=_HomeChecker(str(home)), optionflags=doctest.ELLIPSIS, verbose=False
    )
    parser = doctest.DocTestParser()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            for block in blocks(page):
                if block.lang == "python":
                    code = compile(block.text, f"{rel(page)}:{block.line}", "exec")
                    exec(code, globs)  # noqa: S102  # the docs' own example code
                elif block.lang == "pycon":
                    name = f"{rel(page)}:{block.line}"
                    test = parser.get_doctest(block.text, globs, name, str(page), block.line - 1)
                    runner.run(test, clear_globs=False)
                    globs.update(test.globs)  # doctest ran on a copy
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        layered_config.set_config(None)
    assert runner.failures == 0, f"{runner.failures} example(s) of {rel(page)} failed; see above"
    assert runner.tries or not any(b.lang == "pycon" for b in blocks(page))


# ---------------------------------------------------------------- console examples


class Step(NamedTuple):
    """One ``$ command`` of a console block and the output the page shows for it."""

    line: int
    command: str
    expected: list[str]


def steps(page: Path) -> list[Step]:
    """Return every command of the page's console blocks, in order."""
    found: list[Step] = []
    for block in blocks(page):
        if block.lang != "console":
            continue
        for offset, line in enumerate(block.text.splitlines()):
            if line.startswith("$ "):
                found.append(Step(block.line + offset, line[2:], []))
            elif found:
                found[-1].expected.append(line)
    return found


def normalise(lines: list[str]) -> list[str]:
    """Compare columns, not padding: the docs realign tables after shortening paths."""
    out = [re.sub(r" {2,}", "  ", line.rstrip()) for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


# Pages whose console examples start from another page's end state.
CONSOLE_SETUP = {
    "README.md": "docs/tutorial.md",
    "docs/how-to/debug.md": "docs/tutorial.md",
    "docs/reference/cli.md": "docs/tutorial.md",
}
MARK = "@@layered-config-docs@@"


def _sandbox_env(home: Path, bus: str | None) -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Never the developer's own keyring: the private Secret Service, or none at all.
    if bus:
        env["DBUS_SESSION_BUS_ADDRESS"] = bus
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    else:
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def _script(page_steps: list[Step]) -> str:
    # The marker lines must not change $?, which a page may show with "echo $?".
    lines = ["exec 2>&1", "status=0"]
    for index, step in enumerate(page_steps):
        command = step.command
        if step.expected and step.expected[0].startswith(PROMPT):
            # The page shows the no-echo prompt; the test types the secret on stdin.
            secret = STAGING_SECRET if "--profile staging" in command else SECRET
            command += f" <<< '{secret}'"
        lines += [f"printf '%s\\n' '{MARK}{index}'", "(exit $status)", command, "status=$?"]
    return "\n".join(lines) + "\n"


def run_steps(page_steps: list[Step], home: Path, bus: str | None) -> list[list[str]]:
    """Run the commands in one bash session in ``home``; return each one's output lines."""
    done = subprocess.run(
        ["bash", "--noprofile", "--norc"],
        input=_script(page_steps),
        cwd=home,
        env=_sandbox_env(home, bus),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    outputs: list[list[str]] = []
    for line in done.stdout.replace(str(home), "~").splitlines():
        if line.startswith(MARK):
            outputs.append([])
        elif outputs:
            outputs[-1].append(line)
    assert len(outputs) == len(page_steps), done.stdout + done.stderr
    return outputs


def _console_pages() -> list[Path]:
    return [p for p in EXAMPLES if steps(p)]


def _needs_keyring(page: Path) -> bool:
    chain = [page, *([ROOT / CONSOLE_SETUP[rel(page)]] if rel(page) in CONSOLE_SETUP else [])]
    return any(s.expected and s.expected[0].startswith(PROMPT) for p in chain for s in steps(p))


@contextmanager
def console_home(page: Path, bus: str | None) -> Iterator[Path]:
    """A private home for a page, with its setup page's commands already run."""
    with tempfile.TemporaryDirectory(prefix="layered-config-docs-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        setup = CONSOLE_SETUP.get(rel(page))
        if setup:
            run_steps(steps(ROOT / setup), home, bus)
        yield home


def _compare(page: Path, page_steps: list[Step], outputs: list[list[str]]) -> list[str]:
    problems = []
    for step, got in zip(page_steps, outputs, strict=True):
        want = (
            step.expected[1:]
            if step.expected[:1] and step.expected[0].startswith(PROMPT)
            else step.expected
        )
        if normalise(want) != normalise(got):
            problems.append(
                f"{rel(page)}:{step.line}: $ {step.command}\n--- the page shows\n"
                + "\n".join(want)
                + "\n--- the command printed\n"
                + "\n".join(got)
            )
    return problems


def _check_console_page(page: Path, bus: str | None) -> None:
    _require_linux_system_file()
    page_steps = steps(page)
    with console_home(page, bus) as home:
        outputs = run_steps(page_steps, home, bus)
    problems = _compare(page, page_steps, outputs)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("page", [p for p in _console_pages() if not _needs_keyring(p)], ids=rel)
def test_console_examples_print_what_the_page_shows(page: Path) -> None:
    """Every ``$ command`` of the page, run in order in a private home, prints what is shown."""
    _check_console_page(page, None)


@pytest.mark.parametrize("page", [p for p in _console_pages() if _needs_keyring(p)], ids=rel)
def test_console_examples_with_a_keyring_print_what_the_page_shows(
    page: Path, secret_service: Any
) -> None:
    """The same, for pages that store a secret: against a private Secret Service."""
    secret_service.unlock()
    secret_service.clear()
    _check_console_page(page, secret_service.address)


def test_tutorial_shows_the_real_refusal_without_a_keyring(tmp_path: Path) -> None:
    """The tutorial's note quotes what ``set secret_key`` prints on a machine without a keyring."""
    _require_linux_system_file()
    [note] = [b for b in blocks(DOCS / "tutorial.md") if "refusing to store" in b.text]
    home = tmp_path / "sandbox"
    home.mkdir()
    commands = [
        Step(0, f"layered-config set access_key {ACCESS_KEY} >/dev/null", []),
        Step(0, f"layered-config set secret_key <<< '{SECRET}'", []),
    ]
    outputs = run_steps(commands, home, None)
    assert normalise(outputs[1]) == normalise(note.text.splitlines())


# ---------------------------------------------------------------- JSON shapes


def _shape_blocks() -> list[Block]:
    return [b for b in blocks(DOCS / "reference" / "cli.md") if b.lang == "json" and b.options]


def matches(value: Any, shape: Any, where: str = "$") -> list[str]:
    """List where ``value`` differs from a documented shape.

    A shape is JSON whose leaves are type names (``"str | null"``, ``"bool"``,
    ``"any"``...). An object with the single key ``"NAME"`` stands for any keys;
    a list of one shape describes every item.
    """
    if isinstance(shape, str):
        return _matches_type(value, shape, where)
    if isinstance(shape, list):
        return _matches_list(value, shape[0], where)
    if not isinstance(value, dict):
        return [f"{where}: expected an object"]
    if list(shape) == ["NAME"]:
        return [p for k, v in value.items() for p in matches(v, shape["NAME"], f"{where}.{k}")]
    if list(value) != list(shape):
        return [f"{where}: keys {list(value)} differ from the documented {list(shape)}"]
    return [p for k in shape for p in matches(value[k], shape[k], f"{where}.{k}")]


def _matches_list(value: Any, item_shape: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        return [f"{where}: expected a list"]
    return [p for i, item in enumerate(value) for p in matches(item, item_shape, f"{where}[{i}]")]


def _matches_type(value: Any, shape: str, where: str) -> list[str]:
    kinds = {"str": str, "bool": bool, "number": int | float, "null": type(None)}
    allowed = [kinds.get(part.strip()) for part in shape.split("|")]
    if shape == "any" or any(k is not None and isinstance(value, k) for k in allowed):
        return []
    return [f"{where}: {value!r} is not {shape}"]


def test_the_cli_reference_documents_every_json_command() -> None:
    """Each command that takes --json has its shape on the CLI page."""
    captions = {b.options.get("caption", "") for b in _shape_blocks()}
    for name, command in lc_refdata.cli_commands().items():
        takes_json = any(o.spelling == "--json" for o in command.options)
        takes_json |= any(o.spelling == "--json" for o in lc_refdata.common_options())
        if takes_json:
            assert any(f"layered-config {name} " in c for c in captions), name


def test_json_outputs_have_the_documented_shapes(secret_service: Any) -> None:
    """Each command in a shape's caption prints JSON of the shape the CLI reference documents.

    They run after the tutorial, with an endpoint in the environment, so that
    every kind of layer has something to say.
    """
    _require_linux_system_file()
    secret_service.unlock()
    secret_service.clear()
    shapes = _shape_blocks()
    commands = []
    for block in shapes:
        command = re.search(r"`(layered-config [^`]+)`", block.options["caption"])
        assert command, f"{block_id(block)}: no command in the caption"
        commands.append(
            Step(block.line, f"BACKEND_ENDPOINT=https://gpu.example.com {command[1]}", [])
        )
    with console_home(DOCS / "reference" / "cli.md", secret_service.address) as home:
        outputs = run_steps(commands, home, secret_service.address)
    problems = []
    for block, output in zip(shapes, outputs, strict=True):
        found = matches(json.loads("\n".join(output)), json.loads(block.text))
        problems += [f"{block_id(block)}: {p}" for p in found]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the built site


def test_built_site_lists_every_variable_the_code_reads(tmp_path: Path) -> None:
    """The env var page of the built HTML names exactly the variables the code reads."""
    pytest.importorskip("sphinx")
    out = tmp_path / "html"
    # A separate process, so that no state of this test run reaches the build.
    command = [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-b", "html", str(DOCS), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (out / "reference" / "environment.html").read_text(encoding="utf-8")
    listed = re.findall(
        r'<code class="[^"]*lc-env-var[^"]*"><span class="pre">([^<]+)</span>', page
    )
    assert len(listed) == len(set(listed))
    assert set(listed) == env_reads_in_code()
    fields = (out / "reference" / "fields.html").read_text(encoding="utf-8")
    for name in FIELDS:
        assert f'id="field-{name}"' in fields


# ---------------------------------------------------------------- updating a page


def realign(lines: list[str]) -> list[str]:
    """Pad the columns of CLI tables again, after paths were shortened to ``~``."""
    out: list[str] = []
    i = 0
    header = re.compile(r"^[A-Z]+( {2,}[A-Z]+)+$")
    while i < len(lines):
        if not header.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        table = [re.split(r" {2,}", lines[i])]
        i += 1
        while i < len(lines) and len(re.split(r" {2,}", lines[i].rstrip())) >= 2:
            table.append(re.split(r" {2,}", lines[i].rstrip()))
            i += 1
        widths = [max(len(r[c]) for r in table if c < len(r)) for c in range(len(table[0]))]
        for row in table:
            padded = [cell.ljust(widths[c]) for c, cell in enumerate(row)]
            out.append("  ".join(padded).rstrip())
    return out


def rewrite(page: Path, bus: str | None) -> str:
    """Return the page with the output under each ``$ command`` taken from a fresh run."""
    page_steps = steps(page)
    with console_home(page, bus) as home:
        outputs = iter(run_steps(page_steps, home, bus))
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    consoles = {b.line - 1: len(b.text.splitlines()) for b in blocks(page) if b.lang == "console"}
    i = 0
    while i < len(lines):
        count = consoles.get(i)
        if count is None:
            out.append(lines[i])
            i += 1
            continue
        body = lines[i : i + count]
        for index, line in enumerate(body):
            if not line.startswith("$ "):
                continue
            out.append(line)
            if index + 1 < len(body) and body[index + 1].startswith(PROMPT):
                out.append(PROMPT)
            out += realign(next(outputs))
        i += count
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """Rewrite the console outputs of each page given, from running its commands now."""
    with ExitStack() as stack:
        service = stack.enter_context(start_secret_service())
        for name in argv:
            page = Path(name).resolve()
            service.clear()
            text = rewrite(page, service.address if _needs_keyring(page) else None)
            page.write_text(text, encoding="utf-8")
            print(f"rewrote {rel(page)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
