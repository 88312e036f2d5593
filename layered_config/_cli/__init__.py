"""The ``layered-config`` command: show, explain and safely edit the configuration.

Exit status: 0 ok, 1 a configuration problem (one line, no traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import NoReturn

from .._errors import LayeredConfigError, LegacyEnvWarning
from .._fields import FIELDS
from .._version import __version__
from ._context import Context, UsageError
from ._output import Output

__all__ = ["build_parser", "main"]

_Handler = Callable[[Context], int]


def _handler(name: str) -> _Handler:
    # Each command's module is imported only when that command runs.
    def run(ctx: Context) -> int:
        if name in {"set", "unset", "edit"}:
            from . import _edit, _write  # noqa: PLC0415

            handlers: dict[str, _Handler] = {
                "set": _write.cmd_set, "unset": _write.cmd_unset, "edit": _edit.cmd_edit,
            }  # fmt: skip
        elif name == "doctor":
            from ._doctor import cmd_doctor  # noqa: PLC0415

            handlers = {"doctor": cmd_doctor}
        else:
            from . import _inspect  # noqa: PLC0415

            handlers = {
                "show": _inspect.cmd_show, "get": _inspect.cmd_get, "explain": _inspect.cmd_explain,
                "profiles": _inspect.cmd_profiles, "path": _inspect.cmd_path,
            }  # fmt: skip
        return handlers[name](ctx)

    return run


class _Parser(argparse.ArgumentParser):
    """An argument parser that never repeats what follows ``secret_key`` on the command line."""

    argv: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:
        # "set secret_key -S3cret" reads as an unknown option, and argparse would
        # print the secret back; name the problem without the words.
        if "secret_key" in self.argv and message.startswith("unrecognized arguments"):
            message = "unrecognized arguments (not shown: they may hold a secret)"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with one subcommand per command."""
    common = _Parser(add_help=False)
    common.add_argument("--profile", help="use [profiles.NAME] (default: $BACKEND_PROFILE)")
    common.add_argument("--config-file", metavar="PATH", help="the user file to read and write")
    parser = _Parser(
        prog="layered-config",
        description="Show, explain and edit the Backend.AI client configuration.",
        epilog="Exit status: 0 ok, 1 configuration problem, 2 bad usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    keys = ", ".join(FIELDS)

    def command(
        name: str, text: str, *, json: bool = True, secrets: bool = False
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=text, description=text)
        sub.set_defaults(handler=_handler(name))
        if json:
            sub.add_argument("--json", action="store_true", help="print JSON")
        if secrets:
            sub.add_argument("--show-secrets", action="store_true", help="print secrets unmasked")
        return sub

    show = command("show", "show every field with its value, source and location", secrets=True)
    show.add_argument("--format", choices=["table", "env"], default="table",
                      help="'env' prints export lines for CI and containers")  # fmt: skip
    command("get", "print one value, in env spelling", secrets=True).add_argument("key", help=keys)
    command("explain", "show every layer's offer for a key", secrets=True).add_argument(
        "key", help=keys
    )
    setter = command("set", "write a key to the user file (secret_key: to the keyring)", json=False)
    setter.add_argument("key", help=keys)
    setter.add_argument("value", nargs="?", help="the value, in env spelling (not for secret_key)")
    plaintext = "store secret_key in the user file (mode 0600), not the keyring"
    setter.add_argument("--plaintext", action="store_true", help=plaintext)
    unset = "remove a key from the user file (and secret_key from the keyring)"
    command("unset", unset, json=False).add_argument("key", help=keys)
    command("profiles", "list each file's profiles, the active one marked")
    command("path", "list the files read, in order, and the keyring backend")
    command("edit", "open the user file in $VISUAL or $EDITOR, then check it", json=False)
    doctor = command("doctor", "find problems (exit 1) and give advice (exit 0)")
    doctor.add_argument("--strict", action="store_true", help="exit 1 on advice too")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    parser.argv = list(sys.argv[1:] if argv is None else argv)  # type: ignore[attr-defined]
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage and 0 on --help
        return exc.code if isinstance(exc.code, int) else 2
    out = Output()
    _fresh_process_state()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(args, out)
    _print_warnings(out, caught)
    return code


def _run(args: argparse.Namespace, out: Output) -> int:
    try:
        return int(args.handler(Context(args, out, os.environ)))
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other tools do.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except UsageError as exc:
        out.error(str(exc))
        return 2
    except LayeredConfigError as exc:
        out.error(str(exc))
        return 1
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130


def _print_warnings(out: Output, caught: list[warnings.WarningMessage]) -> None:
    seen = set()
    for warning in caught:
        text = str(warning.message)
        if text in seen:
            continue
        seen.add(text)
        if issubclass(warning.category, LegacyEnvWarning):
            out.warn(f"{text} (legacy SORNA_ names will stop working in a future release)")
        else:
            out.warn(text)


def _fresh_process_state() -> None:
    # Each run reads files and warns as a new process would, even in-process.
    from ..sources import _tomlfile, env  # noqa: PLC0415

    _tomlfile._cache.clear()
    env._warned.clear()
