"""Concurrent writers and readers, killed writers, and threads.

The writers and readers are separate processes that each call ``main(argv)`` in a
loop: one process per command would spend most of its time importing, and the
point is to overlap the critical sections as often as possible.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from reliability_support import (
    SEED,
    WORKER,
    cli_process,
    record,
    run_cli,
    temp_files,
)

import layered_config
from layered_config import APIConfig, get_config, resolve, set_config
from layered_config._errors import LayeredConfigError

WRITERS = 6
ROUNDS = 40  # two sets per round: 80 set commands per writer
READERS = 2
RANDOM_KILLS = 60
STALLED_KILLS = 6  # half in the temp file's fsync, half at the rename
FRESH_PROCESS_KILLS = 12

pytestmark = pytest.mark.slow


def spawn(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[str]:
    """Start a worker process; its stderr explains any failure."""
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> dict[str, int]:
    """Wait for a worker, require success, and return the counts it printed."""
    out, err = proc.communicate(timeout=100)
    assert proc.returncode == 0, err
    return dict(json.loads(out.strip().splitlines()[-1]))


@contextmanager
def reaped(procs: list[subprocess.Popen[str]]) -> Iterator[None]:
    """Kill whatever is still running when the block ends, even on failure."""
    try:
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


def lock_is_free(config: Path) -> bool:
    """Ask the kernel, without waiting, whether anyone holds the flock on the lock file."""
    fd = os.open(f"{config}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def domain_in(config: Path) -> str:
    """Parse the file (which must be whole) and return its ``domain``."""
    return str(tomllib.loads(config.read_text(encoding="utf-8"))["domain"])


# 1. Concurrent writers -------------------------------------------------------------


def test_concurrent_writers_and_readers(config_path: Path) -> None:
    """6 writers x 80 sets, 2 readers: no lost update, no torn file, no failed read."""
    config_path.parent.mkdir(mode=0o700)
    go, stop = config_path.parent / "go", config_path.parent / "stop"
    writers = [
        spawn("writer", str(config_path), str(index), str(ROUNDS), str(go))
        for index in range(WRITERS)
    ]
    readers = [spawn("reader", str(config_path), str(stop)) for _ in range(READERS)]
    with reaped(writers + readers):
        go.touch()
        sets = [finish(proc)["sets"] for proc in writers]
        stop.touch()
        reads = [finish(proc) for proc in readers]

    data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    last = ROUNDS - 1
    for index in range(WRITERS):
        assert data["profiles"][f"w{index}"]["domain"] == f"w{index}-{last}"
    assert data["group"] in {f"w{index}-{last}" for index in range(WRITERS)}
    assert temp_files(config_path.parent) == []
    assert sorted(os.listdir(config_path.parent)) == [
        "config.toml",
        "config.toml.lock",
        "go",
        "stop",
    ]
    shown = run_cli(["show", "--json", "--config-file", str(config_path)])
    assert json.loads(shown.out)["fields"]["group"]["value"] == data["group"]
    assert all(r["shows"] > 0 for r in reads)
    record(
        "concurrent writers",
        writers=WRITERS,
        sets=sum(sets),
        readers=READERS,
        reader_parses=sum(r["parses"] for r in reads),
        reader_shows=sum(r["shows"] for r in reads),
    )


# 2. Killed writers -----------------------------------------------------------------


def check_after_kill(config: Path, allowed: set[str], next_value: str) -> int:
    """Check the file, the lock and the temp files after a kill; return the orphans seen.

    The next set writes ``next_value``, a new one: a set that changes nothing
    does not write, and so does not sweep either.
    """
    assert domain_in(config) in allowed
    assert lock_is_free(config), "the killed writer's lock is still held"
    orphans = len(temp_files(config.parent))
    assert orphans <= 1
    # The next set succeeds at once, and it sweeps what the killed writer left.
    result = run_cli(["set", "--config-file", str(config), "domain", next_value])
    assert result.code == 0, result
    assert domain_in(config) == next_value
    assert temp_files(config.parent) == []
    return orphans


def test_writers_killed_at_random_moments(config_path: Path) -> None:
    """SIGKILL a looping setter at random moments: old or new value, lock free, no orphans."""
    rng = random.Random(SEED)  # noqa: S311  # reproducible, not secret
    assert run_cli(["set", "--config-file", str(config_path), "domain", "base0"]).code == 0
    orphans = completed = 0
    for kill in range(RANDOM_KILLS):
        proc = spawn("loop-setter", str(config_path))
        with reaped([proc]):
            assert proc.stdout is not None
            assert proc.stdout.readline() == "ready\n", proc.stderr
            time.sleep(rng.uniform(0, 0.06))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            lines = proc.stdout.read().split()
        done = [int(n) for n in lines[1::2]]
        last = done[-1] if done else 0
        completed += last
        # Killed after set N completed: N. Killed during set N+1: N or N+1.
        before = f"base{kill}" if last == 0 else f"v{last}"
        orphans += check_after_kill(config_path, {before, f"v{last + 1}"}, f"base{kill + 1}")
    record(
        "killed writers (random moment)",
        kills=RANDOM_KILLS,
        sets_completed_before_kills=completed,
        kills_that_left_a_temp_file=orphans,
    )


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to spot the temp file")
@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_writer_killed_inside_the_write(config_path: Path, where: str) -> None:
    """SIGKILL a setter stopped inside the write: the lock was held, then is free; no orphan."""
    assert run_cli(["set", "--config-file", str(config_path), "domain", "old0"]).code == 0
    orphans = 0
    for number in range(STALLED_KILLS // 2):
        proc = spawn("stall-setter", str(config_path), f"new{number}", where)
        with reaped([proc]):
            assert proc.stdout is not None
            assert proc.stdout.readline() == "in-window\n", proc.stderr
            assert not lock_is_free(config_path), "a writer is inside the write without the lock"
            assert len(temp_files(config_path.parent)) == 1
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        # The rename never happened, so the old value is there, whole.
        orphans += check_after_kill(config_path, {f"old{number}"}, f"old{number + 1}")
    assert orphans == STALLED_KILLS // 2
    record(f"killed writers (stopped in {where})", kills=STALLED_KILLS // 2, orphans_swept=orphans)


def test_fresh_set_processes_killed_at_random_moments(config_path: Path) -> None:
    """SIGKILL `layered-config set` processes anywhere from start-up to exit."""
    rng = random.Random(SEED + 1)  # noqa: S311  # reproducible, not secret
    assert run_cli(["set", "--config-file", str(config_path), "domain", "base0"]).code == 0
    finished = orphans = 0
    for number in range(FRESH_PROCESS_KILLS):
        argv = ["cli", "set", "--config-file", str(config_path), "domain", f"fresh{number}"]
        proc = spawn(*argv, stdout=subprocess.DEVNULL)
        with reaped([proc]):
            time.sleep(rng.uniform(0, 0.12))
            proc.send_signal(signal.SIGKILL)
            finished += proc.wait(timeout=30) == 0
        allowed = {f"base{number}", f"fresh{number}"}
        orphans += check_after_kill(config_path, allowed, f"base{number + 1}")
    # A fresh process still runs the command as a console script would.
    assert cli_process(["set", "--config-file", str(config_path), "domain", "last"]).code == 0
    assert domain_in(config_path) == "last"
    record(
        "killed writers (fresh processes)",
        kills=FRESH_PROCESS_KILLS,
        finished_before_the_kill=finished,
        kills_that_left_a_temp_file=orphans,
    )


# 3. Threads ------------------------------------------------------------------------

THREADS = 16
CALLS_PER_THREAD = 300


def test_threads_get_config_set_config_resolve(
    user_file: Any, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many threads build, replace and resolve the config while the file keeps changing."""
    path = user_file(
        'endpoint = "https://threads.example.com"\n'
        'access_key = "AKTHREADS"\n'
        "vfolder_mounts = ['a', 'b']\n"
        "[profiles.other]\n"
        'domain = "other"\n'
    )
    memory_keyring.secrets["backend.ai", "AKTHREADS"] = "threads-secret-0123456789"
    monkeypatch.setenv("BACKEND_GROUP", "g1")
    monkeypatch.setenv("BACKEND_KEYRING_TIMEOUT", "60")  # no timeout under heavy switching
    custom = APIConfig()
    expected = {
        "endpoint": "https://threads.example.com",
        "access_key": "AKTHREADS",
        "secret_key": "threads-secret-0123456789",
        "group": "g1",
        "vfolder_mounts": ["a", "b"],
    }

    def same(config: APIConfig) -> None:
        got = {name: getattr(config, name) for name in expected}
        got["endpoint"] = str(got["endpoint"])
        assert got == expected

    def check_resolution() -> None:
        resolution = resolve()
        same(resolution.config)
        # Reading locations computes line numbers lazily, on shared cached origins.
        assert resolution.origin("endpoint").location == f"{path}:1"  # type: ignore[union-attr]
        keyring = [e.status for e in resolution.explain("secret_key") if e.source == "keyring"]
        assert keyring == ["winner"]

    def check_profile() -> None:
        assert resolve(profile="other").values["domain"] == "other"

    def touch() -> None:
        # A new mtime makes every reader parse the file again, with fresh origins.
        os.utime(path, ns=(time.time_ns(), time.time_ns()))

    actions: list[Callable[[], None]] = [
        lambda: same(get_config()),
        lambda: set_config(None),
        lambda: set_config(custom),
        check_resolution,
        check_profile,
        touch,
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)
    rng = random.Random(SEED + 2)  # noqa: S311  # reproducible, not secret
    plans = [[rng.choice(actions) for _ in range(CALLS_PER_THREAD)] for _ in range(THREADS)]

    def work(plan: list[Callable[[], None]]) -> None:
        try:
            barrier.wait()
            for action in plan:
                action()
        except BaseException as exc:  # reported below with its traceback
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(plan,)) for plan in plans]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=100)
    finally:
        sys.setswitchinterval(interval)
    assert not any(thread.is_alive() for thread in threads)
    if errors:
        raise errors[0]
    same(get_config())
    assert isinstance(get_config(), layered_config.APIConfig)
    record("threads", threads=THREADS, calls=THREADS * CALLS_PER_THREAD)


def test_threads_see_one_error_type_for_a_broken_file(user_file: Any) -> None:
    """A broken file gives every thread the same LayeredConfigError, never another one."""
    user_file('endpoint = "https://x.example.com"\naccess_key = [1\n')
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        for _ in range(50):
            try:
                get_config()
            except LayeredConfigError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(errors) == 8 * 50
    assert len({str(error) for error in errors}) == 1
