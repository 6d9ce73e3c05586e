import math

import numpy as np
import pytest

from peerhub.whatmatters.stats import rinterp


def cubic(x):
    return 0.5 * x**3 - 2 * x**2 + x - 1


def test_it_reproduces_a_cubic_exactly_as_the_fmm_end_conditions_promise():
    x = np.array([0.0, 0.7, 1.5, 2.0, 3.1, 4.0])
    grid, values = rinterp.spline(x, cubic(x))
    np.testing.assert_allclose(values, cubic(grid), rtol=1e-12, atol=1e-12)


def test_it_evaluates_three_times_as_many_points_from_the_first_to_the_last_x():
    grid, _ = rinterp.spline([3.0, 1.0, 2.0, 5.0], [1.0, 2.0, 0.0, 4.0])
    assert len(grid) == 12 and grid[0] == 1.0 and grid[-1] == 5.0
    np.testing.assert_allclose(np.diff(grid), 4 / 11)


def test_it_joins_two_points_with_a_straight_line():
    grid, values = rinterp.spline([0.0, 2.0], [1.0, 5.0])
    np.testing.assert_allclose(values, 1 + 2 * grid)


def test_it_averages_y_over_tied_x_as_r_regularize_values_does():
    x, y = rinterp.regularize([2.0, 1.0, 2.0], [4.0, 1.0, 6.0])
    assert list(x) == [1.0, 2.0] and list(y) == [1.0, 5.0]


def test_it_interpolates_linearly_and_gives_nan_outside_the_range():
    assert rinterp.approx([0.0, 1.0, 3.0], [0.0, 10.0, 30.0], 2.0) == pytest.approx(20.0)
    assert math.isnan(rinterp.approx([0.0, 1.0], [0.0, 1.0], 1.5))
