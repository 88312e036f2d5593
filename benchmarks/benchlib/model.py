"""Budgets, row specs and the statistics that turn samples into table rows."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Literal

Samples = dict[str, list[float]]


@dataclass(frozen=True)
class Budget:
    """A bound on one of a row's ratios: ``ratio`` (vs its ref) or ``x_lc``."""

    on: Literal["ratio", "x_lc"]
    op: Literal["<=", ">="]
    limit: float

    def holds(self, value: float) -> bool:
        """Whether ``value`` meets the budget."""
        return value <= self.limit if self.op == "<=" else value >= self.limit

    def describe(self) -> str:
        """Short text for the table, e.g. ``<= 1.15x ref``."""
        what = "ref" if self.on == "ratio" else "lc"
        return f"{self.op} {self.limit:.2f}x {what}"


@dataclass(frozen=True)
class RowSpec:
    """One table row: a contestant, what it is compared with, and its budget."""

    label: str
    ref: str | None = None
    budget: Budget | None = None
    vs_lc: bool = False


@dataclass
class Row:
    """A computed table row; times are in seconds."""

    case: str
    label: str
    median: float | None
    x_pass: float | None = None
    ratio: float | None = None
    ratio_iqr: tuple[float, float] | None = None
    ref: str | None = None
    x_lc: float | None = None
    budget: str | None = None
    verdict: str | None = None

    def to_json(self) -> dict[str, object]:
        """The row as JSON-ready data."""
        return asdict(self)


@dataclass
class CaseResult:
    """Everything one case measured."""

    name: str
    title: str
    unit: Literal["ms", "us"]
    rounds: int
    samples: Samples
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


def paired(a: list[float], b: list[float]) -> tuple[float, tuple[float, float]]:
    """Median and interquartile range of the per-round ratios ``a[i] / b[i]``."""
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    if len(ratios) < 4:
        return statistics.median(ratios), (min(ratios), max(ratios))
    q1, _q2, q3 = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), (q1, q3)


def make_rows(
    case: str,
    samples: Samples,
    specs: list[RowSpec],
    *,
    pass_label: str | None = None,
    lc_label: str | None = None,
) -> list[Row]:
    """Compute the rows; a budgeted row whose data is missing gets ``not measured``."""
    rows: list[Row] = []
    for spec in specs:
        data = samples.get(spec.label)
        budget = spec.budget.describe() if spec.budget else None
        if not data or (spec.ref and spec.ref not in samples):
            if budget:
                rows.append(Row(case, spec.label, None, budget=budget, verdict="not measured"))
            continue
        median = statistics.median(data)
        row = Row(case, spec.label, median, ref=spec.ref, budget=budget)
        if pass_label is not None and pass_label in samples and spec.label != pass_label:
            row.x_pass = median / statistics.median(samples[pass_label])
        if spec.ref:
            row.ratio, row.ratio_iqr = paired(data, samples[spec.ref])
        if spec.vs_lc and lc_label is not None and lc_label in samples:
            row.x_lc, _iqr = paired(data, samples[lc_label])
        if spec.budget:
            value = row.ratio if spec.budget.on == "ratio" else row.x_lc
            if value is None:
                row.verdict = "not measured"
            else:
                row.verdict = "PASS" if spec.budget.holds(value) else "FAIL"
        rows.append(row)
    return rows
