"""Helpers shared by the reliability suite: canaries, CLI runners, snapshots and the report.

The suite's modules import this file by name: pytest's default ``prepend`` import
mode puts ``tests/reliability`` on ``sys.path``, as it does for ``tests``.

- ``run_cli``: ``main(argv)`` in-process, with stdout and stderr as CPython makes
  them in an ``en_US.UTF-8`` locale (a strict stdout), a chosen stdin, and no traceback.
- ``cli_process``: the same command in a fresh interpreter, through ``WORKER``.
- ``leaks``: whether text shows a secret, or a long enough piece of it.
- ``snapshot_tree``: every byte and mode under a folder, to prove a failed write
  changed nothing.
- ``record``: a measured count for the summary that ``docs/reliability.md`` quotes.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import stat
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cli_helpers import Result

from layered_config._cli import main

HERE = Path(__file__).resolve().parent
WORKER = HERE / "reliability_worker.py"
"""The script that subprocesses run: ``python reliability_worker.py MODE ARGS...``."""

SYSTEM_FILE_VAR = "LAYERED_CONFIG_TEST_SYSTEM_FILE"
"""Tells a worker where the system file is, so no subprocess reads the real /etc one."""

SEED_VAR = "LAYERED_CONFIG_RELIABILITY_SEED"
SEED = int(os.environ.get(SEED_VAR) or random.SystemRandom().randrange(2**32))
"""Seeds every random choice of the suite outside Hypothesis; printed in the summary."""

SECRET = "kX7qZ9vLmW3pR8tY2nB5cD4f"
"""The canary secret key: 24 characters, so the mask shows ``****`` and its last 4."""
SECRET_MASKED = "****" + SECRET[-4:]

URL_PASSWORD = "Pw9Jq4Vz8Lx2"
"""The canary password inside an endpoint URL; it is masked as ``****`` entirely."""
SECRET_URL = f"https://alice:{URL_PASSWORD}@api.example.com/"
ACCESS_KEY = "AKIARELIABILITYTEST0"

TRACEBACK = "Traceback (most recent call last)"

STATS: dict[str, dict[str, Any]] = {}
"""What the suite measured, by scenario; printed at the end and saved on request."""
_STATS_LOCK = threading.Lock()


def record(scenario: str, **counts: Any) -> None:
    """Add measured counts to ``scenario``: numbers add up, anything else is replaced."""
    with _STATS_LOCK:
        entry = STATS.setdefault(scenario, {})
        for key, value in counts.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                entry[key] = entry.get(key, 0) + value
            else:
                entry[key] = value


def leaks(text: str, secret: str, *, shown_tail: int = 0) -> bool:
    """Tell whether ``text`` shows ``secret`` or any 6 characters of it in a row.

    ``shown_tail`` characters at the end are allowed to appear, because the mask
    of a long secret shows its last 4 on purpose.
    """
    if secret in text:
        return True
    hidden = secret[: len(secret) - shown_tail] if shown_tail else secret
    width = min(6, len(hidden))
    return any(hidden[i : i + width] in text for i in range(len(hidden) - width + 1))


def assert_no_leak(text: str, what: str) -> None:
    """Fail when ``text`` shows the canary secret or the canary URL password."""
    assert not leaks(text, SECRET, shown_tail=4), f"the secret key leaked in {what}: {text!r}"
    assert not leaks(text, URL_PASSWORD), f"the URL password leaked in {what}: {text!r}"


def _stream(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _text_of(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_cli(argv: Sequence[str], stdin: str = "") -> Result:
    """Run ``main(argv)`` in-process and return its status and output.

    Any exception escapes, so a foreign exception fails the calling test.
    """
    # As CPython sets them up in a UTF-8 locale other than C: stdout raises on what it
    # cannot encode, stderr always escapes it.
    out, err = _stream("strict"), _stream("backslashreplace")
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        sys.stdin = old_stdin
    result = Result(code, _text_of(out), _text_of(err))
    assert TRACEBACK not in result.out + result.err, result
    return result


def cli_process(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    stdin: str = "",
    timeout: float = 60,
) -> Result:
    """Run the command in a fresh interpreter (the system file is the test's)."""
    done = subprocess.run(
        [sys.executable, str(WORKER), "cli", *argv],
        input=stdin,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(result: Result) -> None:
    """Exit 1 with exactly one error line on stderr, and no traceback."""
    assert result.code == 1, result
    assert len(result.errors) == 1, result
    assert TRACEBACK not in result.err, result


def temp_files(folder: Path) -> list[str]:
    """Return the leftover temp files of ``config.toml`` in ``folder``."""
    return sorted(
        name for name in os.listdir(folder) if name.startswith(".") and name.endswith(".tmp")
    )


def snapshot_tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Return the mode and the bytes (or link target) of everything under ``folder``.

    Lock files (``*.lock``) are left out, and so is a folder that holds nothing
    else: the permanent lock file, with the folder made to hold it, appears on the
    first attempt to write, and it is expected to stay.
    """
    tree: dict[str, tuple[int, bytes]] = {}
    for root, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            if name.endswith(".lock"):
                continue
            path = os.path.join(root, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                data = os.readlink(path).encode("utf-8", "surrogateescape")
            elif stat.S_ISREG(st.st_mode) and st.st_mode & stat.S_IRUSR:
                with open(path, "rb") as handle:
                    data = handle.read()
            else:
                data = b""
            tree[os.path.relpath(path, folder)] = (st.st_mode, data)
    folders = [name for name, (mode, _) in tree.items() if stat.S_ISDIR(mode)]
    for name in folders:
        if not any(other.startswith(name + os.sep) for other in tree):
            del tree[name]
    return tree
