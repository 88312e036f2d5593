"""Helpers and fixtures for the ``layered-config`` command tests.

Test modules load this file as a plugin with ``pytest_plugins = ["cli_helpers"]``.

- ``cli``: runs ``main([...])`` in-process and returns its exit code, stdout and
  stderr, after checking that stderr holds no traceback. The CLI's own copy of the
  system file's path points at the conftest's temp system file.
- ``script``: runs the installed console script in a subprocess.
- ``snapshot``: compares text with ``tests/snapshots/NAME``, failing with a diff.

Snapshots are updated by running this file: ``python tests/cli_helpers.py``. It runs
the snapshot tests with ``--update-snapshots``, an option this file declares for that
run only. ``pytest --update-snapshots`` works too once a conftest declares the option.

The test modules import this file before pytest loads it as a plugin, so it opts out of
assertion rewriting (PYTEST_DONT_REWRITE) instead of drawing a warning; its asserts
carry their own messages.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, TextIO

import pytest

import layered_config._resolver
from layered_config import FIELDS, __version__
from layered_config._cli import _context, main
from layered_config._origin import STATUSES

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE_OPTION = "--update-snapshots"
REAL_SYSTEM_FILE = "/etc/backend.ai/config.toml"

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
"""A secret of 16 or more characters: masked as ``****`` plus its last 4 characters."""
SECRET_MASKED = "****EKEY"

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TABLE_GAP = re.compile(r" {2,}")

# Holds the lock in a separate process until its stdin closes.
LOCK_HOLDER = """
import sys
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""

# A keyring backend for subprocesses: secure in layered-config's eyes, kept in a JSON file.
JSON_KEYRING = """
import json, os
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

PATH = os.environ["TEST_KEYRING_FILE"]


def _load():
    try:
        with open(PATH) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


class Keyring(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        return _load().get(service + "\\0" + username)

    def set_password(self, service, username, password):
        data = _load()
        data[service + "\\0" + username] = password
        with open(PATH, "w") as f:
            json.dump(data, f)

    def delete_password(self, service, username):
        data = _load()
        if data.pop(service + "\\0" + username, None) is None:
            raise PasswordDeleteError(username)
        with open(PATH, "w") as f:
            json.dump(data, f)
"""


class Result(NamedTuple):
    """What one command run gave: exit status, stdout and stderr."""

    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """The ``layered-config: error:`` lines of stderr."""
        return [line for line in self.err.splitlines() if line.startswith("layered-config: error")]

    @property
    def warnings(self) -> list[str]:
        """The ``warning:`` lines of stderr."""
        return [line for line in self.err.splitlines() if "warning:" in line]


class FakeTerminal(io.StringIO):
    """A standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        """Say this is a terminal."""
        return True


def assert_no_traceback(text: str) -> None:
    """Fail when a Python traceback leaked into the output."""
    assert "Traceback (most recent call last)" not in text, text
    assert not re.search(r'^\s+File ".*", line \d+', text, re.MULTILINE), text


class Cli:
    """Runs ``main([...])`` in-process with a given stdin; see :func:`cli`."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *argv: str, stdin: str | TextIO = "") -> Result:
        """Run the command; ``stdin`` text becomes a non-terminal standard input."""
        self._monkeypatch.setattr(
            sys, "stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin
        )
        self._capsys.readouterr()
        code = main(list(argv))
        out, err = self._capsys.readouterr()
        assert_no_traceback(err)
        assert_no_traceback(out)
        return Result(code, out, err)


@pytest.fixture
def cli_system_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI's own ``system_file`` at the conftest's temp system file."""
    patched = layered_config._resolver.system_file
    monkeypatch.setattr(_context, "system_file", patched)
    return patched()


@pytest.fixture
def cli(
    cli_system_file: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """Run ``main([...])`` in-process; returns :class:`Result` and checks for tracebacks."""
    return Cli(capsys, monkeypatch)


def without_colour_vars(environ: dict[str, str]) -> dict[str, str]:
    """Return ``environ`` without inherited colour settings."""
    return {k: v for k, v in environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}


def console_script() -> str:
    """Find the installed ``layered-config``: this interpreter's scripts dir, then PATH."""
    name = "layered-config.exe" if os.name == "nt" else "layered-config"
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which("layered-config")
    if found is None:
        raise RuntimeError("the layered-config console script is not installed")
    return found


