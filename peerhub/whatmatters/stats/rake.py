"""Raking to population margins by iterative proportional fitting, as R's
`rake(design, list(~a, ~b), list(pop_a, pop_b), control = list(maxit = 10, epsilon = 1))`.

One pass post-stratifies on each margin in turn: w_i <- w_i * N_g / sum_{j in g} w_j for the level g
of row i. After each pass R compares the weighted cross-table of all raking variables with the one
before the pass and stops when the largest absolute change is below epsilon (epsilon < 1 is taken as
a fraction of the sum of the weights), or after maxit passes. The design then remembers each margin's
levels and the weights right after its step in the last pass, which `design.project_raking` uses for
the variance (R's calibration adjustment)."""

import csv
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import table as tables
from .design import Design, RakingMargin
from .errors import SurveyInputError
from .table import Table

MARGIN_COLUMNS = ("variable", "level", "Freq")


@dataclass(frozen=True)
class PopulationMargin:
    """A raking variable: each row's level code and the population count of every level."""

    variable: str
    codes: np.ndarray
    totals: np.ndarray


@dataclass(frozen=True)
class RakeResult:
    design: Design
    passes: int
    converged: bool


def read_margins(path: Path) -> dict[str, dict[str, float]]:
    """Population margins from a CSV with columns variable, level, Freq: {variable: {level: count}}."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise SurveyInputError(f"cannot read rake margins file {path}: {error.strerror}") from None
    if not rows or any(column not in rows[0] for column in MARGIN_COLUMNS):
        raise SurveyInputError(f"rake margins file {path} needs the columns {', '.join(MARGIN_COLUMNS)}")
    margins: dict[str, dict[str, float]] = {}
    for number, row in enumerate(rows, start=2):
        margins.setdefault(row["variable"], {})[row["level"]] = _count(row["Freq"], path, number)
    return margins


def _count(value: str, path: Path, line: int) -> float:
    try:
        count = float(value)
    except ValueError:
        count = -1.0
    if not count >= 0:
        raise SurveyInputError(f"rake margins file {path} line {line}: Freq '{value}' is not a count")
    return count


def population_margin(data: Table, variable: str, counts: dict[str, float] | None) -> PopulationMargin:
    """Match the data's levels of one raking variable to its population counts, refusing a level that
    only one side has (R: 'Strata in sample absent from population', 'Some strata absent from sample')."""
    if counts is None:
        raise SurveyInputError(f"the rake margins file has no rows for the variable '{variable}'")
    if tables.missing(data, variable).any():
        raise SurveyInputError(f"raking variable '{variable}' has missing values")
    values = tables.text(data, variable)
    _check_levels(variable, set(values), counts)
    names = np.array(sorted(counts), dtype=str)
    codes = np.searchsorted(names, values.astype(str))
    return PopulationMargin(variable, codes, np.array([counts[name] for name in names]))


def _check_levels(variable: str, seen: set[str], counts: dict[str, float]) -> None:
    unknown = sorted(level for level in seen if counts.get(level, 0) == 0)
    if unknown:
        raise SurveyInputError(f"level(s) {', '.join(unknown)} of '{variable}' have no population count")
    absent = sorted(level for level, count in counts.items() if count > 0 and level not in seen)
    if absent:
        raise SurveyInputError(f"level(s) {', '.join(absent)} of '{variable}' have a population count but no rows")


def rake(design: Design, margins: list[PopulationMargin], maxit: int = 10, epsilon: float = 1.0) -> RakeResult:
    """R `rake()`: iterative proportional fitting with R's stopping rule (see the module docstring)."""
    tolerance = epsilon * design.weights.sum() if epsilon < 1 else epsilon
    cells = np.unique(np.column_stack([margin.codes for margin in margins]), axis=0, return_inverse=True)[1]
    weights, steps = design.weights, ()
    before = np.bincount(cells.ravel(), weights=weights)
    for done in range(1, maxit + 1):
        weights, steps = _rake_pass(weights, margins)
        after = np.bincount(cells.ravel(), weights=weights)
        if np.max(np.abs(after - before)) < tolerance:
            return RakeResult(replace(design, weights=weights, raking=steps), done, True)
        before = after
    return RakeResult(replace(design, weights=weights, raking=steps), maxit, False)


def _rake_pass(weights: np.ndarray, margins: list[PopulationMargin]):
    """Post-stratify on each margin in turn, keeping the weights after each step (R's postStrata)."""
    steps = []
    for margin in margins:
        weights = post_stratify(weights, margin)
        steps.append(RakingMargin(margin.codes, weights))
    return weights, tuple(steps)


def post_stratify(weights: np.ndarray, margin: PopulationMargin) -> np.ndarray:
    """R `postStratify`: w_i * N_g / sum_{j in g} w_j for the level g of each row."""
    sample = np.bincount(margin.codes, weights=weights, minlength=len(margin.totals))
    factor = np.divide(margin.totals, sample, out=np.zeros_like(sample), where=sample > 0)
    return weights * factor[margin.codes]
