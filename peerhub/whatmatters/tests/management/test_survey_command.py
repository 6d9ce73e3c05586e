"""`peerhub survey estimate` against R's reference estimates, and its error messages."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerhub.whatmatters.tests.conftest import DESIGNS

REFERENCE_DESIGNS = {"strat": "apistrat.csv", "clus1": "apiclus1.csv", "wtonly": "apistrat.csv"}
RAKED_DESIGNS = {"rclus1": "apiclus1.csv", "rsrs": "apisrs.csv"}
TOLERANCE = 5e-7  # 6 significant figures


def estimate(data, design, out) -> str:
    stdout = StringIO()
    call_command("survey", "estimate", str(data), "--design", str(design), "--out", str(out), stdout=stdout)
    return stdout.getvalue()


def read(path) -> list[dict]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def key(row: dict) -> tuple:
    return row["statistic"], row["variable"], row["domain"], row["level"], row["method"]


def compared_columns(reference_row: dict) -> list[tuple[str, str]]:
    """Reference column -> ours: ciprop rows carry the method's interval, the others the t interval."""
    interval = ("ci_l", "ci_u") if reference_row["statistic"] == "ciprop" else ("ci_l_t", "ci_u_t")
    return [("estimate", "estimate"), ("se", "se"), ("df", "df"), (interval[0], "ci_l"), (interval[1], "ci_u")]


@pytest.mark.parametrize("design", sorted(REFERENCE_DESIGNS))
def test_it_matches_every_r_reference_row_to_6_significant_figures(tmp_path, survey_data, design):
    estimate(survey_data / REFERENCE_DESIGNS[design], DESIGNS / f"{design}.toml", tmp_path / "out.csv")
    ours = {key(row): row for row in read(tmp_path / "out.csv")}
    expected = [row for row in read(survey_data / "reference_estimates.csv") if row["design"] == design]
    assert len(expected) == 26
    for want in expected:
        have = ours[key(want)]
        for theirs, mine in compared_columns(want):
            assert float(have[mine]) == pytest.approx(float(want[theirs]), rel=TOLERANCE), (key(want), theirs)


@pytest.mark.parametrize("design", sorted(RAKED_DESIGNS))
def test_it_rakes_to_the_margins_and_makes_every_estimate(raked_designs, survey_data, tmp_path, design):
    output = estimate(survey_data / RAKED_DESIGNS[design], raked_designs / f"{design}.toml", tmp_path / "out.csv")
    rows = read(tmp_path / "out.csv")
    assert "Wrote 38 estimates" in output and "Warning" not in output
    counts = {row["level"]: row for row in rows if row["statistic"] == "count"}
    assert float(counts["No"]["estimate"]) == pytest.approx(1072, rel=1e-12)
    assert float(counts["Yes"]["estimate"]) == pytest.approx(5122, rel=1e-12)
    assert abs(float(counts["E"]["estimate"]) - 4421) < 1 and float(counts["E"]["se"]) < 1
    assert {row["level"] for row in rows if row["statistic"] == "group_oddsratio"} == {"E:H", "E:M", "H:M"}


def test_it_warns_when_raking_stops_before_converging(raked_designs, survey_data, tmp_path):
    design = raked_designs / "rclus1.toml"
    design.write_text(design.read_text().replace("maxit = 10", "maxit = 1"))
    output = estimate(survey_data / "apiclus1.csv", design, tmp_path / "out.csv")
    assert "Warning: raking did not converge after 1 passes" in output


def write_design(tmp_path, text):
    path = tmp_path / "design.toml"
    path.write_text(text)
    return path


MEAN = '\n[[estimate]]\nstatistic = "mean"\nvariable = "api00"\n'


@pytest.mark.parametrize(
    ("design", "message"),
    [
        ('name = "x"\nweights = "weight"' + MEAN, "unknown column 'weight' in apistrat.csv; its columns are: cds"),
        ('name = "x"\nweights = "stype"' + MEAN, "column 'stype' in apistrat.csv, data row 1: 'E' is not a number"),
        ('name = "x"' + MEAN, "design file .*design.toml: missing required key 'weights'"),
        ('name = "x"\nweights = "pw"\n[[estimate]]\nstatistic = "mean"\nvariable = "awards==Maybe"',
         "condition 'awards==Maybe': no row has awards equal to 'Maybe'"),
        ('name = "x"\nweights = "pw"\n[rake]\nmargins = "none.csv"\nvariables = ["stype"]' + MEAN,
         "cannot read rake margins file"),
    ],
)
def test_it_reports_bad_input_as_a_command_error_with_a_specific_message(tmp_path, survey_data, design, message):
    with pytest.raises(CommandError, match=message):
        estimate(survey_data / "apistrat.csv", write_design(tmp_path, design), tmp_path / "out.csv")


def test_it_reports_a_missing_data_file(tmp_path):
    design = write_design(tmp_path, 'name = "x"\nweights = "pw"' + MEAN)
    with pytest.raises(CommandError, match="cannot read data file .*absent.csv"):
        estimate(tmp_path / "absent.csv", design, tmp_path / "out.csv")


def test_it_writes_the_best_worst_scaling_tables(tmp_path, survey_data):
    stdout = StringIO()
    call_command("survey", "bws", str(survey_data), "--out", str(tmp_path), stdout=stdout)
    counts, expected = read(tmp_path / "bws_counts.csv"), read(survey_data / "bws_counts_reference.csv")
    assert [(r["group"], r["item"], r["B"], r["W"], r["rank"], r["w_top6"]) for r in counts] == [
        (r["group"], r["item"], r["B"], r["W"], r["rank"], r["w_top6"]) for r in expected
    ]
    assert len(read(tmp_path / "bws_shares.csv")) == 4 * 13 * 2
    assert "bws_scores.csv" in stdout.getvalue()
