import math

import numpy as np
import pytest

from peerhub.whatmatters.stats import table as tables
from peerhub.whatmatters.stats.design import build_design, weights_only
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.estimators import counts, level_indicators, total, whole
from peerhub.whatmatters.stats.rake import population_margin, rake, read_margins

from .helpers import make_table

RAKED = ["stype", "sch.wide"]
DESIGNS = {"apiclus1.csv": {"clusters": "dnum", "fpc": "fpc"}, "apisrs.csv": {"fpc": "fpc"}}


def margins_for(data, population):
    return [population_margin(data, variable, population[variable]) for variable in RAKED]


def weighted_counts(data, weights, variable):
    values = tables.text(data, variable)
    return {level: weights[values == level].sum() for level in tables.levels(data, variable)}


def test_it_rakes_a_two_by_two_table_as_worked_by_hand():
    data = make_table(row=["A", "A", "B", "B"], col=["X", "Y", "X", "Y"])
    margins = [population_margin(data, "row", {"A": 30, "B": 70}), population_margin(data, "col", {"X": 40, "Y": 60})]
    # pass 1: rows give 15, 15, 35, 35; columns scale X by 40/50 and Y by 60/50. Pass 2 changes nothing.
    result = rake(weights_only("d", np.ones(4)), margins)
    np.testing.assert_allclose(result.design.weights, [12, 18, 28, 42])
    assert result.converged and result.passes == 2


def test_it_gives_a_single_margin_the_post_stratified_variance_worked_by_hand():
    data = make_table(g=["a", "a", "b", "b", "b"])
    y = np.array([1.0, 3.0, 2.0, 4.0, 9.0])
    raked = rake(weights_only("d", np.ones(5)), [population_margin(data, "g", {"a": 10, "b": 30})]).design
    estimate = total(raked, y, whole(raked))
    residuals = np.array([5 * (1 - 2), 5 * (3 - 2), 10 * (2 - 5), 10 * (4 - 5), 10 * (9 - 5)])
    assert estimate.estimate == pytest.approx(170.0)
    assert estimate.se == pytest.approx(math.sqrt(5 / 4 * np.sum(residuals**2)))


def test_it_stops_without_converging_after_maxit_passes():
    data = make_table(row=["A", "A", "B", "B"], col=["X", "Y", "X", "Y"])
    weights = np.array([1.0, 5.0, 2.0, 1.0])
    margins = [population_margin(data, "row", {"A": 30, "B": 70}), population_margin(data, "col", {"X": 40, "Y": 60})]
    result = rake(weights_only("d", weights), margins, maxit=1, epsilon=1e-9)
    assert not result.converged and result.passes == 1


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_it_reproduces_the_population_margins_exactly_once_converged(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    population = read_margins(survey_data / "rake_margins.csv")
    design = build_design(data, "d", "pw", **DESIGNS[data_file])
    result = rake(design, margins_for(data, population), maxit=200, epsilon=1e-13)
    assert result.converged
    for variable in RAKED:
        got = weighted_counts(data, result.design.weights, variable)
        assert got == pytest.approx(population[variable], rel=1e-12)


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_it_stops_by_r_default_rule_within_epsilon_of_the_margins(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    population = read_margins(survey_data / "rake_margins.csv")
    result = rake(build_design(data, "d", "pw", **DESIGNS[data_file]), margins_for(data, population))
    assert result.converged and result.passes <= 10
    assert weighted_counts(data, result.design.weights, "sch.wide") == pytest.approx(population["sch.wide"])
    for level, count in weighted_counts(data, result.design.weights, "stype").items():
        assert abs(count - population["stype"][level]) < 1


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_it_lowers_the_se_of_the_raked_variables_totals(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    design = build_design(data, "d", "pw", **DESIGNS[data_file])
    raked = rake(design, margins_for(data, read_margins(survey_data / "rake_margins.csv"))).design
    for variable in RAKED:
        values, absent = tables.text(data, variable), tables.missing(data, variable)
        columns = level_indicators(values, absent, tables.levels(data, variable))
        before, after = counts(design, columns, whole(design)), counts(raked, columns, whole(raked))
        for unraked, calibrated in zip(before, after, strict=True):
            assert calibrated.se <= unraked.se
            assert calibrated.se < 0.01 * unraked.se  # calibrated totals are known, up to the early stop


def test_it_refuses_a_data_level_with_no_population_count():
    data = make_table(g=["a", "b", "c"])
    with pytest.raises(SurveyInputError, match="level\\(s\\) c of 'g' have no population count"):
        population_margin(data, "g", {"a": 1, "b": 2})


def test_it_refuses_a_population_level_with_no_rows():
    data = make_table(g=["a", "b"])
    with pytest.raises(SurveyInputError, match="level\\(s\\) c of 'g' have a population count but no rows"):
        population_margin(data, "g", {"a": 1, "b": 2, "c": 3})


def test_it_refuses_a_variable_missing_from_the_margins_file():
    with pytest.raises(SurveyInputError, match="no rows for the variable 'g'"):
        population_margin(make_table(g=["a"]), "g", None)


def test_it_reads_margins_and_rejects_a_count_that_is_not_a_number(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text('"variable","level","Freq"\n"g","a",10\n"g","b",many\n')
    with pytest.raises(SurveyInputError, match="line 3: Freq 'many' is not a count"):
        read_margins(path)
    path.write_text('"variable","level","Freq"\n"g","a",10\n"g","b",5\n')
    assert read_margins(path) == {"g": {"a": 10.0, "b": 5.0}}
