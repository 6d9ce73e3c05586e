from itertools import combinations

import pytest

from peerhub.whatmatters.blockdesign import DesignError, default_set_count, make_design


@pytest.mark.parametrize(("items", "size", "sets"), [(7, 3, 7), (13, 4, 13), (9, 3, 12), (6, 3, 10)])
def test_it_finds_the_balanced_incomplete_block_design_when_one_exists(items, size, sets):
    design = make_design(items, size, sets)
    assert design.is_balanced(items)
    assert all(len(set(block)) == size for block in design.sets)


@pytest.mark.parametrize(("items", "size"), [(10, 4), (16, 4), (25, 5), (5, 2)])
def test_it_shows_every_item_equally_often_and_pairs_nearly_evenly(items, size):
    design = make_design(items, size)
    assert len(set(design.appearances().values())) == 1
    assert sorted(design.appearances()) == list(range(items))
    pairs = design.pair_counts()
    counts = [pairs.get(pair, 0) for pair in combinations(range(items), 2)]
    assert max(counts) - min(counts) <= 2
    assert all(len(set(block)) == size for block in design.sets)


def test_it_is_repeatable():
    assert make_design(10, 4).sets == make_design(10, 4).sets


def test_it_chooses_the_fewest_sets_with_equal_counts():
    assert default_set_count(10, 4) == 10
    assert default_set_count(7, 3) == 7
    assert default_set_count(8, 3) == 8
    assert (default_set_count(9, 4) * 4) % 9 == 0


@pytest.mark.parametrize(("items", "size", "sets", "message"), [
    (2, 2, None, "between 3 and 40 factors"),
    (6, 6, None, "fewer than the 6 factors"),
    (7, 3, 5, "cannot show each of 7 factors equally often"),
])
def test_it_refuses_impossible_sizes_with_a_clear_message(items, size, sets, message):
    with pytest.raises(DesignError, match=message):
        make_design(items, size, sets)
