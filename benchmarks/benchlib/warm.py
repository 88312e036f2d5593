"""Warm calls: one long-lived worker per contestant, batches interleaved.

Each worker runs in its contestant's venv, env and empty working directory.  A
round asks every worker for one batch (sized to take about ``target`` seconds)
in rotating order; only one worker runs at a time.  A sample is the mean time
per call within a batch; the table takes medians across rounds.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .model import Samples

WORKER = Path(__file__).with_name("warm_worker.py")


@dataclass(frozen=True)
class WorkerSpec:
    """One contestant of a warm case."""

    label: str
    python: Path
    directory: Path
    module: str
    env: Mapping[str, str]
    cwd: str
    expect: str


class Worker:
    """A running warm worker."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        # Lives as long as the worker; close() closes it.
        self.errors: IO[str] = tempfile.TemporaryFile("w+")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(spec.python), str(WORKER), str(spec.directory), spec.module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=dict(spec.env),
            cwd=spec.cwd,
            text=True,
        )
        self.count = 1

    def _line(self) -> str:
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.errors.seek(0)
            tail = self.errors.read().strip().splitlines()[-1:] or ["(no stderr)"]
            raise RuntimeError(f"{self.spec.label}: worker exited: {tail[0][:200]}")
        return line

    def start(self) -> str | None:
        """Wait for the worker; return a problem, or None when it resolved as expected."""
        try:
            got = json.loads(self._line())["endpoint"]
        except RuntimeError as exc:
            return str(exc)
        if got != self.spec.expect:
            return f"{self.spec.label}: resolved {got!r}, expected {self.spec.expect!r}"
        return None

    def batch(self, count: int) -> float:
        """Time ``count`` calls; return the seconds per call."""
        if self.proc.stdin is None:
            raise RuntimeError("worker has no stdin")
        self.proc.stdin.write(f"{count}\n")
        self.proc.stdin.flush()
        return float(self._line()) / count

    def calibrate(self, target: float) -> None:
        """Pick a batch size that takes about ``target`` seconds."""
        count = 1
        per_call = self.batch(count)
        while per_call * count < target / 5 and count < 10**7:
            count *= 10
            per_call = self.batch(count)
        self.count = max(1, round(target / per_call))

    def stderr_head(self) -> str:
        """The first line the worker wrote to stderr, if any."""
        self.errors.seek(0)
        text = self.errors.read().strip()
        return text.splitlines()[0][:160] if text else ""

    def close(self) -> None:
        """Stop the worker."""
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.errors.close()


def run_warm(
    specs: list[WorkerSpec],
    rounds: int,
    *,
    target: float = 0.02,
    progress: Callable[[str], None] = lambda _msg: None,
) -> tuple[Samples, list[str], dict[str, int]]:
    """Start the workers, calibrate, then time ``rounds`` interleaved rounds."""
    notes: list[str] = []
    workers: list[Worker] = []
    try:
        for spec in specs:
            worker = Worker(spec)
            problem = worker.start()
            if problem is None:
                try:
                    worker.calibrate(target)
                except RuntimeError as exc:
                    problem = str(exc)
            if problem:
                notes.append(f"dropped {problem}")
                worker.close()
                continue
            workers.append(worker)
        samples: Samples = {w.spec.label: [] for w in workers}
        for index in range(rounds):
            shift = index % max(len(workers), 1)
            order = workers[shift:] + workers[:shift]
            if index % 2:
                order.reverse()
            for worker in order:
                samples[worker.spec.label].append(worker.batch(worker.count))
            progress(f"round {index + 1}/{rounds}")
        for worker in workers:
            head = worker.stderr_head()
            if head:
                notes.append(f"{worker.spec.label} writes to stderr: {head}")
        return samples, notes, {w.spec.label: w.count for w in workers}
    finally:
        for worker in workers:
            worker.close()
