"""The printed table and the JSON record."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .model import CaseResult, Row

HEADERS = ("contestant", "median", "x pass", "ratio [IQR]", "vs", "x lc", "budget", "verdict")
TOP = 12


def _time(seconds: float | None, unit: str) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1e3:.1f} ms" if unit == "ms" else f"{seconds * 1e6:.1f} us"


def _ratio(row: Row) -> str:
    if row.ratio is None:
        return ""
    if row.ratio_iqr is None:
        return f"{row.ratio:.2f}"
    low, high = row.ratio_iqr
    return f"{row.ratio:.2f} [{low:.2f}-{high:.2f}]"


def _cells(row: Row, unit: str) -> tuple[str, ...]:
    return (
        row.label,
        _time(row.median, unit),
        f"{row.x_pass:.2f}" if row.x_pass is not None else "",
        _ratio(row),
        row.ref or "",
        f"{row.x_lc:.2f}" if row.x_lc is not None else "",
        row.budget or "",
        row.verdict or "",
    )


def table(results: Sequence[CaseResult]) -> str:
    """One table: a header line per case, then its rows."""
    lines: list[tuple[str, ...] | str] = []
    for result in results:
        if not result.rows:
            continue
        lines.append(f"{result.name}: {result.title} ({result.rounds} rounds)")
        lines += [_cells(row, result.unit) for row in result.rows]
    cells = [line for line in lines if isinstance(line, tuple)]
    widths = [max(len(c[i]) for c in [HEADERS, *cells]) for i in range(len(HEADERS))]
    rule = "  ".join("-" * n for n in widths)
    out = ["  ".join(h.ljust(n) for h, n in zip(HEADERS, widths, strict=True)), rule]
    for line in lines:
        if isinstance(line, str):
            out += ["", line]
        else:
            out.append("  ".join(c.ljust(n) for c, n in zip(line, widths, strict=True)).rstrip())
    return "\n".join(out)


def import_ranking(result: CaseResult) -> str:
    """The top modules by self import time, for each profiled snippet."""
    out: list[str] = []
    for title, data in result.extra.items():
        if not isinstance(data, dict):
            continue
        count = len(data["modules"])
        out.append(f"{title}: {data['total_s'] * 1e3:.1f} ms in {count} modules (self times)")
        for rank, module in enumerate(data["modules"][:TOP], 1):
            out.append(
                f"  {rank:2d}. {module['module']:<36} self {module['self_s'] * 1e3:6.2f} ms"
                f"   cumulative {module['cumulative_s'] * 1e3:6.2f} ms"
            )
    return "\n".join(out)


def verdicts(results: Sequence[CaseResult]) -> str:
    """One line: how many budgets pass, fail, or were not measured."""
    counts: dict[str, int] = {}
    failed: list[str] = []
    for result in results:
        for row in result.rows:
            if row.verdict:
                counts[row.verdict] = counts.get(row.verdict, 0) + 1
                if row.verdict != "PASS":
                    failed.append(f"{result.name} / {row.label}: {row.verdict}")
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) or "no budgets checked"
    return "\n".join([f"budgets: {summary}", *(f"  {line}" for line in failed)])


def write_json(path: Path, meta: dict[str, object], results: Sequence[CaseResult]) -> None:
    """Write the run: metadata, and per case its rows, raw samples, notes and extras."""
    cases = [
        {
            "name": r.name,
            "title": r.title,
            "unit": r.unit,
            "rounds": r.rounds,
            "rows": [row.to_json() for row in r.rows],
            "samples_s": r.samples,
            "notes": r.notes,
            "extra": r.extra,
        }
        for r in results
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, "cases": cases}, indent=2) + "\n")
