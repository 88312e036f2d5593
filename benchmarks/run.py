"""Benchmark layered_config against its floors and its peers: ``python3 benchmarks/run.py``.

Builds (and caches) throwaway venvs under ``benchmarks/.venvs/``, runs every case
with interleaved rounds, prints one table and writes the run as JSON to
``benchmarks/results/<timestamp>.json``.  See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import report
from benchlib.cases import CASES, Case
from benchlib.contestants import BAI, DYNACONF, PYDANTIC, Context
from benchlib.model import CaseResult
from benchlib.venvs import Venv, VenvSpec, build
from benchlib.workspace import Workspace

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEER_CASES = {"cold.file", "cold.nofile", "warm.apiconfig", "warm.env"}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        default=[],
        help="run the cases whose name contains NAME (repeatable; see --list)",
    )
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help="write the JSON here, not benchmarks/results/"
    )
    parser.add_argument("--rebuild", action="store_true", help="recreate every venv")
    parser.add_argument("--rounds", type=int, help="cold rounds (default 60, quick 8)")
    parser.add_argument("--warm-rounds", type=int, help="warm rounds (default 40, quick 8)")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers")
    parser.add_argument(
        "--project",
        type=Path,
        default=REPO,
        help="the layered-config source tree to install (default: this repository)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    return parser.parse_args(argv)


def venv_specs(project: Path) -> tuple[VenvSpec, list[VenvSpec]]:
    """The layered_config venv (which also runs the floors) and one venv per peer."""
    lc = VenvSpec(
        name="layered_config",
        requirements=("yarl", "platformdirs", "keyring", "keyrings.alt"),
        smoke="import yarl, platformdirs, keyring, keyrings.alt",
        report=("layered-config", "yarl", "platformdirs", "keyring", "keyrings.alt", "tomlkit"),
        project=project.resolve(),
    )
    peers = [
        VenvSpec(
            BAI,
            ("backend.ai-client",),
            "import ai.backend.client.config",
            ("backend.ai-client", "yarl", "aiohttp", "python-dotenv"),
        ),
        VenvSpec(
            PYDANTIC,
            ("pydantic-settings",),
            "from pydantic_settings import TomlConfigSettingsSource",
            ("pydantic-settings", "pydantic", "pydantic-core"),
        ),
        VenvSpec(DYNACONF, ("dynaconf",), "import dynaconf", ("dynaconf",)),
    ]
    return lc, peers


def progress(name: str) -> Callable[[str], None]:
    """Progress on stderr: one updating line on a terminal, else every 10th round."""
    tty = sys.stderr.isatty()

    def show(message: str) -> None:
        if message.startswith("round ") and not tty:
            done, total = message.split()[1].split("/")
            if int(done) % 10 and done != total:
                return
        line = f"  [{name}] {message}"[:100]
        if tty:
            print(line.ljust(70), end="\r", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)

    return show


def machine() -> dict[str, object]:
    """What the run ran on."""
    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": model,
        "cpus": os.cpu_count(),
    }


def git_commit(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def selected(only: list[str]) -> list[Case]:
    return [case for case in CASES if not only or any(o in case.name for o in only)]


def build_venvs(args: argparse.Namespace, cases: list[Case]) -> tuple[Venv, list[Venv]]:
    root = BENCH / ".venvs"
    lc_spec, peer_specs = venv_specs(args.project)
    print("venvs:", file=sys.stderr, flush=True)
    lc_venv = build(lc_spec, root, rebuild=args.rebuild)
    peers: list[Venv] = []
    if not args.no_peers and any(case.name in PEER_CASES for case in cases):
        peers = [build(spec, root, rebuild=args.rebuild) for spec in peer_specs]
    return lc_venv, peers


def venv_notes(venvs: list[Venv]) -> list[str]:
    return [f"{'skipped' if not v.ok else 'not measured'}: {v.note}" for v in venvs if v.note]


def run_cases(
    args: argparse.Namespace, cases: list[Case], lc_venv: Venv, peers: list[Venv]
) -> list[CaseResult]:
    ws = Workspace(keep=args.keep)
    ctx = Context(
        ws=ws,
        lc_venv=lc_venv,
        peers={v.spec.name: v for v in peers if v.ok},
        cold_rounds=args.rounds or (8 if args.quick else 60),
        warm_rounds=args.warm_rounds or (8 if args.quick else 40),
        import_runs=3 if args.quick else 9,
        warm_target=0.01 if args.quick else 0.02,
        progress=lambda _message: None,
    )
    results: list[CaseResult] = []
    try:
        for case in cases:
            ctx.progress = progress(case.name)
            ctx.progress(case.title)
            results.append(case.run(ctx))
    finally:
        ws.close()
        print(file=sys.stderr)
    return results


def print_run(
    header: list[str], venvs: list[Venv], results: list[CaseResult], notes: list[str]
) -> None:
    print("\n".join(header))
    for venv in venvs:
        listed = ", ".join(f"{k} {v}" for k, v in venv.versions.items()) or "not installed"
        print(f"venv {venv.spec.name}: {listed}")
    print()
    print(report.table(results))
    for result in results:
        if result.name == "imports":
            print(f"\nimport cost ({result.title}):")
            print(report.import_ranking(result))
    all_notes = notes + [f"{r.name}: {n}" for r in results for n in r.notes]
    if all_notes:
        print("\nnotes:")
        print("\n".join(f"  - {n}" for n in all_notes))
    print()
    print(report.verdicts(results))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cases = selected(args.only)
    if args.list or not cases:
        for case in CASES:
            print(f"{case.name:<18} {case.title}")
        return 0 if args.list else 2
    started, load_start = time.time(), os.getloadavg()[0]
    host = machine()
    meta: dict[str, object] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "argv": sys.argv[1:],
        "machine": host,
        "project": str(args.project),
        "commit": git_commit(args.project),
    }
    notes: list[str] = []
    if Path("/etc/backend.ai/config.toml").exists():
        notes.append("/etc/backend.ai/config.toml exists: layered_config reads it in every case")
    lc_venv, peers = build_venvs(args, cases)
    venvs = [lc_venv, *peers]
    notes += venv_notes(venvs)
    meta["venvs"] = {
        v.spec.name: {"ok": v.ok, "versions": v.versions, "note": v.note} for v in venvs
    }
    if not lc_venv.ok:
        print("\n".join(notes), file=sys.stderr)
        return 1
    results = run_cases(args, cases, lc_venv, peers)
    load_end = os.getloadavg()[0]
    meta["seconds"] = round(time.time() - started, 1)
    meta["load_1min"] = [load_start, load_end]
    meta["notes"] = notes
    header = [
        f"layered_config benchmarks at {meta['commit']}, {meta['started']}, "
        f"took {meta['seconds']} s",
        f"machine: Python {host['python']} on {host['platform']}, {host['cpus']} x "
        f"{host['cpu']}, 1-min load {load_start:.2f} -> {load_end:.2f}",
    ]
    print_run(header, venvs, results, notes)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = args.json or BENCH / "results" / f"{stamp}.json"
    report.write_json(path, meta, results)
    print(f"\nJSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
