"""The benchmark cases: what each sets up, runs and compares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from . import workspace as w
from .cold import Launcher, LocalLauncher, NamespaceLauncher, Proc, run_cold
from .contestants import (
    FLOOR,
    FLOOR_COLD,
    FLOOR_COLD_TWO_FILES,
    FLOOR_KEYRING,
    LC,
    LC_COLD,
    PEERS,
    UNIT,
    Context,
)
from .importtime import ImportRow, profile
from .model import Budget, CaseResult, RowSpec, make_rows
from .warm import WorkerSpec, run_warm

COLD_BUDGET = Budget("ratio", "<=", 1.15)
WARM_BUDGET = Budget("ratio", "<=", 2.0)
PYDANTIC_BUDGET = Budget("x_lc", ">=", 5.0)
ENV_BUDGET = Budget("ratio", "<=", 1.1)

FILE_ENV = {"BACKEND_ENDPOINT": w.ENV_ENDPOINT, "BACKEND_READ_TIMEOUT": "30"}
NOFILE_ENV = {
    **FILE_ENV,
    "BACKEND_ACCESS_KEY": w.ENV_ACCESS_KEY,
    "BACKEND_SECRET_KEY": w.ENV_SECRET_KEY,
}
PROFILE = 7
PROFILE_ENV = {"BACKEND_PROFILE": w.profile_name(PROFILE), "BACKEND_READ_TIMEOUT": "30"}
DEFAULT_ENDPOINT = "https://api.backend.ai"
UNRELATED = w.unrelated_env(1000)
PLUS_ENV = " +1000 env"
KEYRING_FLOOR = "floor + keyring"
LC_IMPORTS = "get_config() + print"
FLOOR_IMPORTS = "floor: cold start"


@dataclass(frozen=True)
class Case:
    """A named case and the function that measures it."""

    name: str
    title: str
    run: Callable[[Context], CaseResult]


def _home(ctx: Context, name: str, text: str | None = None) -> Path:
    if name not in ctx.homes:
        ctx.homes[name] = ctx.ws.home_with_file(name, text) if text else ctx.ws.home(name)
    return ctx.homes[name]


def _field_rows() -> list[RowSpec]:
    rows = [RowSpec(UNIT), RowSpec(FLOOR), RowSpec(LC, FLOOR, COLD_BUDGET)]
    rows += [RowSpec(peer, FLOOR, vs_lc=True) for peer in PEERS]
    return rows


def _cold(
    ctx: Context,
    name: str,
    procs: list[Proc],
    specs: list[RowSpec],
    launchers: Mapping[str, Launcher] | None = None,
) -> CaseResult:
    samples, notes = run_cold(
        procs, launchers or {"local": LocalLauncher()}, ctx.cold_rounds, progress=ctx.progress
    )
    result = CaseResult(name, TITLES[name], "ms", ctx.cold_rounds, samples, notes=notes)
    result.rows = make_rows(name, samples, specs, pass_label=UNIT, lc_label=LC)
    return result


def _warm(ctx: Context, name: str, specs: list[WorkerSpec], rows: list[RowSpec]) -> CaseResult:
    samples, notes, counts = run_warm(
        specs, ctx.warm_rounds, target=ctx.warm_target, progress=ctx.progress
    )
    result = CaseResult(name, TITLES[name], "us", ctx.warm_rounds, samples, notes=notes)
    result.extra["calls_per_batch"] = counts
    result.rows = make_rows(name, samples, rows, lc_label=LC)
    return result


def cold_file(ctx: Context) -> CaseResult:
    home = _home(ctx, "file", w.USER_FILE)
    procs = ctx.cold_field(home, FILE_ENV, w.ENV_ENDPOINT)
    return _cold(ctx, "cold.file", procs, _field_rows())


def cold_nofile(ctx: Context) -> CaseResult:
    home = _home(ctx, "nofile")
    procs = ctx.cold_field(home, NOFILE_ENV, w.ENV_ENDPOINT)
    return _cold(ctx, "cold.nofile", procs, _field_rows())


def _keyring_home(ctx: Context) -> tuple[Path, str | None]:
    text = w.USER_FILE.replace(f'secret_key = "{w.SECRET_KEY}"\n', "")
    fresh = "keyring" not in ctx.homes
    home = _home(ctx, "keyring", text)
    error = w.seed_keyring(ctx.lc_venv.python, home) if fresh else None
    return home, error


def _keyring_case(
    ctx: Context, name: str, extra: Mapping[str, str], budget: Budget | None
) -> CaseResult:
    home, error = _keyring_home(ctx)
    procs = [
        ctx.proc(UNIT, "pass", home, extra, ""),
        ctx.proc(KEYRING_FLOOR, FLOOR_KEYRING, home, extra, w.ENV_ENDPOINT),
    ]
    if ctx.has_lc:
        procs.append(ctx.proc(LC, LC_COLD, home, extra, w.ENV_ENDPOINT))
    specs = [RowSpec(UNIT), RowSpec(KEYRING_FLOOR), RowSpec(LC, KEYRING_FLOOR, budget)]
    result = _cold(ctx, name, procs, specs)
    if error:
        result.notes.append(error)
    return result


def cold_keyring(ctx: Context) -> CaseResult:
    return _keyring_case(
        ctx, "cold.keyring", {**FILE_ENV, "PYTHON_KEYRING_BACKEND": w.PLAINTEXT}, COLD_BUDGET
    )


def cold_keyring_auto(ctx: Context) -> CaseResult:
    return _keyring_case(ctx, "cold.keyring-auto", FILE_ENV, None)


def _profile_homes(ctx: Context) -> dict[int, Path]:
    return {n: _home(ctx, f"profiles{n}", w.with_profiles(n)) for n in (10, 100)}


def _profile_rows() -> list[RowSpec]:
    f10, f100, l10, l100 = (f"{who}, {n} profiles" for who in (FLOOR, LC) for n in (10, 100))
    return [
        RowSpec(f10),
        RowSpec(f100, f10),
        RowSpec(l10, f10),
        RowSpec(l100, l10),
        RowSpec(l100, f100),
    ]


def scale_profiles(ctx: Context) -> CaseResult:
    expect = w.profile_endpoint(PROFILE)
    procs = []
    for n, home in _profile_homes(ctx).items():
        procs.append(ctx.proc(f"{FLOOR}, {n} profiles", FLOOR_COLD, home, PROFILE_ENV, expect))
        if ctx.has_lc:
            procs.append(ctx.proc(f"{LC}, {n} profiles", LC_COLD, home, PROFILE_ENV, expect))
    return _cold(ctx, "scale.profiles", procs, _profile_rows())


def scale_env(ctx: Context) -> CaseResult:
    home = _home(ctx, "file", w.USER_FILE)
    procs: list[Proc] = []
    specs: list[RowSpec] = []
    for who, code in ((UNIT, "pass"), (FLOOR, FLOOR_COLD), (LC, LC_COLD)):
        if who == LC and not ctx.has_lc:
            continue
        expect = "" if who == UNIT else w.ENV_ENDPOINT
        procs.append(ctx.proc(who, code, home, FILE_ENV, expect))
        procs.append(ctx.proc(who + PLUS_ENV, code, home, {**UNRELATED, **FILE_ENV}, expect))
        specs.append(RowSpec(who + PLUS_ENV, who, ENV_BUDGET if who == LC else None))
    return _cold(ctx, "scale.env", procs, specs)


def scale_files(ctx: Context) -> CaseResult:
    text = w.USER_FILE.replace(f'endpoint = "{w.FILE_ENDPOINT}"\n', 'endpoint_type = "api"\n')
    home = _home(ctx, "twofiles", text)
    env = {"BACKEND_READ_TIMEOUT": "30"}
    one, two = f"{FLOOR}, 1 file", f"{FLOOR}, 2 files"
    lc_one, lc_two = f"{LC}, 1 file", f"{LC}, 2 files"
    procs = [
        ctx.proc(UNIT, "pass", home, env, "", launcher="one"),
        ctx.proc(one, FLOOR_COLD, home, env, DEFAULT_ENDPOINT, launcher="one"),
        ctx.proc(two, FLOOR_COLD_TWO_FILES, home, env, w.SYSTEM_ENDPOINT, launcher="two"),
    ]
    if ctx.has_lc:
        procs.append(ctx.proc(lc_one, LC_COLD, home, env, DEFAULT_ENDPOINT, launcher="one"))
        procs.append(ctx.proc(lc_two, LC_COLD, home, env, w.SYSTEM_ENDPOINT, launcher="two"))
    specs = [
        RowSpec(UNIT),
        RowSpec(one),
        RowSpec(two, one),
        RowSpec(lc_one, one),
        RowSpec(lc_two, lc_one),
        RowSpec(lc_two, two),
    ]
    launchers: dict[str, Launcher] = {}
    try:
        launchers["one"] = NamespaceLauncher(ctx.ws.root / "overlay-one", None)
        launchers["two"] = NamespaceLauncher(ctx.ws.root / "overlay-two", w.SYSTEM_FILE)
    except (OSError, RuntimeError) as exc:
        for launcher in launchers.values():
            launcher.close()
        result = CaseResult("scale.files", TITLES["scale.files"], "ms", 0, {})
        result.notes.append(f"not measured: needs root for a private mount namespace ({exc})")
        return result
    try:
        return _cold(ctx, "scale.files", procs, specs, launchers)
    finally:
        for launcher in launchers.values():
            launcher.close()


def warm_apiconfig(ctx: Context) -> CaseResult:
    home = _home(ctx, "file", w.USER_FILE)
    specs = ctx.warm_field(home, FILE_ENV, w.ENV_ENDPOINT)
    rows = [RowSpec(FLOOR), RowSpec(LC, FLOOR, WARM_BUDGET)]
    rows += [
        RowSpec(peer, FLOOR, PYDANTIC_BUDGET if peer == "pydantic-settings" else None, vs_lc=True)
        for peer in PEERS
    ]
    return _warm(ctx, "warm.apiconfig", specs, rows)


def warm_env(ctx: Context) -> CaseResult:
    home = _home(ctx, "file", w.USER_FILE)
    specs = ctx.warm_field(home, FILE_ENV, w.ENV_ENDPOINT)
    specs += ctx.warm_field(home, {**UNRELATED, **FILE_ENV}, w.ENV_ENDPOINT, suffix=PLUS_ENV)
    rows = [
        RowSpec(who + PLUS_ENV, who, ENV_BUDGET if who == LC else None)
        for who in (FLOOR, LC, *PEERS)
    ]
    return _warm(ctx, "warm.env", specs, rows)


def warm_profiles(ctx: Context) -> CaseResult:
    expect = w.profile_endpoint(PROFILE)
    specs = []
    for n, home in _profile_homes(ctx).items():
        specs.append(ctx.worker(f"{FLOOR}, {n} profiles", "floor_warm", home, PROFILE_ENV, expect))
        if ctx.has_lc:
            specs.append(
                ctx.worker(
                    f"{LC}, {n} profiles", "layered_config_adapter", home, PROFILE_ENV, expect
                )
            )
    return _warm(ctx, "warm.profiles", specs, _profile_rows())


def _import_entry(rows: list[ImportRow]) -> dict[str, object]:
    return {"total_s": sum(row.self_s for row in rows), "modules": [asdict(r) for r in rows]}


def imports(ctx: Context) -> CaseResult:
    result = CaseResult("imports", TITLES["imports"], "ms", ctx.import_runs, {})
    home = _home(ctx, "file", w.USER_FILE)
    python = ctx.lc_venv.python
    env = w.base_env(home, python, FILE_ENV)
    jobs = {FLOOR_IMPORTS: FLOOR_COLD}
    if ctx.has_lc:
        jobs = {"import layered_config": "import layered_config", LC_IMPORTS: LC_COLD, **jobs}
    ranked: dict[str, list[ImportRow]] = {}
    for title, code in jobs.items():
        ctx.progress(title)
        try:
            ranked[title] = profile(python, code, env, str(ctx.ws.cwd), ctx.import_runs)
        except RuntimeError as exc:
            result.notes.append(f"{title}: {exc}")
            continue
        result.extra[title] = _import_entry(ranked[title])
    if LC_IMPORTS in ranked and FLOOR_IMPORTS in ranked:
        floor_modules = {row.module for row in ranked[FLOOR_IMPORTS]}
        beyond = [row for row in ranked[LC_IMPORTS] if row.module not in floor_modules]
        result.extra[f"{LC_IMPORTS}, only the modules the floor does not import"] = _import_entry(
            beyond
        )
    return result


TITLES = {
    "cold.file": "cold start, 10-key user file + env: new process, import, get_config(), print",
    "cold.nofile": "cold start, no file (endpoint and keys from env)",
    "cold.keyring": "cold start, secret from the keyring: PYTHON_KEYRING_BACKEND=Plaintext",
    "cold.keyring-auto": "cold start, secret from the keyring: backend autodetected (no budget)",
    "scale.profiles": "cold start, 10 vs 100 [profiles.*] tables, BACKEND_PROFILE=p007",
    "scale.env": "cold start, 1,000 unrelated env vars vs none",
    "scale.files": "cold start, user file only vs system file + user file (/etc overlaid)",
    "warm.apiconfig": "warm APIConfig() in-process, file cached, per call",
    "warm.env": "warm APIConfig(), 1,000 unrelated env vars vs none, per call",
    "warm.profiles": "warm APIConfig(), 10 vs 100 profiles, per call",
    "imports": "python -X importtime, modules beyond interpreter startup, medians",
}

CASES = [
    Case(name, TITLES[name], fn)
    for name, fn in (
        ("cold.file", cold_file),
        ("cold.nofile", cold_nofile),
        ("cold.keyring", cold_keyring),
        ("cold.keyring-auto", cold_keyring_auto),
        ("scale.profiles", scale_profiles),
        ("scale.env", scale_env),
        ("scale.files", scale_files),
        ("warm.apiconfig", warm_apiconfig),
        ("warm.env", warm_env),
        ("warm.profiles", warm_profiles),
        ("imports", imports),
    )
]
