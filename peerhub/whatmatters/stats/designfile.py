"""The design file (TOML): which columns make the design, optional raking, and the estimates to make.

Every problem is reported as a SurveyInputError naming the file and the key, never a traceback."""

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .ciprop import METHODS
from .errors import SurveyInputError
from .groups import CONTRASTS

STATISTICS = ("mean", "total", "prop", "count", "ratio", "ciprop", *CONTRASTS)
DESIGN_KEYS = {"name", "weights", "clusters", "strata", "fpc", "rake", "estimate"}
RAKE_KEYS = {"margins", "variables", "maxit", "epsilon"}
ESTIMATE_KEYS = {"statistic", "variable", "domain", "method", "df", "label"}
DF_CHOICES = ("degf", "Inf")


@dataclass(frozen=True)
class RakeSpec:
    margins: Path
    variables: tuple[str, ...]
    maxit: int = 10
    epsilon: float = 1.0


@dataclass(frozen=True)
class EstimateSpec:
    """One [[estimate]] table; `label` (optional) replaces the expression in the variable column."""

    statistic: str
    variable: str
    domain: str | None = None
    method: str | None = None
    df: str = "degf"
    label: str | None = None

    @property
    def method_label(self) -> str:
        """The method column: 'logit(df=degf)' for ciprop as in the reference, empty otherwise."""
        return f"{self.method}(df={self.df})" if self.statistic == "ciprop" else ""

    @property
    def df_value(self) -> float | None:
        """Inf when asked for, None to take the design's (or the domain's) degrees of freedom."""
        return math.inf if self.df == "Inf" else None


@dataclass(frozen=True)
class DesignSpec:
    name: str
    weights: str
    clusters: str | None
    strata: str | None
    fpc: str | None
    rake: RakeSpec | None
    estimates: tuple[EstimateSpec, ...]


def read_design_file(path: Path | str) -> DesignSpec:
    """Parse and check a design file; relative paths inside it are relative to the file itself."""
    path = Path(path)
    where = f"design file {path}"
    document = _load(path, where)
    _check_keys(document, DESIGN_KEYS, where)
    estimates = document.get("estimate", [])
    if not isinstance(estimates, list) or not estimates:
        raise SurveyInputError(f"{where}: needs at least one [[estimate]] table")
    return DesignSpec(
        name=_text(document, "name", where),
        weights=_text(document, "weights", where),
        clusters=_text(document, "clusters", where, required=False),
        strata=_text(document, "strata", where, required=False),
        fpc=_text(document, "fpc", where, required=False),
        rake=_rake(document.get("rake"), path, where),
        estimates=tuple(_estimate(entry, f"{where}, estimate {i}") for i, entry in enumerate(estimates, start=1)),
    )


def _load(path: Path, where: str) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise SurveyInputError(f"cannot read {where}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise SurveyInputError(f"{where} is not valid TOML: {error}") from None


def _check_keys(table, allowed: set[str], where: str) -> None:
    if not isinstance(table, dict):
        raise SurveyInputError(f"{where} must be a table of keys")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SurveyInputError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _text(table: dict, key: str, where: str, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if value is None:
        raise SurveyInputError(f"{where}: missing required key '{key}'")
    if not isinstance(value, str) or not value.strip():
        raise SurveyInputError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _rake(table, path: Path, where: str) -> RakeSpec | None:
    if table is None:
        return None
    where = f"{where}, [rake]"
    _check_keys(table, RAKE_KEYS, where)
    variables = table.get("variables")
    if not isinstance(variables, list) or not variables or not all(isinstance(v, str) for v in variables):
        raise SurveyInputError(f"{where}: 'variables' must be a non-empty list of column names")
    maxit, epsilon = table.get("maxit", 10), table.get("epsilon", 1)
    if not isinstance(maxit, int) or isinstance(maxit, bool) or maxit < 1:
        raise SurveyInputError(f"{where}: 'maxit' must be a whole number of at least 1")
    if not isinstance(epsilon, int | float) or isinstance(epsilon, bool) or not epsilon > 0:
        raise SurveyInputError(f"{where}: 'epsilon' must be a positive number")
    margins = path.parent / _text(table, "margins", where)
    return RakeSpec(margins, tuple(variables), maxit, float(epsilon))


def _estimate(table, where: str) -> EstimateSpec:
    _check_keys(table, ESTIMATE_KEYS, where)
    statistic = _choice(_text(table, "statistic", where), STATISTICS, "statistic", where)
    spec = EstimateSpec(
        statistic=statistic,
        variable=_text(table, "variable", where),
        domain=_text(table, "domain", where, required=False),
        method=_method(table, statistic, where),
        df=_choice(_text(table, "df", where, required=False) or "degf", DF_CHOICES, "df", where),
        label=_text(table, "label", where, required=False),
    )
    _check_shape(spec, table, where)
    return spec


def _choice(value: str, choices: tuple[str, ...], key: str, where: str) -> str:
    if value not in choices:
        raise SurveyInputError(f"{where}: {key} '{value}' is not one of {', '.join(choices)}")
    return value


def _method(table: dict, statistic: str, where: str) -> str | None:
    method = _text(table, "method", where, required=False)
    if statistic != "ciprop":
        if method is not None:
            raise SurveyInputError(f"{where}: 'method' applies only to statistic = \"ciprop\"")
        return None
    return _choice(method or "logit", METHODS, "method", where)


def _check_shape(spec: EstimateSpec, table: dict, where: str) -> None:
    """Checks that need the statistic: ratio needs num/den, group comparisons need a domain."""
    if "df" in table and spec.statistic != "ciprop":
        raise SurveyInputError(f"{where}: 'df' applies only to statistic = \"ciprop\"")
    if spec.statistic == "ratio" and spec.variable.count("/") != 1:
        raise SurveyInputError(f"{where}: a ratio variable is written numerator/denominator, not '{spec.variable}'")
    if spec.statistic in CONTRASTS and spec.domain is None:
        raise SurveyInputError(f"{where}: {spec.statistic} compares domains, so it needs a 'domain' column")
