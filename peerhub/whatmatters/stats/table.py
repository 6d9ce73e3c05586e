"""Survey data as read from a CSV file: text columns, with numeric columns and conditions on demand.

Missing values are written `NA` (as R writes them) or left empty."""

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import SurveyInputError

MISSING = frozenset({"", "NA"})
CONDITION = re.compile(r"^\s*(?P<column>[^=!<>]+?)\s*(?P<op>==|!=)\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class Table:
    """Columns of text keyed by header name; `source` names the file in error messages."""

    columns: dict[str, np.ndarray]
    source: str

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values())))


def read_csv(path: Path | str) -> Table:
    """Read a CSV file with a header row into a Table, refusing ragged or empty files."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise SurveyInputError(f"cannot read data file {path}: {error.strerror}") from None
    if len(rows) < 2:
        raise SurveyInputError(f"data file {path} has no data rows under its header")
    header = rows[0]
    _check_rows(path, header, rows[1:])
    columns = {name: np.array([row[i] for row in rows[1:]], dtype=object) for i, name in enumerate(header)}
    return Table(columns=columns, source=path.name)


def _check_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise SurveyInputError(f"data file {path} repeats the column(s) {', '.join(duplicated)}")
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise SurveyInputError(
                f"data file {path} line {number} has {len(row)} fields but the header has {len(header)}"
            )


def text(table: Table, name: str) -> np.ndarray:
    """The column as text, or a clear error naming the columns that do exist."""
    if name not in table.columns:
        known = ", ".join(table.columns)
        raise SurveyInputError(f"unknown column '{name}' in {table.source}; its columns are: {known}")
    return table.columns[name]


def missing(table: Table, name: str) -> np.ndarray:
    """True where the column is missing (NA or empty)."""
    return np.array([value.strip() in MISSING for value in text(table, name)], dtype=bool)


def numeric(table: Table, name: str) -> np.ndarray:
    """The column as floats, NaN where missing; any other non-number is an error naming the row."""
    values = text(table, name)
    out = np.empty(len(values))
    for row, value in enumerate(values):
        out[row] = _number(value, name, row, table.source)
    return out


def _number(value: str, name: str, row: int, source: str) -> float:
    if value.strip() in MISSING:
        return math.nan
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise SurveyInputError(f"column '{name}' in {source}, data row {row + 1}: '{value}' is not a number")
    return number


def is_condition(expression: str) -> bool:
    """Whether the expression is a condition such as `awards==Yes` rather than a column name."""
    return CONDITION.match(expression) is not None


def indicator(table: Table, expression: str) -> np.ndarray:
    """A condition `column==value` or `column!=value` as 1.0/0.0, NaN where the column is missing."""
    parts = CONDITION.match(expression)
    if parts is None:
        raise SurveyInputError(f"'{expression}' is not a condition of the form column==value or column!=value")
    name, wanted = parts["column"], parts["value"].strip("\"'")
    values = text(table, name)
    if wanted not in set(values):
        seen = ", ".join(sorted(set(values) - MISSING))
        raise SurveyInputError(f"condition '{expression}': no row has {name} equal to '{wanted}' (values: {seen})")
    hits = (values == wanted) if parts["op"] == "==" else (values != wanted)
    out = hits.astype(float)
    out[missing(table, name)] = math.nan
    return out


def variable(table: Table, expression: str) -> np.ndarray:
    """A numeric column, or a condition as a 0/1 indicator (R: `I(awards=="Yes")`)."""
    return indicator(table, expression) if is_condition(expression) else numeric(table, expression)


def levels(table: Table, name: str) -> list[str]:
    """The sorted non-missing values of a categorical column (R sorts factor levels the same way)."""
    return sorted(set(text(table, name)) - MISSING)
