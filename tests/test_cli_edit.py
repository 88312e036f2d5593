"""edit: open the user file in $VISUAL or $EDITOR, then check what was saved."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from cli_helpers import Cli, fake_editor, mode_of

from layered_config._cli._edit import TEMPLATE

pytest_plugins = ["cli_helpers"]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake editors are shell scripts")

VALID = 'endpoint = "https://edited.example.com"\naccess_key = "AK-EDITED"\n'
SYNTAX_ERROR = 'endpoint = "https://edited.example.com"\ndomain = = "x"\n'
TYPE_ERROR = 'endpoint = "https://edited.example.com"\n\nconnection_timeout = "soon"\n'


@pytest.fixture
def editor_dir(tmp_path: Path) -> Path:
    """A folder for fake editors and the content they save."""
    folder = tmp_path / "editors"
    folder.mkdir()
    return folder


def saving(editor_dir: Path, content: str) -> Path:
    """Return a fake editor that saves ``content`` over the file it is given."""
    source = editor_dir / "content.toml"
    source.write_text(content)
    return fake_editor(editor_dir, f'cat {shlex.quote(str(source))} > "$1"')


def test_edit_of_a_valid_result_exits_0(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """edit runs $VISUAL on the user file and, when the result is valid, says so."""
    path = user_file('endpoint = "https://before.example.com"\n')
    monkeypatch.setenv("VISUAL", str(saving(editor_dir, VALID)))
    result = cli("edit")
    assert result.code == 0, result.err
    assert result.out == f"{path} is valid\n"
    assert path.read_text() == VALID
    assert cli("get", "access_key").out == "AK-EDITED\n"


def test_edit_of_a_syntax_error_exits_1_with_the_location_and_keeps_the_file(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid result exits 1 with path:line:column, and the file stays as the user saved it."""
    path = user_file('endpoint = "https://before.example.com"\n')
    monkeypatch.setenv("VISUAL", str(saving(editor_dir, SYNTAX_ERROR)))
    result = cli("edit")
    assert result.code == 1
    assert len(result.errors) == 1
    assert result.err.startswith(f"layered-config: error: {path}:2:10: TOML syntax error")
    assert "the file is saved as you left it" in result.err
    assert path.read_text() == SYNTAX_ERROR


def test_edit_of_a_wrong_type_exits_1_naming_line_and_field(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value of the wrong type exits 1 with path:line and the field, and the file is kept."""
    path = user_file("")
    monkeypatch.setenv("VISUAL", str(saving(editor_dir, TYPE_ERROR)))
    result = cli("edit")
    assert result.code == 1
    assert f"{path}:3: connection_timeout: expected a number" in result.err
    assert path.read_text() == TYPE_ERROR


def test_edit_creates_a_0600_file_from_the_template(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no user file, edit creates it 0600 from a commented template, then opens it."""
    seen = editor_dir / "seen.toml"
    editor = fake_editor(
        editor_dir, f'cp "$1" {shlex.quote(str(seen))}\necho \'domain = "mine"\' >> "$1"'
    )
    monkeypatch.setenv("VISUAL", str(editor))
    result = cli("edit")
    assert result.code == 0, result.err
    path = user_file.path
    assert result.out.splitlines() == [f"created {path} with mode 0600", f"{path} is valid"]
    assert seen.read_text() == TEMPLATE
    assert path.read_text() == TEMPLATE + 'domain = "mine"\n'
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert cli("get", "domain").out == "mine\n"


def test_the_template_is_valid_and_sets_nothing(cli: Cli, user_file) -> None:
    """The template edit starts from is valid TOML that sets no value."""
    user_file(TEMPLATE)
    data = cli("show", "--json").out
    assert '"source": "file"' not in data


def test_edit_falls_back_to_editor_and_prefers_visual(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """edit uses $EDITOR without $VISUAL, and $VISUAL when both are set."""
    path = user_file("")
    marker = editor_dir / "which"
    visual = fake_editor(editor_dir, f"echo visual > {shlex.quote(str(marker))}", "visual")
    editor = fake_editor(editor_dir, f"echo editor > {shlex.quote(str(marker))}", "editor")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    assert cli("edit").code == 0
    assert marker.read_text() == "editor\n"
    monkeypatch.setenv("VISUAL", str(visual))
    assert cli("edit").code == 0
    assert marker.read_text() == "visual\n"
    assert path.read_text() == ""


def test_edit_splits_editor_arguments_like_a_shell(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$VISUAL may carry arguments ("code --wait"); the file comes last."""
    path = user_file("")
    args = editor_dir / "args"
    editor = fake_editor(editor_dir, f'printf "%s\\n" "$@" > {shlex.quote(str(args))}')
    monkeypatch.setenv("VISUAL", f"{editor} --wait -n")
    assert cli("edit").code == 0
    assert args.read_text() == f"--wait\n-n\n{path}\n"


def test_an_editor_that_fails_exits_1(
    cli: Cli, user_file, editor_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor exiting non-zero makes edit exit 1 with its status."""
    user_file("")
    monkeypatch.setenv("VISUAL", str(fake_editor(editor_dir, "exit 3")))
    result = cli("edit")
    assert result.code == 1
    assert "exited with status 3" in result.err


def test_a_missing_editor_exits_1(
    cli: Cli, user_file, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that cannot be run makes edit exit 1 with one line, no traceback."""
    user_file("")
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    result = cli("edit")
    assert result.code == 1
    assert len(result.errors) == 1
    assert "cannot run the editor" in result.err


@pytest.mark.parametrize(
    ("editor", "why"), [('vi "unclosed', "No closing quotation"), ("   ", "it names no command")]
)
def test_a_malformed_editor_command_exits_1(
    cli: Cli, user_file, monkeypatch: pytest.MonkeyPatch, editor: str, why: str
) -> None:
    """A $VISUAL with an unbalanced quote, or only spaces, exits 1 with one line, no traceback."""
    path = user_file('domain = "d"\n')
    before = path.read_bytes()
    monkeypatch.setenv("VISUAL", editor)
    result = cli("edit")
    assert result.code == 1
    assert len(result.errors) == 1
    assert why in result.err
    assert path.read_bytes() == before
