import math

import numpy as np
import pytest

from peerhub.whatmatters.stats import table as tables
from peerhub.whatmatters.stats.design import build_design, weights_only
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.estimators import counts, level_indicators, mean, proportions, total, whole
from peerhub.whatmatters.stats.rake import population_margin, rake, read_margins
from peerhub.whatmatters.stats.run import estimate_file

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


# R's own output for the raked one-stage cluster design, from the survey package's regression test
# tests/rakecheck.R with its saved output tests/rakecheck.Rout.save (GitHub cran/survey, the same
# figures in every stored version, R 2.4.1 to R 2.15.0):
#   dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
#   dclus1r <- rake(dclus1, list(~stype,~sch.wide), list(pop.types, pop.schwide))   # default control
#   svymean(~api00, dclus1r)      api00  641.23  SE 23.704
#   svytotal(~enroll, dclus1r)    enroll 3647300 SE 400603
#   dclus1g <- calibrate(dclus1, ~stype+sch.wide, poptotals, calfun="raking")       # raked to convergence
#   svymean(~api00, dclus1g)      api00  641.23  SE 23.704
#   svytotal(~enroll, dclus1g)    enroll 3647280 SE 400603
# print.svystat shows each number rounded, so ours must lie within half a unit of its last printed digit.
# The totals pin the stopping rule: rake() stops after pass 4 (3647300); pass 3 gives 3647528, pass 5
# 3647282 and full convergence 3647280, which is calibrate's figure.
R_RAKED_CLUS1 = {
    "mean api00": ((641.23, 0.005), (23.704, 0.0005)),
    "total enroll": ((3647300, 0.5), (400603, 0.5)),
}
R_CALIBRATED_CLUS1 = {
    "mean api00": ((641.23, 0.005), (23.704, 0.0005)),
    "total enroll": ((3647280, 0.5), (400603, 0.5)),
}


def assert_printed_by_r(ours: dict[str, tuple[float, float]], printed: dict) -> None:
    for name, ((estimate, estimate_half_unit), (se, se_half_unit)) in printed.items():
        assert abs(ours[name][0] - estimate) <= estimate_half_unit, (name, "estimate", ours[name][0])
        assert abs(ours[name][1] - se) <= se_half_unit, (name, "se", ours[name][1])


def test_the_rclus1_design_file_gives_what_r_printed_for_rake_on_dclus1(raked_designs, survey_data):
    rows = estimate_file(survey_data / "apiclus1.csv", raked_designs / "rclus1.toml").rows
    ours = {
        f"{row['statistic']} {row['variable']}": (row["estimate"], row["se"])
        for row in rows
        if row["domain"] == "all" and (row["statistic"], row["variable"]) in {("mean", "api00"), ("total", "enroll")}
    }
    assert_printed_by_r(ours, R_RAKED_CLUS1)
    assert all(row["df"] == 14 for row in rows if row["domain"] == "all" and row["statistic"] in {"mean", "total"})


def test_rake_stops_after_the_pass_r_stops_at_and_converges_to_rs_calibrate(survey_data):
    data = tables.read_csv(survey_data / "apiclus1.csv")
    design = build_design(data, "d", "pw", clusters="dnum", fpc="fpc")
    margins = margins_for(data, read_margins(survey_data / "rake_margins.csv"))
    api00, enroll = tables.numeric(data, "api00"), tables.numeric(data, "enroll")
    for result, printed in [
        (rake(design, margins), R_RAKED_CLUS1),
        (rake(design, margins, maxit=100, epsilon=1e-13), R_CALIBRATED_CLUS1),
    ]:
        raked = result.design
        by_mean, by_total = mean(raked, api00, whole(raked)), total(raked, enroll, whole(raked))
        ours = {"mean api00": (by_mean.estimate, by_mean.se), "total enroll": (by_total.estimate, by_total.se)}
        assert result.converged
        assert_printed_by_r(ours, printed)
    assert rake(design, margins).passes == 4


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_raked_weights_reproduce_every_margin_to_1e_9(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    population = read_margins(survey_data / "rake_margins.csv")
    raked = rake(build_design(data, "d", "pw", **DESIGNS[data_file]), margins_for(data, population), 100, 1e-13)
    for variable in RAKED:
        for level, count in weighted_counts(data, raked.design.weights, variable).items():
            assert abs(count - population[variable][level]) < 1e-9


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_raking_to_the_samples_own_weighted_margins_changes_nothing(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    design = build_design(data, "d", "pw", **DESIGNS[data_file])
    own = {variable: weighted_counts(data, design.weights, variable) for variable in RAKED}
    result = rake(design, margins_for(data, own))
    assert result.converged and result.passes == 1
    np.testing.assert_allclose(result.design.weights, design.weights, rtol=1e-12)
    y = tables.numeric(data, "api00")
    assert mean(result.design, y, whole(design)).estimate == pytest.approx(mean(design, y, whole(design)).estimate)


@pytest.mark.parametrize("data_file", sorted(DESIGNS))
def test_the_raked_variables_own_proportions_have_no_sampling_error_once_converged(survey_data, data_file):
    data = tables.read_csv(survey_data / data_file)
    design = build_design(data, "d", "pw", **DESIGNS[data_file])
    raked = rake(design, margins_for(data, read_margins(survey_data / "rake_margins.csv")), 100, 1e-13).design
    for variable in RAKED:
        values, absent = tables.text(data, variable), tables.missing(data, variable)
        columns = level_indicators(values, absent, tables.levels(data, variable))
        unraked, calibrated = proportions(design, columns, whole(design)), proportions(raked, columns, whole(raked))
        for before, after in zip(unraked, calibrated, strict=True):
            assert before.se > 0.01
            assert after.se < 1e-9


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
