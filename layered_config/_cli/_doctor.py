"""``doctor``: find problems (exit 1) and give advice (exit 0 unless --strict)."""

from __future__ import annotations

import warnings

from .._errors import LayeredConfigError, PermissionWarning, UnknownKeyWarning
from .._fields import FIELDS, env_names
from ..sources._tomlfile import load
from ._context import Context
from ._inspect import how_to_set

__all__ = ["cmd_doctor"]


def cmd_doctor(ctx: Context) -> int:
    """Check the whole chain and print each problem and piece of advice."""
    problems: list[str] = []
    advice: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            resolution = ctx.resolve()
        except LayeredConfigError as exc:
            problems.append(str(exc))
        else:
            problems += [
                f"{name} is not set; set it: {how_to_set(name)}" for name in resolution.missing
            ]
    for warning in caught:
        target = problems if issubclass(warning.category, PermissionWarning) else advice
        if issubclass(warning.category, UnknownKeyWarning | PermissionWarning):
            target.append(str(warning.message))
    advice += _legacy_env(ctx) + _plaintext_secrets(ctx)
    return _report(ctx, problems, advice)


def _legacy_env(ctx: Context) -> list[str]:
    found = []
    for field in FIELDS.values():
        names = env_names(field)
        if len(names) == 2 and names[1] in ctx.environ:
            found.append(f"{names[1]} is a legacy name; rename it to {names[0]}")
    return found


def _plaintext_secrets(ctx: Context) -> list[str]:
    found = []
    for layer, path in ctx.files():
        try:
            parsed = load(path, system=layer == "system")
        except LayeredConfigError:
            continue  # already reported as a problem by resolving
        if isinstance(parsed, str):
            continue
        tables = [(None, parsed.base), *parsed.profiles.items()]
        for profile, table in tables:
            if "secret_key" not in table:
                continue
            where = parsed.where(*(("profiles", profile) if profile else ()), "secret_key")
            if layer == "system":
                found.append(f"{where}: the system file holds a secret key; every user can use it")
            else:
                found.append(
                    f"{where}: secret_key is stored in plaintext; move it to the keyring with "
                    "'layered-config set secret_key' (this also removes it from the file)"
                )
    return found


def _report(ctx: Context, problems: list[str], advice: list[str]) -> int:
    if ctx.args.json:
        ctx.out.json({"ok": not problems, "problems": problems, "advice": advice})
    else:
        for text in problems:
            ctx.out.line(f"{ctx.out.paint('problem', 'skipped')}: {text}")
        for text in advice:
            ctx.out.line(f"advice: {text}")
        if not problems and not advice:
            ctx.out.line("ok: no problems found")
    if problems or (ctx.args.strict and advice):
        return 1
    return 0
