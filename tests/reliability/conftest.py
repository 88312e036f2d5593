"""Fixtures of the reliability suite, on top of ``tests/conftest.py``'s isolation.

- ``cli_system_file`` (autouse): the CLI's own copy of ``system_file`` and every
  worker subprocess use the test's temp system file too, never /etc's.
- ``config_path``: the user file this test's commands name with ``--config-file``.

At the end of the run the measured counts are printed, and written as JSON to
``$LAYERED_CONFIG_RELIABILITY_REPORT`` when that is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from reliability_support import SEED, SEED_VAR, STATS, SYSTEM_FILE_VAR

import layered_config._resolver
from layered_config._cli import _context

REPORT_VAR = "LAYERED_CONFIG_RELIABILITY_REPORT"


@pytest.fixture(autouse=True)
def cli_system_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI and worker subprocesses at the temp system file, and keep editors out."""
    path = layered_config._resolver.system_file()
    monkeypatch.setattr(_context, "system_file", lambda: path)
    monkeypatch.setenv(SYSTEM_FILE_VAR, path)
    # Subprocesses cannot see the in-process memory keyring: pin a backend that fails.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("VISUAL", "true")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


@pytest.fixture
def config_path(isolated: Path) -> Path:
    """The user file, in a folder that does not exist yet."""
    return isolated / "cfg" / "config.toml"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the reliability suite measured, and save it when asked."""
    if not STATS:
        return
    seed = terminalreporter.config.getoption("hypothesis_seed", None)
    header = {"seed": SEED, "hypothesis_seed": seed}
    terminalreporter.section("reliability counts")
    terminalreporter.line(f"{SEED_VAR}={SEED}  --hypothesis-seed={seed}")
    for scenario, counts in sorted(STATS.items()):
        shown = ", ".join(f"{key}={value}" for key, value in counts.items())
        terminalreporter.line(f"{scenario}: {shown}")
    target = os.environ.get(REPORT_VAR)
    if target:
        Path(target).write_text(json.dumps({**header, "scenarios": STATS}, indent=2) + "\n")
