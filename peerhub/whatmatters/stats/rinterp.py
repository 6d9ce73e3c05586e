"""R's `spline(x, y)` (Forsythe, Malcolm and Moler cubic spline, method "fmm") and `approx(x, y, xout)`.

MASS's profile-likelihood interval for a glm (used by svyciprop's "likelihood" method) interpolates
the profile with exactly these two functions, so reproducing R's interval needs them step for step
(a transcription of R's src/library/stats/src/splines.c and approx.c)."""

import numpy as np


def regularize(x, y) -> tuple[np.ndarray, np.ndarray]:
    """R's `regularize.values(ties=mean)`: sort by x and average y over tied x."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    unique, inverse = np.unique(x, return_inverse=True)
    return unique, np.bincount(inverse, weights=y) / np.bincount(inverse)


def even_grid(start: float, stop: float, n: int) -> np.ndarray:
    """R's `seq.int(start, stop, length.out = n)`, built from both ends as R does."""
    steps = np.arange(n, dtype=float)
    by = (stop - start) / (n - 1) if n > 1 else 0.0
    grid = np.where(steps < n // 2, start + steps * by, stop - (n - 1 - steps) * by)
    grid[0], grid[-1] = start, stop
    return grid


def fmm_coefficients(x: np.ndarray, y: np.ndarray):
    """Coefficients b, c, d of the fmm spline: s(u) = y_i + b_i t + c_i t^2 + d_i t^3, t = u - x_i."""
    n = len(x)
    if n < 3:
        slope = (y[1] - y[0]) / (x[1] - x[0])
        return np.full(n, slope), np.zeros(n), np.zeros(n)
    b, c, d = _tridiagonal(x, y)
    _end_conditions(x, b, c, d)
    _solve(b, c, d)
    return _polynomial(x, y, b, c, d)


def _tridiagonal(x, y):
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, n - 1):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    return b, c, d


def _end_conditions(x, b, c, d) -> None:
    """Third derivatives at both ends taken from divided differences (the 'fmm' end conditions)."""
    n = len(x)
    b[0], b[n - 1] = -d[0], -d[n - 2]
    c[0] = c[n - 1] = 0.0
    if n > 3:
        first = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        last = c[n - 2] / (x[n - 1] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = first * d[0] * d[0] / (x[3] - x[0])
        c[n - 1] = -last * d[n - 2] * d[n - 2] / (x[n - 1] - x[n - 4])


def _solve(b, c, d) -> None:
    """Gaussian elimination and back substitution of the tridiagonal system, in place."""
    n = len(b)
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] -= t * d[i - 1]
        c[i] -= t * c[i - 1]
    c[n - 1] /= b[n - 1]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]


def _polynomial(x, y, b, c, d):
    n = len(x)
    b[n - 1] = (y[n - 1] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[n - 1])
    for i in range(n - 1):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] = 3.0 * c[i]
    c[n - 1] *= 3.0
    d[n - 1] = d[n - 2]
    return b, c, d


def spline(x, y) -> tuple[np.ndarray, np.ndarray]:
    """R's `spline(x, y)`: the fmm spline evaluated at 3 * length(x) evenly spaced points."""
    x, y = regularize(x, y)
    grid = even_grid(x[0], x[-1], 3 * len(x))
    b, c, d = fmm_coefficients(x, y)
    piece = np.clip(np.searchsorted(x, grid, side="right") - 1, 0, len(x) - 1)
    t = grid - x[piece]
    return grid, y[piece] + t * (b[piece] + t * (c[piece] + t * d[piece]))


def approx(x, y, xout: float) -> float:
    """R's `approx(x, y, xout)$y`: linear interpolation, NaN outside the range of x."""
    x, y = regularize(x, y)
    if not x[0] <= xout <= x[-1]:
        return float("nan")
    return float(np.interp(xout, x, y))
