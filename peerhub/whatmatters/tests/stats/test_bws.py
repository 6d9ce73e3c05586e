import csv
import shutil

import numpy as np
import pytest

from peerhub.whatmatters.stats import bws
from peerhub.whatmatters.stats.errors import SurveyInputError

EXACT = ("n_resp", "r", "B", "W", "BW", "rank", "top6", "w_rank", "w_top6")
CLOSE = ("stdBW", "sqrtBW", "std_sqrtBW", "sum_w", "wB", "wW", "wBW", "w_stdBW")


@pytest.fixture(scope="module")
def study(survey_data):
    return bws.read_study(survey_data)


def reference(survey_data):
    with (survey_data / "bws_counts_reference.csv").open() as handle:
        return list(csv.DictReader(handle))


def test_it_reproduces_the_reference_counts_exactly_and_weighted_scores_to_6_significant_figures(study, survey_data):
    expected, got = reference(survey_data), bws.count_scores(study)
    assert [(row["group"], int(row["item"])) for row in expected] == [(row["group"], row["item"]) for row in got]
    for want, have in zip(expected, got, strict=True):
        assert {c: want[c] for c in EXACT} == {c: bws.format_cell(have[c]) for c in EXACT}
        for column in CLOSE:
            assert have[column] == pytest.approx(float(want[column]), rel=5e-7), (want["group"], want["item"], column)


def test_it_gives_the_weighted_mean_individual_score_the_weighted_count_score(study):
    counted = {(r["group"], r["item"]): r["w_stdBW"] for r in bws.count_scores(study)}
    for row in bws.weighted_scores(study):
        assert row["mean_stdBW"] == pytest.approx(counted[(row["group"], row["item"])], rel=1e-12)


def test_it_gives_group_scores_a_standard_error_and_the_groups_degrees_of_freedom(study):
    rows = {(r["group"], r["item"]): r for r in bws.weighted_scores(study)}
    assert rows[("all", 1)]["df"] == 299 and rows[("healthcare_workforce", 1)]["df"] == 79
    assert all(0 < r["se_BW"] < 1 for r in rows.values())
    assert rows[("all", 1)]["ci_l"] < rows[("all", 1)]["mean_BW"] < rows[("all", 1)]["ci_u"]


def test_it_refuses_a_worst_choice_that_was_not_on_show(tmp_path, survey_data):
    for name in bws.FILES:
        shutil.copy(survey_data / name, tmp_path / name)
    lines = (tmp_path / "bws_responses.csv").read_text().splitlines()
    resp, question, best, _ = lines[1].split(",")
    lines[1] = ",".join([resp, question, best, "999"])
    (tmp_path / "bws_responses.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(SurveyInputError, match="bws_responses.csv line 2: best and worst must be two different items"):
        bws.read_study(tmp_path)


def test_it_names_a_missing_study_file(tmp_path):
    with pytest.raises(SurveyInputError, match="bws_items.csv is missing"):
        bws.read_study(tmp_path)


def test_it_ranks_ties_at_the_lower_rank():
    np.testing.assert_array_equal(bws._min_rank(np.array([5.0, 9.0, 5.0, 1.0])), [2, 1, 2, 4])
