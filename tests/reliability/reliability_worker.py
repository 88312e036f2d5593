"""The processes of the reliability suite: ``python reliability_worker.py MODE ARGS...``.

Every mode first points layered-config at the test's system file (the path in
``LAYERED_CONFIG_TEST_SYSTEM_FILE``), so no worker reads the real /etc file.

- ``cli ARGS...``: run ``layered-config ARGS...`` and exit with its status.
- ``writer CONFIG INDEX ROUNDS GO``: wait for the file GO, then ROUNDS times set
  ``domain`` in ``[profiles.wINDEX]`` and the shared ``group``, both to ``wINDEX-ROUND``.
- ``reader CONFIG STOP``: until the file STOP exists, parse CONFIG and run
  ``show --json``; any torn file, failure or unexpected value exits 1.
- ``loop-setter CONFIG``: print ``ready``, then set ``domain`` to ``v1``, ``v2``, ...
  printing ``done N`` after each, until killed.
- ``stall-setter CONFIG VALUE fsync|replace``: set ``domain`` to VALUE, but stop for
  good inside the write (at the temp file's fsync or at the rename), holding the lock,
  after printing ``in-window``.

Writers and readers print one JSON line of counts on success.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from typing import Any


def _use_test_system_file() -> None:
    path = os.environ.get("LAYERED_CONFIG_TEST_SYSTEM_FILE")
    if not path:
        return
    import layered_config._cli._context as context  # noqa: PLC0415
    import layered_config._resolver as resolver  # noqa: PLC0415

    resolver.system_file = context.system_file = lambda: path


def _run(argv: list[str]) -> tuple[int, str, str]:
    from layered_config._cli import main  # noqa: PLC0415

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _fail(what: str) -> None:
    print(what, file=sys.stderr, flush=True)
    sys.exit(1)


def writer(config: str, index: str, rounds: str, go: str) -> None:
    """Set this writer's profile key and the shared key, ROUNDS times each."""
    _run(["--version"])  # imports the CLI before the start, so all start together
    while not os.path.exists(go):
        time.sleep(0.001)
    sets = 0
    for number in range(int(rounds)):
        value = f"w{index}-{number}"
        for argv in (
            ["set", "--config-file", config, "--profile", f"w{index}", "domain", value],
            ["set", "--config-file", config, "group", value],
        ):
            code, out, err = _run(argv)
            if code != 0:
                _fail(f"writer {index}: {argv} exited {code}: {out}{err}")
            sets += 1
    print(json.dumps({"sets": sets}), flush=True)


_GROUP = re.compile(r"w\d+-\d+")


def reader(config: str, stop: str) -> None:
    """Parse the file and run ``show --json`` until STOP appears."""
    parses = shows = absent = 0
    while not os.path.exists(stop):
        try:
            with open(config, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            absent += 1
        else:
            if not data:
                _fail("reader: saw an empty file")
            try:
                tomllib.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                _fail(f"reader: saw a torn file ({exc}): {data!r}")
            parses += 1
        code, out, err = _run(["show", "--json", "--config-file", config])
        if code != 0 or err:
            _fail(f"reader: show --json exited {code}: {err}")
        group = json.loads(out)["fields"]["group"]["value"]
        if group != "default" and not _GROUP.fullmatch(group):
            _fail(f"reader: unexpected group {group!r}")
        shows += 1
    print(json.dumps({"parses": parses, "shows": shows, "absent": absent}), flush=True)


def loop_setter(config: str) -> None:
    """Set ``domain`` to v1, v2, ... until killed, reporting each completed set."""
    _warm_up()
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        code, out, err = _run(["set", "--config-file", config, "domain", f"v{number}"])
        if code != 0:
            _fail(f"loop-setter: set exited {code}: {out}{err}")
        print(f"done {number}", flush=True)


def _warm_up() -> None:
    # Import what a set imports lazily, so that a kill after "ready" lands in set work.
    import filelock  # noqa: F401, PLC0415
    import tomlkit  # noqa: F401, PLC0415

    import layered_config._atomic  # noqa: PLC0415
    import layered_config._cli._write  # noqa: F401, PLC0415

    _run(["--version"])


def stall_setter(config: str, value: str, where: str) -> None:
    """Start a set of ``domain`` and stop for good inside the write, holding the lock."""
    from layered_config import _atomic  # noqa: PLC0415

    real: Callable[..., Any] = getattr(os, where)

    def stall(*args: Any) -> Any:
        if where == "fsync" and not _is_temp_file(args[0]):
            return real(*args)  # the folder's fsync comes after the rename
        print("in-window", file=sys.__stdout__, flush=True)  # stdout is redirected here
        while True:
            time.sleep(60)

    # _atomic calls os.fsync and os.replace through its own ``os`` name.
    _atomic.os = _PatchedOs(where, stall)  # type: ignore[attr-defined]
    code, out, err = _run(["set", "--config-file", config, "domain", value])
    _fail(f"stall-setter: the write finished ({code}): {out}{err}")


def _is_temp_file(fd: int) -> bool:
    return os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp")


class _PatchedOs:
    """The ``os`` module with one function replaced."""

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self._name = name
        self._function = function

    def __getattr__(self, name: str) -> Any:
        return self._function if name == self._name else getattr(os, name)


MODES: dict[str, Callable[..., None]] = {
    "writer": writer,
    "reader": reader,
    "loop-setter": loop_setter,
    "stall-setter": stall_setter,
}

if __name__ == "__main__":
    _use_test_system_file()
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "cli":
        from layered_config._cli import main

        sys.exit(main(args))
    MODES[mode](*args)
