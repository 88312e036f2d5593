"""The read-only commands: show, get, explain, profiles and path."""

from __future__ import annotations

import shlex
from typing import Any

from .._errors import LayeredConfigError
from .._fields import FIELDS, env_names
from .._origin import MISSING, Candidate
from .._resolution import Resolution, how_to_set, missing_message
from .._resolver import unknown_profile
from ..sources._tomlfile import load
from ._context import Context
from ._output import display, env_spelling, json_value

__all__ = ["cmd_explain", "cmd_get", "cmd_path", "cmd_profiles", "cmd_show", "how_to_set"]


def cmd_show(ctx: Context) -> int:
    """Print every field with its value, source and location."""
    resolution = ctx.resolve()
    if ctx.args.format == "env":
        return _show_env(ctx, resolution)
    if ctx.args.json:
        ctx.out.json({"profile": resolution.profile, "fields": _show_fields(ctx, resolution)})
        return 0
    rows, styles = [], []
    for name in FIELDS:
        origin = resolution.origin(name)
        if origin is None:
            rows.append([name, "<not set>", "-", f"set it: {how_to_set(name)}"])
            styles.append("warn")
            continue
        value = display(name, resolution.values[name], show_secrets=ctx.show_secrets)
        rows.append([name, value, origin.source, origin.location or "-"])
        styles.append("")
    if resolution.profile:
        ctx.out.line(f"profile: {resolution.profile}")
    ctx.out.table(["NAME", "VALUE", "SOURCE", "LOCATION"], rows, styles)
    return 0


def _show_fields(ctx: Context, resolution: Resolution) -> dict[str, dict[str, Any]]:
    fields = {}
    for name in FIELDS:
        origin = resolution.origin(name)
        value = resolution.values.get(name, MISSING)
        fields[name] = {
            "value": json_value(name, value, show_secrets=ctx.show_secrets),
            "source": origin.source if origin else None,
            "location": origin.location if origin else None,
        }
    return fields


def _show_env(ctx: Context, resolution: Resolution) -> int:
    for name, field in FIELDS.items():
        names = env_names(field)
        if not names:
            continue
        if name not in resolution.values:
            ctx.out.line(f"# {names[0]} is not set")
            continue
        # Not display(): an empty value must export as empty, not as "(empty)".
        value = resolution.values[name]
        text = env_spelling(name, value, show_secrets=ctx.show_secrets)
        if text != env_spelling(name, value, show_secrets=True):
            # A masked value must not be exported: `eval` would set a wrong secret.
            ctx.out.line(f"# {names[0]}={text} (masked; add --show-secrets to export it)")
            continue
        ctx.out.line(f"export {names[0]}={shlex.quote(text)}")
    return 0


def cmd_get(ctx: Context) -> int:
    """Print one value alone, in env spelling, for scripts."""
    name = ctx.field(ctx.args.key)
    field = FIELDS[name]
    if field.secret and not ctx.show_secrets:
        raise LayeredConfigError(f"{name} is a secret; add --show-secrets to print it")
    resolution = ctx.resolve()
    if name not in resolution.values:
        raise LayeredConfigError(missing_message(name, resolution.explain(name)))
    value = resolution.values[name]
    if ctx.args.json:
        origin = resolution.origin(name)
        ctx.out.json({
            "key": name,
            "value": json_value(name, value, show_secrets=ctx.show_secrets),
            "source": origin.source if origin else None,
            "location": origin.location if origin else None,
        })  # fmt: skip
        return 0
    # A password inside a URL is a secret too: only --show-secrets prints it.
    ctx.out.line(env_spelling(name, value, show_secrets=ctx.show_secrets))
    return 0


def cmd_explain(ctx: Context) -> int:
    """Print every layer's entry for one key, highest first."""
    name = ctx.field(ctx.args.key)
    resolution = ctx.resolve()
    entries = resolution.explain(name, complete=True)
    value = resolution.values.get(name, MISSING)
    if ctx.args.json:
        ctx.out.json({
            "key": name,
            "value": json_value(name, value, show_secrets=ctx.show_secrets),
            "candidates": [_candidate_json(ctx, name, e) for e in entries],
        })  # fmt: skip
        return 0
    shown = display(name, value, show_secrets=ctx.show_secrets) if value is not MISSING else None
    heading = f"{name} = {shown}" if shown is not None else f"{name} is not set"
    ctx.out.line(heading + (f"   (profile: {resolution.profile})" if resolution.profile else ""))
    rows = [_candidate_row(ctx, name, e) for e in entries]
    ctx.out.table(
        ["STATUS", "SOURCE", "LOCATION", "VALUE", "REASON"], rows, [e.status for e in entries]
    )
    if value is MISSING:
        ctx.out.line(f"set it: {how_to_set(name)}")
    return 0


def _candidate_json(ctx: Context, name: str, entry: Candidate) -> dict[str, Any]:
    return {
        "source": entry.source,
        "profile": entry.profile,
        "location": entry.location,
        "value": _entry_value(ctx, name, entry, json=True),
        "status": entry.status,
        "reason": entry.reason,
    }


def _candidate_row(ctx: Context, name: str, entry: Candidate) -> list[str]:
    source = entry.source + (f" [{entry.profile}]" if entry.profile else "")
    value = _entry_value(ctx, name, entry, json=False)
    return [entry.status, source, entry.location or "-", "-" if value is None else str(value),
            entry.reason or ""]  # fmt: skip


def _entry_value(ctx: Context, name: str, entry: Candidate, *, json: bool) -> Any:
    if entry.value is MISSING:
        return None
    if json:
        return json_value(name, entry.value, show_secrets=ctx.show_secrets)
    return display(name, entry.value, show_secrets=ctx.show_secrets)


def cmd_profiles(ctx: Context) -> int:
    """List each file's profiles, marking the active one."""
    files = []
    for layer, path in ctx.files():
        parsed = load(path, system=layer == "system")
        exists = not isinstance(parsed, str)
        names = list(parsed.profiles) if not isinstance(parsed, str) else []
        files.append({"layer": layer, "path": path, "exists": exists, "profiles": names})
    known = {name for entry in files for name in entry["profiles"]}  # type: ignore[attr-defined]
    if ctx.profile and ctx.profile not in known:
        raise unknown_profile(ctx.profile, known)
    if ctx.args.json:
        ctx.out.json({"active": ctx.profile, "files": files})
        return 0
    for entry in files:
        state = "" if entry["exists"] else "  (absent)"
        ctx.out.line(f"{entry['layer']} file: {entry['path']}{state}")
        for name in entry["profiles"]:  # type: ignore[attr-defined]
            mark = "*" if name == ctx.profile else " "
            ctx.out.line(f"  {mark} {name}")
    if not known:
        ctx.out.line(
            "no profiles yet; create one with: layered-config set --profile NAME KEY VALUE"
        )
    return 0


def cmd_path(ctx: Context) -> int:
    """List the files the chain reads, in order, and the keyring backend."""
    from ._keyring_info import keyring_status  # noqa: PLC0415

    files = [
        {"layer": layer, "path": path, "exists": ctx.exists(path)} for layer, path in ctx.files()
    ]
    keyring = keyring_status(ctx)
    if ctx.args.json:
        ctx.out.json({"files": files, "keyring": keyring})
        return 0
    for entry in files:
        state = "present" if entry["exists"] else "absent"
        ctx.out.line(f"{entry['layer']:<7} {state:<8} {entry['path']}")
    backend = keyring["backend"] or "none"
    note = f" ({keyring['problem']})" if keyring["problem"] else ""
    ctx.out.line(f"keyring {backend}{note}")
    return 0
