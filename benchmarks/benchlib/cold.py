"""Cold starts: new processes, interleaved round-robin, timed from the parent.

A round runs every contestant once; the order rotates each round and flips on
odd rounds, so no contestant always runs first, after the same neighbour, or on
a cache warmed by the same predecessor.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from .model import Samples

HELPER = Path(__file__).with_name("ns_helper.py")


@dataclass(frozen=True)
class Proc:
    """One contestant of a cold case: a command, its env and the line it must print."""

    label: str
    argv: tuple[str, ...]
    env: Mapping[str, str]
    cwd: str
    expect: str
    launcher: str = "local"


@dataclass(frozen=True)
class Outcome:
    """One timed run."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str


def time_run(argv: tuple[str, ...] | list[str], env: Mapping[str, str], cwd: str) -> Outcome:
    """Run one process and time it from just before spawn to just after exit."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv), env=dict(env), cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    return Outcome(seconds, done.returncode, done.stdout, done.stderr)


class Launcher(Protocol):
    """Something that runs a ``Proc`` and times it."""

    def run(self, proc: Proc) -> Outcome:
        """Run and time ``proc`` once."""
        ...

    def close(self) -> None:
        """Release the launcher."""
        ...


class LocalLauncher:
    """Runs processes directly from this one."""

    def run(self, proc: Proc) -> Outcome:
        """Run and time ``proc`` once."""
        return time_run(proc.argv, proc.env, proc.cwd)

    def close(self) -> None:
        """Nothing to release."""


class NamespaceLauncher:
    """Runs processes from a helper in a private mount namespace (see ``ns_helper``).

    The helper overlays ``/etc`` with a temp folder, so a system file can exist
    for the contestants while the real ``/etc`` is never written.
    """

    def __init__(self, overlay: Path, system_file: str | None) -> None:
        config = {"overlay": str(overlay), "system_file": system_file}
        self.proc = subprocess.Popen(
            [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                sys.executable,
                str(HELPER),
                json.dumps(config),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready = self._read()
        if ready.get("ready") is not True:
            raise RuntimeError(str(ready.get("error", "the namespace helper did not start")))

    def _read(self) -> dict[str, Any]:
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            return {"error": err.strip()[-300:] or "the namespace helper exited"}
        data: dict[str, Any] = json.loads(line)
        return data

    def run(self, proc: Proc) -> Outcome:
        """Ask the helper to run and time ``proc`` once."""
        if self.proc.stdin is None:
            raise RuntimeError("the namespace helper has no stdin")
        self.proc.stdin.write(json.dumps(asdict(proc)) + "\n")
        self.proc.stdin.flush()
        data = self._read()
        if "error" in data:
            raise RuntimeError(str(data["error"]))
        return Outcome(data["seconds"], data["returncode"], data["stdout"], data["stderr"])

    def close(self) -> None:
        """Stop the helper; its namespace and overlay go with it."""
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _problem(proc: Proc, out: Outcome) -> str | None:
    if out.returncode != 0:
        tail = out.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        return f"{proc.label}: exit {out.returncode}: {tail[0][:200]}"
    got = out.stdout.strip()
    if got != proc.expect:
        return f"{proc.label}: printed {got[:80]!r}, expected {proc.expect!r}"
    return None


def run_cold(
    procs: list[Proc],
    launchers: Mapping[str, Launcher],
    rounds: int,
    *,
    warmup: int = 2,
    progress: Callable[[str], None] = lambda _msg: None,
) -> tuple[Samples, list[str]]:
    """Warm up and check each contestant, then time ``rounds`` interleaved rounds."""
    notes: list[str] = []
    good: list[Proc] = []
    for proc in procs:
        out = Outcome(0.0, 0, "", "")
        for _ in range(warmup):
            out = launchers[proc.launcher].run(proc)
        problem = _problem(proc, out)
        if problem:
            notes.append(f"dropped {problem}")
            continue
        if out.stderr.strip():
            first = out.stderr.strip().splitlines()[0]
            notes.append(f"{proc.label} writes to stderr: {first[:160]}")
        good.append(proc)
    samples: Samples = {proc.label: [] for proc in good}
    for index in range(rounds):
        shift = index % max(len(good), 1)
        order = good[shift:] + good[:shift]
        if index % 2:
            order.reverse()
        for proc in order:
            out = launchers[proc.launcher].run(proc)
            problem = _problem(proc, out)
            if problem:
                notes.append(f"round {index}: {problem}")
            samples[proc.label].append(out.seconds)
        progress(f"round {index + 1}/{rounds}")
    return samples, notes
