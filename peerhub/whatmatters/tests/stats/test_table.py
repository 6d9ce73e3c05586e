import math

import numpy as np
import pytest

from peerhub.whatmatters.stats import table as tables
from peerhub.whatmatters.stats.errors import SurveyInputError

from .helpers import make_table


def test_it_reads_a_csv_as_text_columns(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('"id","score"\n1,"2.5"\n2,NA\n')
    data = tables.read_csv(path)
    assert data.n_rows == 2
    assert list(data.columns["score"]) == ["2.5", "NA"]


def test_it_rejects_a_row_with_the_wrong_number_of_fields(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n1,2\n3\n")
    with pytest.raises(SurveyInputError, match="line 3 has 1 fields but the header has 2"):
        tables.read_csv(path)


def test_it_rejects_a_missing_file_with_its_name(tmp_path):
    with pytest.raises(SurveyInputError, match="cannot read data file .*nope.csv"):
        tables.read_csv(tmp_path / "nope.csv")


def test_it_names_an_unknown_column_and_lists_the_known_ones():
    data = make_table(api00=[1, 2], pw=[1, 1])
    with pytest.raises(SurveyInputError, match="unknown column 'api01' in test.csv; its columns are: api00, pw"):
        tables.numeric(data, "api01")


def test_it_reads_numbers_with_nan_for_missing_values():
    values = tables.numeric(make_table(x=["1.5", "NA", ""]), "x")
    assert values[0] == 1.5 and math.isnan(values[1]) and math.isnan(values[2])


def test_it_rejects_a_non_numeric_value_naming_column_and_row():
    with pytest.raises(SurveyInputError, match="column 'pw' in test.csv, data row 2: 'heavy' is not a number"):
        tables.numeric(make_table(pw=["1", "heavy"]), "pw")


def test_it_turns_a_condition_into_a_zero_one_indicator_with_nan_where_missing():
    data = make_table(awards=["Yes", "No", "NA", "Yes"])
    np.testing.assert_array_equal(tables.variable(data, "awards==Yes")[[0, 1, 3]], [1.0, 0.0, 1.0])
    assert math.isnan(tables.variable(data, "awards==Yes")[2])
    np.testing.assert_array_equal(tables.indicator(data, 'awards!="Yes"')[[0, 1]], [0.0, 1.0])


def test_it_rejects_a_condition_that_no_row_meets_listing_the_values():
    with pytest.raises(SurveyInputError, match=r"no row has awards equal to 'yes' \(values: No, Yes\)"):
        tables.indicator(make_table(awards=["Yes", "No"]), "awards==yes")


def test_it_sorts_the_levels_of_a_category_without_missing_values():
    assert tables.levels(make_table(stype=["M", "E", "NA", "H", "E"]), "stype") == ["E", "H", "M"]
