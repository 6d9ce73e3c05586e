import csv
import math

import pytest

from peerhub.whatmatters.stats.designfile import DesignSpec, EstimateSpec
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.run import ESTIMATE_COLUMNS, estimate_table, format_value, write_estimates

from .helpers import make_table

DATA = make_table(
    w=[1, 2, 1, 2, 1, 2],
    y=[3, 5, 2, 8, 4, 1],
    g=["E", "E", "E", "H", "H", "H"],
    sw=["No", "Yes", "Yes", "No", "Yes", "Yes"],
    label=["x", "x", "x", "x", "x", "x"],
)


def run(*estimates):
    return estimate_table(DATA, DesignSpec("toy", "w", None, None, None, None, tuple(estimates))).rows


def test_it_writes_one_row_per_domain_with_the_domains_df():
    rows = run(EstimateSpec("mean", "y", domain="g"))
    assert [(r["domain"], r["level"], r["df"]) for r in rows] == [("g", "E", 2), ("g", "H", 2)]


def test_it_labels_category_levels_within_a_domain_and_writes_labels_in_place_of_expressions():
    rows = run(EstimateSpec("prop", "sw", domain="g"), EstimateSpec("mean", "sw==Yes", label="yes"))
    assert [r["level"] for r in rows[:4]] == ["E:No", "E:Yes", "H:No", "H:Yes"]
    assert rows[4]["variable"] == "yes" and rows[4]["estimate"] == pytest.approx(6 / 9)


def test_it_refuses_a_ciprop_of_a_variable_that_is_not_zero_one():
    with pytest.raises(SurveyInputError, match="needs a condition such as awards==Yes or a 0/1 column, not 'y'"):
        run(EstimateSpec("ciprop", "y", method="logit"))


def test_it_refuses_a_group_comparison_with_one_domain():
    with pytest.raises(SurveyInputError, match="needs at least two levels of 'label'"):
        run(EstimateSpec("group_diff", "sw==Yes", domain="label"))


def test_it_writes_the_columns_and_numbers_as_r_reads_them_back(tmp_path):
    rows = run(EstimateSpec("ciprop", "sw==Yes", method="mean", df="Inf"), EstimateSpec("total", "y"))
    write_estimates(rows, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open() as handle:
        written = list(csv.DictReader(handle))
    assert tuple(written[0]) == ESTIMATE_COLUMNS
    assert written[0]["method"] == "mean(df=Inf)" and written[0]["df"] == "5"
    assert float(written[1]["estimate"]) == rows[1]["estimate"]
    assert (format_value(math.nan), format_value(math.inf)) == ("NA", "Inf")
