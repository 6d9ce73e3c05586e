import math

import pytest

from peerhub.whatmatters.stats.designfile import read_design_file
from peerhub.whatmatters.stats.errors import SurveyInputError

FULL = """
name = "rclus1"
weights = "pw"
clusters = "dnum"
fpc = "fpc"
[rake]
margins = "margins/rake.csv"
variables = ["stype", "sch.wide"]
[[estimate]]
statistic = "ciprop"
variable = "awards==Yes"
domain = "stype"
method = "beta"
df = "Inf"
[[estimate]]
statistic = "mean"
variable = "api00"
"""


def write(tmp_path, text):
    path = tmp_path / "design.toml"
    path.write_text(text)
    return path


def test_it_reads_a_full_design_file_with_margins_relative_to_it(tmp_path):
    spec = read_design_file(write(tmp_path, FULL))
    assert (spec.name, spec.weights, spec.clusters, spec.strata) == ("rclus1", "pw", "dnum", None)
    assert spec.rake.margins == tmp_path / "margins" / "rake.csv"
    assert (spec.rake.maxit, spec.rake.epsilon) == (10, 1.0)
    ciprop, mean = spec.estimates
    assert ciprop.method_label == "beta(df=Inf)" and math.isinf(ciprop.df_value)
    assert mean.method_label == "" and mean.df_value is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('weights = "pw"\n[[estimate]]\nstatistic = "mean"\nvariable = "x"', "missing required key 'name'"),
        ('name = "d"\nweights = "pw"', r"needs at least one \[\[estimate\]\]"),
        ('name = "d"\nweights = 3\n[[estimate]]\nstatistic = "mean"\nvariable = "x"', "'weights' must be a non-empty"),
        ('name = "d"\nweights = "pw"\nweight = "pw"\n[[estimate]]\nstatistic = "mean"\nvariable = "x"',
         "unknown key\\(s\\) weight"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "median"\nvariable = "x"',
         "statistic 'median' is not one of mean, total"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "mean"\nvariable = "x"\nmethod = "logit"',
         "'method' applies only to statistic"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "ciprop"\nvariable = "x==1"\nmethod = "wald"',
         "method 'wald' is not one of"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "ciprop"\nvariable = "x==1"\ndf = "10"',
         "df '10' is not one of degf, Inf"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "ratio"\nvariable = "x"', "numerator/denominator"),
        ('name = "d"\nweights = "pw"\n[[estimate]]\nstatistic = "group_diff"\nvariable = "x==1"', "needs a 'domain'"),
        ('name = "d"\nweights = "pw"\n[rake]\nmargins = "m.csv"\nvariables = "stype"\n'
         '[[estimate]]\nstatistic = "mean"\nvariable = "x"', "'variables' must be a non-empty list"),
        ('name = "d"\nweights = "pw"\n[rake]\nmargins = "m.csv"\nvariables = ["a"]\nmaxit = 0\n'
         '[[estimate]]\nstatistic = "mean"\nvariable = "x"', "'maxit' must be a whole number"),
        ('name = "d"\nweights = "pw\n', "is not valid TOML"),
    ],
)
def test_it_explains_each_mistake_in_a_design_file(tmp_path, text, message):
    with pytest.raises(SurveyInputError, match=message):
        read_design_file(write(tmp_path, text))


def test_it_names_a_design_file_that_cannot_be_read(tmp_path):
    with pytest.raises(SurveyInputError, match="cannot read design file"):
        read_design_file(tmp_path / "absent.toml")
