"""A survey design (R: `svydesign(id=, strata=, weights=, fpc=)`) and its linearisation variance.

The variance follows R's `svyrecvar` for a one-stage design: remove raking margins from the influence
values, total them within primary sampling units (PSUs), and in each stratum h add

    (1 - n_h / N_h) * n_h / (n_h - 1) * sum_i (z_hi - mean_h z)^2

where z_hi are the PSU totals and the finite population correction is 1 when no `fpc` is given.
A domain (R: `subset`, `svyby`) is estimated with influence values of zero outside it, which is what R
computes when it keeps the full design's PSU counts for a subset."""

from dataclasses import dataclass

import numpy as np

from . import table as tables
from .errors import SurveyInputError
from .table import Table

CERTAINTY = 1e-7  # R's onestrat treats a stratum whose fpc factor is below this as sampled completely
PROJECTION_ROUNDS = 10  # R's svyrecvar iterates the raking projection exactly ten times


@dataclass(frozen=True)
class RakingMargin:
    """One raking margin as R stores it in `postStrata`: each row's level and the weights just after
    that margin's post-stratification step in the final raking pass."""

    codes: np.ndarray
    weights: np.ndarray


@dataclass(frozen=True)
class Design:
    """Weights, stratum and PSU codes per row, PSUs per stratum, and population PSUs (None: no fpc)."""

    name: str
    weights: np.ndarray
    strata: np.ndarray
    clusters: np.ndarray
    sampsize: np.ndarray
    popsize: np.ndarray | None = None
    raking: tuple[RakingMargin, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.weights)

    @property
    def calibrated(self) -> bool:
        """R keeps every row of a calibrated design's subset (weight zero outside) instead of dropping rows."""
        return bool(self.raking)


def build_design(data: Table, name: str, weights: str, clusters=None, strata=None, fpc=None) -> Design:
    """R: `svydesign(id=~clusters or ~1, strata=~strata, weights=~weights, fpc=~fpc, data=data)`."""
    w = _weights(data, weights)
    strata_codes = _codes(data, strata, "strata") if strata else np.zeros(data.n_rows, dtype=int)
    cluster_codes = _codes(data, clusters, "clusters") if clusters else np.arange(data.n_rows)
    _check_clusters(cluster_codes, strata_codes)
    sampsize = _psus_per_stratum(cluster_codes, strata_codes)
    popsize = _popsize(data, fpc, strata_codes, sampsize) if fpc else None
    return Design(name, w, strata_codes, cluster_codes, sampsize, popsize)


def weights_only(name: str, weights: np.ndarray) -> Design:
    """R: `svydesign(id=~1, weights=~w)`: every row its own PSU, one stratum, no fpc."""
    n = len(weights)
    return Design(name, np.asarray(weights, dtype=float), np.zeros(n, dtype=int), np.arange(n), np.full(n, float(n)))


def _weights(data: Table, name: str) -> np.ndarray:
    values = tables.numeric(data, name)
    if np.isnan(values).any():
        raise SurveyInputError(f"weights column '{name}' has missing values (first at data row {_first(values)})")
    if (values <= 0).any():
        raise SurveyInputError(f"weights column '{name}' must be positive (data row {_first(values <= 0)})")
    return values


def _first(flags: np.ndarray) -> int:
    flags = np.isnan(flags) if flags.dtype.kind == "f" else flags
    return int(np.argmax(flags)) + 1


def _codes(data: Table, name: str, role: str) -> np.ndarray:
    if tables.missing(data, name).any():
        raise SurveyInputError(f"{role} column '{name}' has missing values")
    return np.unique(tables.text(data, name), return_inverse=True)[1]


def _check_clusters(clusters: np.ndarray, strata: np.ndarray) -> None:
    if len(np.unique(clusters)) == 1:
        raise SurveyInputError("the design has only one primary sampling unit")
    pairs = np.unique(np.column_stack([clusters, strata]), axis=0)
    if len(pairs) != len(np.unique(clusters)):
        raise SurveyInputError("clusters are not nested in strata: a cluster code appears in more than one stratum")


