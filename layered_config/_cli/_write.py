"""The commands that change the user file: set, unset and edit."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from typing import Any

from .._atomic import WriteResult, locked_update
from .._errors import ConfigFileError, ConfigValueError, LayeredConfigError
from .._fields import FIELDS
from .._tomledit import remove_key, set_key
from ..sources._base import bad_value
from ..sources._tomlfile import check_text, load
from ._context import Context, UsageError

__all__ = ["cmd_set", "cmd_unset", "describe_target", "note_shadowing", "write"]


def write(
    ctx: Context, edit: Callable[[str | None], str | None], *, secret: bool = False
) -> WriteResult:
    """Apply ``edit`` to the user file under the lock, refusing any invalid result."""

    def change(text: str | None) -> str | None:
        if text:
            try:
                check_text(ctx.user_file, text)
            except ConfigFileError:
                raise  # syntax or structure: tomlkit could not edit it safely
            except ConfigValueError:
                pass  # a bad value: this write may be what repairs it; the result is checked
        from tomlkit.exceptions import TOMLKitError  # noqa: PLC0415  # the write path only

        try:
            new = edit(text)
        except (TOMLKitError, ValueError) as exc:
            # tomllib read it, tomlkit cannot edit it: nested too deep, or
            # profiles written as an inline table, for example.
            raise ConfigFileError(f"{ctx.user_file}: cannot edit this file: {exc}") from None
        if new is None or new == text:
            return None
        check_text(ctx.user_file, new)
        return new

    with warnings.catch_warnings():
        # Unknown keys are reported when the file is read, not once more here.
        warnings.simplefilter("ignore")
        return locked_update(ctx.user_file, change, secret=secret)


def describe_target(ctx: Context) -> str:
    """Name the table a write goes to: the file, and the profile if any."""
    return ctx.user_file + (f" [profiles.{ctx.profile}]" if ctx.profile else "")


def parse_value(name: str, text: str) -> Any:
    """Convert env-style text to the field's native TOML value."""
    converter = FIELDS[name].converter
    try:
        return converter.to_toml(converter.from_env(text))
    except ValueError as exc:
        raise bad_value(name, "VALUE", str(exc.args[0]), text) from None


def cmd_set(ctx: Context) -> int:
    """Write one key to the user file (or the keyring, for the secret key)."""
    name = ctx.field(ctx.args.key)
    if name == "secret_key":
        from ._secret import set_secret  # noqa: PLC0415

        return set_secret(ctx)
    if ctx.args.plaintext:
        raise UsageError("--plaintext applies to secret_key only")
    if ctx.args.value is None:
        raise UsageError(f"set {name} needs a VALUE")
    value = parse_value(name, ctx.args.value)
    previous = _current(ctx, "access_key") if name == "access_key" else None
    result = write(ctx, lambda text: set_key(text, ctx.profile, name, value))
    _report(ctx, result, f"set {name} in {describe_target(ctx)}")
    note_shadowing(ctx, name)
    # Compare the access key in effect, not the text written: env may still override it.
    current = _current(ctx, "access_key") if name == "access_key" else None
    if previous and current and current != previous and not _still_used(ctx, previous):
        from ._secret import warn_secret_left_behind  # noqa: PLC0415

        warn_secret_left_behind(ctx, previous, current)
    return 0


def _still_used(ctx: Context, access_key: str) -> bool:
    # Another table (the base, when a profile changed its key) may still use the
    # old key; then its keyring secret is not left behind and must stay.
    for layer, path in ctx.files():
        parsed = load(path, system=layer == "system")
        if isinstance(parsed, str):
            continue
        tables = [parsed.base, *parsed.profiles.values()]
        if any(table.get("access_key") == access_key for table in tables):
            return True
    return False


def cmd_unset(ctx: Context) -> int:
    """Remove one key from the user file (and the keyring, for the secret key)."""
    name = ctx.field(ctx.args.key)
    if name == "secret_key":
        from ._secret import unset_secret  # noqa: PLC0415

        return unset_secret(ctx)
    # With no file there is nothing to remove, and no folder or lock file to create.
    exists = os.path.lexists(ctx.user_file)
    if not (exists and write(ctx, lambda text: remove_key(text, ctx.profile, name)).changed):
        ctx.out.line(f"{name} is not set in {describe_target(ctx)}; nothing to remove")
        return 0
    ctx.out.line(f"removed {name} from {describe_target(ctx)}")
    note_shadowing(ctx, name)
    return 0


def _report(ctx: Context, result: WriteResult, what: str) -> None:
    if not result.changed:
        ctx.out.line(f"{what}: already set to that value")
        return
    ctx.out.line(what)
    if result.created:
        ctx.out.line(f"created {result.path} with mode {result.mode:04o}")
    if result.tightened:
        ctx.out.line(f"tightened {result.path} to mode 0600, because it now holds a secret")


def _current(ctx: Context, name: str) -> Any:
    try:
        return ctx.resolve(keyring=False).values.get(name)
    except LayeredConfigError:
        return None


def note_shadowing(ctx: Context, name: str) -> None:
    """Say so when a higher layer than the user file decides the key."""
    try:
        entries = ctx.resolve(keyring=False).explain(name)
    except LayeredConfigError as exc:
        ctx.out.warn(f"could not check which layer wins for {name}: {exc}")
        return
    for entry in entries:
        if entry.status != "winner":
            continue
        if entry.source in {"env", "argument"}:
            ctx.out.line(f"note: {entry.source} {entry.location} overrides this value")
        return
