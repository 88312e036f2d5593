"""Where import time goes: ``python -X importtime``, repeated, medians, ranked.

Modules that ``python -c pass`` also imports (the interpreter's own startup) are
left out, so the ranking shows only what the measured code adds.
"""

from __future__ import annotations

import statistics
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "import time:"


@dataclass(frozen=True)
class ImportRow:
    """One module's median self and cumulative import time, in seconds."""

    module: str
    self_s: float
    cumulative_s: float


def parse(stderr: str) -> dict[str, tuple[float, float]]:
    """``{module: (self_s, cumulative_s)}`` from one ``-X importtime`` run."""
    out: dict[str, tuple[float, float]] = {}
    for line in stderr.splitlines():
        if not line.startswith(PREFIX) or "[us]" in line:
            continue
        self_us, cumulative_us, name = line[len(PREFIX) :].split("|", 2)
        out[name.strip()] = (int(self_us) / 1e6, int(cumulative_us) / 1e6)
    return out


def _once(python: Path, code: str, env: Mapping[str, str], cwd: str) -> str:
    done = subprocess.run(
        [str(python), "-X", "importtime", "-c", code],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        raise RuntimeError(f"exit {done.returncode}: {tail[0][:200]}")
    return done.stderr


def profile(
    python: Path, code: str, env: Mapping[str, str], cwd: str, runs: int
) -> list[ImportRow]:
    """Rank the modules ``code`` imports beyond startup by median self time."""
    startup = set(parse(_once(python, "pass", env, cwd)))
    parsed = [parse(_once(python, code, env, cwd)) for _ in range(runs)]
    common = set.intersection(*(set(p) for p in parsed)) - startup
    rows = [
        ImportRow(
            module,
            statistics.median(p[module][0] for p in parsed),
            statistics.median(p[module][1] for p in parsed),
        )
        for module in common
    ]
    rows.sort(key=lambda row: row.self_s, reverse=True)
    return rows