def _psus_per_stratum(clusters: np.ndarray, strata: np.ndarray) -> np.ndarray:
    pairs = np.unique(np.column_stack([clusters, strata]), axis=0)
    counts = np.bincount(pairs[:, 1], minlength=strata.max() + 1)
    return counts[strata].astype(float)


def _popsize(data: Table, name: str, strata: np.ndarray, sampsize: np.ndarray) -> np.ndarray:
    """R's `as.fpc`: values all >= 1 are population PSU counts, all <= 1 are sampling fractions."""
    fpc = tables.numeric(data, name)
    if np.isnan(fpc).any():
        raise SurveyInputError(f"fpc column '{name}' has missing values")
    if (fpc > 1).any() and (fpc < 1).any():
        raise SurveyInputError(f"fpc column '{name}' mixes population sizes (>1) and sampling fractions (<1)")
    popsize = fpc if (fpc >= 1).all() else sampsize / fpc
    for stratum in np.unique(strata):
        if len(np.unique(popsize[strata == stratum])) > 1:
            raise SurveyInputError(f"fpc column '{name}' varies within a stratum")
    if (popsize < sampsize).any():
        raise SurveyInputError(f"fpc column '{name}' implies more than 100% sampling in some strata")
    return popsize


def degf(design: Design, rows: np.ndarray | None = None) -> int:
    """R's `degf`: PSUs minus strata among the rows (of a subset) that have a nonzero weight."""
    keep = design.weights != 0 if rows is None else rows & (design.weights != 0)
    return len(np.unique(design.clusters[keep])) - len(np.unique(design.strata[keep]))


def subset_rows(design: Design, rows: np.ndarray) -> np.ndarray:
    """The rows R's `design[rows, ]` keeps: just those rows, or all rows for a calibrated design."""
    return np.ones(design.n_rows, dtype=bool) if design.calibrated else rows


def variance(design: Design, influence: np.ndarray) -> np.ndarray:
    """R's `svyrecvar` for one stage: covariance matrix of the columns of the influence values."""
    x = np.asarray(influence, dtype=float).reshape(design.n_rows, -1)
    x = project_raking(design.raking, x)
    parts = [_stratum_variance(design, x, design.strata == stratum) for stratum in np.unique(design.strata)]
    return np.sum(parts, axis=0)


def project_raking(raking: tuple[RakingMargin, ...], x: np.ndarray) -> np.ndarray:
    """R's calibration adjustment after `rake`: ten rounds of x <- x - w * ave(x / w, margin)."""
    for _ in range(PROJECTION_ROUNDS if raking else 0):
        for margin in raking:
            ratio = x / margin.weights[:, None]
            x = x - margin.weights[:, None] * _level_means(ratio, margin.codes)
    return x


def _level_means(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    sums = np.zeros((codes.max() + 1, values.shape[1]))
    np.add.at(sums, codes, values)
    return (sums / np.maximum(np.bincount(codes), 1)[:, None])[codes]


def _stratum_variance(design: Design, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    n_psu = design.sampsize[rows][0]
    factor = _fpc_factor(design, rows, n_psu)
    if factor < CERTAINTY:
        return np.zeros((x.shape[1], x.shape[1]))
    if n_psu == 1:
        raise SurveyInputError("a stratum has only one PSU, so its variance cannot be estimated (R: lonely.psu)")
    _, psu = np.unique(design.clusters[rows], return_inverse=True)
    totals = np.zeros((psu.max() + 1, x.shape[1]))
    np.add.at(totals, psu, x[rows])
    centred = totals - totals.mean(axis=0)
    return centred.T @ centred * factor * n_psu / (n_psu - 1)


def _fpc_factor(design: Design, rows: np.ndarray, n_psu: float) -> float:
    if design.popsize is None:
        return 1.0
    population = design.popsize[rows][0]
    return 1.0 if np.isinf(population) else (population - n_psu) / population
