"""Run a design file over a data file: the single entry point that the `peerhub survey estimate`
command, pages and the API share. Returns rows with the columns of ESTIMATE_COLUMNS."""

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import table as tables
from .ciprop import ciprop
from .design import Design, build_design, degf
from .designfile import DesignSpec, EstimateSpec, read_design_file
from .errors import SurveyInputError
from .estimators import Domain, Estimate, counts, level_indicators, mean, proportions, ratio, total, whole
from .groups import CONTRASTS, compare
from .rake import population_margin, rake, read_margins
from .table import Table

ESTIMATE_COLUMNS = (
    "design", "statistic", "variable", "domain", "level", "method", "estimate", "se", "df", "ci_l", "ci_u",
)


@dataclass(frozen=True)
class Run:
    """The output rows and notes worth telling the user (such as raking that did not converge)."""

    rows: list[dict]
    notes: list[str]


def estimate_file(data_path: Path | str, design_path: Path | str) -> Run:
    """Read the design file and the data, build (and rake) the design, and make every estimate."""
    spec = read_design_file(design_path)
    return estimate_table(tables.read_csv(data_path), spec)


def estimate_table(data: Table, spec: DesignSpec) -> Run:
    design, notes = make_design(data, spec)
    rows = [row for estimate in spec.estimates for row in estimate_rows(data, design, spec.name, estimate)]
    return Run(rows, notes)


def make_design(data: Table, spec: DesignSpec) -> tuple[Design, list[str]]:
    """R: svydesign(...), then rake(...) when the design file has a [rake] table."""
    design = build_design(data, spec.name, spec.weights, spec.clusters, spec.strata, spec.fpc)
    if spec.rake is None:
        return design, []
    population = read_margins(spec.rake.margins)
    margins = [population_margin(data, variable, population.get(variable)) for variable in spec.rake.variables]
    raked = rake(design, margins, spec.rake.maxit, spec.rake.epsilon)
    notes = [] if raked.converged else [f"raking did not converge after {raked.passes} passes (R warns the same)"]
    return raked.design, notes


def domains(data: Table, design: Design, column: str | None) -> list[Domain]:
    """The whole population, or one domain per sorted level of the column with that subset's degf."""
    if column is None:
        return [whole(design)]
    values, absent = tables.text(data, column), tables.missing(data, column)
    return [
        Domain(level, (values == level) & ~absent, degf(design, (values == level) & ~absent))
        for level in tables.levels(data, column)
    ]


def estimate_rows(data: Table, design: Design, name: str, spec: EstimateSpec) -> list[dict]:
    """The output rows of one [[estimate]] table."""
    estimates = STATISTICS[spec.statistic](data, design, spec)
    return [_row(name, spec, estimate) for estimate in estimates]


def _row(name: str, spec: EstimateSpec, estimate: Estimate) -> dict:
    return {
        "design": name,
        "statistic": spec.statistic,
        "variable": spec.label or spec.variable,
        "domain": spec.domain or "all",
        "level": estimate.level,
        "method": spec.method_label,
        "estimate": estimate.estimate,
        "se": estimate.se,
        "df": estimate.df,
        "ci_l": estimate.ci_l,
        "ci_u": estimate.ci_u,
    }


def _means(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    y = tables.variable(data, spec.variable)
    return [mean(design, y, domain, spec.variable) for domain in domains(data, design, spec.domain)]


def _totals(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    y = tables.variable(data, spec.variable)
    return [total(design, y, domain, spec.variable) for domain in domains(data, design, spec.domain)]


def _ratios(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    numerator, denominator = (part.strip() for part in spec.variable.split("/"))
    num, den = tables.variable(data, numerator), tables.variable(data, denominator)
    return [ratio(design, num, den, domain, spec.variable) for domain in domains(data, design, spec.domain)]


def _level_columns(data: Table, spec: EstimateSpec) -> dict[str, np.ndarray]:
    values, absent = tables.text(data, spec.variable), tables.missing(data, spec.variable)
    return level_indicators(values, absent, tables.levels(data, spec.variable))


def _proportions(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    columns = _level_columns(data, spec)
    return [row for domain in domains(data, design, spec.domain) for row in proportions(design, columns, domain)]


def _counts(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    columns = _level_columns(data, spec)
    return [row for domain in domains(data, design, spec.domain) for row in counts(design, columns, domain)]


def _binary(data: Table, spec: EstimateSpec) -> np.ndarray:
    y = tables.variable(data, spec.variable)
    if not np.isin(y[~np.isnan(y)], (0.0, 1.0)).all():
        raise SurveyInputError(f"{spec.statistic} needs a condition such as awards==Yes or a 0/1 column, "
                               f"not '{spec.variable}'")
    return y


def _ciprops(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    y = _binary(data, spec)
    return [
        ciprop(design, y, domain, spec.method, domain.df if spec.df_value is None else spec.df_value)
        for domain in domains(data, design, spec.domain)
    ]


def _contrasts(data: Table, design: Design, spec: EstimateSpec) -> list[Estimate]:
    groups = domains(data, design, spec.domain)
    if len(groups) < 2:
        raise SurveyInputError(f"{spec.statistic} needs at least two levels of '{spec.domain}'")
    return compare(design, _binary(data, spec), groups, spec.statistic, degf(design))


STATISTICS = {
    "mean": _means,
    "total": _totals,
    "ratio": _ratios,
    "prop": _proportions,
    "count": _counts,
    "ciprop": _ciprops,
    **dict.fromkeys(CONTRASTS, _contrasts),
}


def format_value(value) -> str:
    """Numbers as R would read them back exactly: shortest round-trip text, NA, Inf, whole df as 197."""
    if isinstance(value, str):
        return value
    value = float(value)
    if math.isnan(value):
        return "NA"
    if math.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return repr(value)


def write_estimates(rows: list[dict], out: Path | str) -> None:
    """Write the rows as CSV with the ESTIMATE_COLUMNS header."""
    with Path(out).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ESTIMATE_COLUMNS)
        for row in rows:
            writer.writerow([_cell(column, row[column]) for column in ESTIMATE_COLUMNS])


def _cell(column: str, value) -> str:
    if column == "df" and math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return format_value(value)
