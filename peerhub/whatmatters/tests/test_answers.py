import pytest

from peerhub.whatmatters.answers import AnswerError, clean_answer, columns, from_cells, to_cells
from peerhub.whatmatters.models import Kind, Question

CODES = ["F1", "F2", "F3", "F4"]


def question(kind, **extra):
    defaults = {"key": "q1", "prompt": "Prompt", "options": ["Yes", "No"], "votes": 3,
                "design": [["F1", "F2", "F3"], ["F2", "F3", "F4"]]}
    return Question(kind=kind, **{**defaults, **extra})


@pytest.mark.parametrize(("kind", "value", "expected"), [
    (Kind.SINGLE, "Yes", "Yes"),
    (Kind.MULTIPLE, ["No", "Yes"], ["Yes", "No"]),
    (Kind.RATING, 4, 4),
    (Kind.RANKING, ["F2", "F1", "F4", "F3"], ["F2", "F1", "F4", "F3"]),
    (Kind.BEST_WORST, [{"best": "F1", "worst": "F3"}, {"best": "F4", "worst": "F2"}],
     [{"best": "F1", "worst": "F3"}, {"best": "F4", "worst": "F2"}]),
    (Kind.DOTS, {"F1": 2, "F3": 1, "F2": 0}, {"F1": 2, "F3": 1}),
    (Kind.MOSCOW, {"F1": "M", "F2": "S", "F3": "C", "F4": "W"}, {"F1": "M", "F2": "S", "F3": "C", "F4": "W"}),
])
def test_it_accepts_a_valid_answer_of_each_kind(kind, value, expected):
    assert clean_answer(question(kind), value, CODES) == expected


@pytest.mark.parametrize(("kind", "value", "message"), [
    (Kind.SINGLE, "Maybe", "Choose one of the options"),
    (Kind.MULTIPLE, [], "Choose at least one option"),
    (Kind.MULTIPLE, ["Yes", "Yes"], "only once"),
    (Kind.RATING, 9, "from 1 to 5, not 9"),
    (Kind.RATING, True, "Choose a number"),
    (Kind.RANKING, ["F1", "F1", "F2", "F3"], "each once"),
    (Kind.BEST_WORST, [{"best": "F1", "worst": "F1"}, {"best": "F4", "worst": "F2"}], "must be different"),
    (Kind.BEST_WORST, [{"best": "F4", "worst": "F1"}, {"best": "F4", "worst": "F2"}], "In set 1, choose"),
    (Kind.BEST_WORST, [{"best": "F1", "worst": "F2"}], "Answer all 2 sets"),
    (Kind.DOTS, {"F1": 4}, "between 1 and 3 votes in all; you used 4"),
    (Kind.DOTS, {"F9": 1}, "only on the cards shown"),
    (Kind.DOTS, {"F1": -1}, "whole number, 0 or more"),
    (Kind.MOSCOW, {"F1": "M"}, "every one of the 4 cards"),
    (Kind.MOSCOW, {"F1": "X", "F2": "S", "F3": "C", "F4": "W"}, "M \\(must have\\)"),
])
def test_it_rejects_a_bad_answer_with_a_specific_message(kind, value, message):
    with pytest.raises(AnswerError, match=message):
        clean_answer(question(kind), value, CODES)


@pytest.mark.parametrize(("kind", "value"), [
    (Kind.MULTIPLE, ["Yes", "No"]),
    (Kind.RATING, 2),
    (Kind.RANKING, ["F3", "F1", "F2", "F4"]),
    (Kind.BEST_WORST, [{"best": "F1", "worst": "F3"}, {"best": "F4", "worst": "F2"}]),
    (Kind.DOTS, {"F2": 3}),
    (Kind.MOSCOW, {"F1": "M", "F2": "S", "F3": "C", "F4": "W"}),
])
def test_it_reads_back_the_csv_cells_it_writes(kind, value):
    q = question(kind)
    cells = to_cells(q, value, CODES)
    assert set(cells) == set(columns(q, CODES))
    assert from_cells(q, cells, CODES) == value


def test_it_reads_empty_cells_as_no_answer_and_bad_numbers_as_an_error():
    q = question(Kind.DOTS)
    assert from_cells(q, {}, CODES) is None
    with pytest.raises(AnswerError, match="q1_F1: “two” is not a whole number"):
        from_cells(q, {"q1_F1": "two"}, CODES)