class Script:
    """Runs the console script in a subprocess with the test's isolated environment."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd

    def __call__(self, *argv: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
        """Run ``layered-config ARGV`` with ``stdin`` piped in and ``env`` over the base."""
        done = subprocess.run(
            [console_script(), *argv],
            input=stdin,
            env={**self.env, **(env or {})},
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert_no_traceback(done.stderr)
        return Result(done.returncode, done.stdout, done.stderr)

    def on_tty(self, *argv: str, env: dict[str, str] | None = None) -> Result:
        """Run with stdout on a pseudo-terminal; returns what the terminal showed."""
        import pty  # noqa: PLC0415  # POSIX only, so not at import time

        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [console_script(), *argv],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            env={**self.env, **(env or {})},
            cwd=self.cwd,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        proc.stderr.close()
        code = proc.wait(timeout=60)
        assert_no_traceback(err)
        return Result(code, b"".join(chunks).decode().replace("\r\n", "\n"), err)


@pytest.fixture
def script(isolated: Path) -> Script:
    """Run the installed console script with this test's home, env and the null keyring.

    The console script reads the real system file, so the test is skipped if one exists.
    """
    if os.path.exists(REAL_SYSTEM_FILE):
        pytest.skip(f"{REAL_SYSTEM_FILE} exists and would leak into the console script's output")
    env = without_colour_vars(dict(os.environ))
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return Script(env, isolated / "work")


def realign_tables(text: str) -> str:
    """Re-pad every table of ``layered-config`` output after its cells were rewritten.

    A table is a header line (``NAME  `` for show, ``STATUS  `` for explain) and the
    lines after it whose first cell is a field name or a status. Cells are split at runs
    of two or more spaces and padded as ``Output.table`` pads them, so a snapshot does
    not depend on the length of the temp path.
    """
    firsts = {"NAME": set(FIELDS), "STATUS": set(STATUSES)}
    result: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        columns = len(block[0])
        widths = [max(len(row[i]) for row in block if i < len(row)) for i in range(columns)]
        for row in block:
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row)]
            result.append("  ".join(cells).rstrip())
        block.clear()

    for line in text.split("\n"):
        cells = TABLE_GAP.split(line.rstrip())
        if block and cells[0] in firsts[block[0][0]] and len(cells) <= len(block[0]):
            block.append(cells)
            continue
        if block:
            flush()
        if cells[0] in firsts and len(cells) > 1:
            block.append(cells)
        else:
            result.append(line)
    if block:
        flush()
    return "\n".join(result)


def normalise(text: str, tmp_path: Path) -> str:
    """Replace the temp dir with ``<TMP>`` and the version with ``<VERSION>``; re-pad tables."""
    text = text.replace(str(tmp_path), "<TMP>").replace(__version__, "<VERSION>")
    return realign_tables(text)


class Snapshot:
    """Compares text with a stored snapshot, or stores it when updating."""

    def __init__(self, update: bool, tmp_path: Path) -> None:
        self.update = update
        self.tmp_path = tmp_path

    def __call__(self, name: str, text: str) -> None:
        """Check that ``text``, normalised, equals ``tests/snapshots/NAME``."""
        actual = normalise(text, self.tmp_path)
        path = SNAPSHOTS / name
        if self.update:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        if not path.exists():
            pytest.fail(
                f"no snapshot {path}; create it with: python tests/cli_helpers.py\n"
                f"the output was:\n{actual}"
            )
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"{path} (stored)",
                f"{name} (actual)",
            )
            pytest.fail(
                f"output differs from snapshot {name}; if the change is intended, "
                f"update with: python tests/cli_helpers.py\n{''.join(diff)}"
            )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest, tmp_path: Path) -> Snapshot:
    """Compare output with ``tests/snapshots/NAME``; ``--update-snapshots`` rewrites them."""
    update = bool(request.config.getoption(UPDATE_OPTION, default=False))
    return Snapshot(update, tmp_path)


class FileState(NamedTuple):
    """A file's bytes, mtime and mode, to prove that a failed command left it alone."""

    data: bytes
    mtime_ns: int
    mode: int


def file_state(path: Path) -> FileState:
    """Record ``path``'s bytes, mtime and mode."""
    st = os.stat(path)
    return FileState(path.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode))


def mode_of(path: Path) -> int:
    """Return the permission bits of ``path``."""
    return stat.S_IMODE(os.stat(path).st_mode)


def fake_editor(folder: Path, body: str, name: str = "editor") -> Path:
    """Write an executable shell script; ``$1`` in ``body`` is the file to edit."""
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


class LockHolder:
    """A subprocess that holds ``<file>.lock`` until :meth:`release`."""

    def __init__(self, lock_path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(lock_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.strip() == "locked", f"the lock holder did not start: {line!r}"

    def release(self) -> None:
        """Let the holder exit, which drops the lock."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def lock_holder() -> Iterator[Callable[[Path], LockHolder]]:
    """Start processes that hold a lock file; each is released after the test."""
    holders: list[LockHolder] = []

    def start(lock_path: Path) -> LockHolder:
        holder = LockHolder(lock_path)
        holders.append(holder)
        return holder

    yield start
    for holder in holders:
        if holder.proc.poll() is None:
            holder.release()


def json_keyring_env(folder: Path) -> dict[str, str]:
    """Write the JSON-file keyring module into ``folder``; return the env that selects it."""
    (folder / "json_keyring.py").write_text(JSON_KEYRING)
    return {
        "PYTHONPATH": str(folder),
        "PYTHON_KEYRING_BACKEND": "json_keyring.Keyring",
        "TEST_KEYRING_FILE": str(folder / "keyring.json"),
    }


def table_rows(out: str) -> dict[str, list[str]]:
    """Split a ``show``-style table into rows of cells keyed by their first cell."""
    rows = {}
    for line in out.splitlines():
        cells = TABLE_GAP.split(line.strip())
        if len(cells) >= 2:
            rows[cells[0]] = cells[1:]
    return rows


def explain_rows(out: str) -> list[list[str]]:
    """Split ``explain``'s table into rows of cells, header excluded."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STATUS"))
    rows = []
    for line in lines[start + 1 :]:
        cells = TABLE_GAP.split(line.rstrip())
        if len(cells) < 4:
            break
        rows.append(cells)
    return rows


class SnapshotOption:
    """Declares ``--update-snapshots`` for a run started by this file."""

    @staticmethod
    def pytest_addoption(parser: pytest.Parser) -> None:
        """Add the option."""
        parser.addoption(UPDATE_OPTION, action="store_true", help="rewrite tests/snapshots/")


def update_snapshots(extra: Sequence[str] = ()) -> int:
    """Run the snapshot tests with ``--update-snapshots``; return pytest's exit status."""
    tests = Path(__file__).parent
    args = [str(tests / "test_cli_snapshots.py"), "-p", "no:cacheprovider", UPDATE_OPTION]
    return int(pytest.main([*args, *extra], plugins=[SnapshotOption()]))


if __name__ == "__main__":
    raise SystemExit(update_snapshots(sys.argv[1:]))
