"""Fingerprints: consistent (same topography, same bytes), similar topographies look similar,
accessible (role, title), and safe inline under the CSP (no style attribute, no script)."""

import re

import pytest

from peerhub.stories.fingerprint import Mark, fingerprint_svg
from peerhub.stories.selectors import fingerprint

from .conftest import topo

pytestmark = pytest.mark.django_db


def circles(svg: str) -> set[str]:
    return set(re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="3.5" fill="#\w+"/>', svg))


def test_it_draws_identical_topographies_as_byte_identical_svg(published):
    topography = {"storyteller": ["peer-supporter"], "purpose": ["evidence-impact", "campaign"],
                  "audience": ["commissioners"], "outcome": ["a-change-in-policy"]}
    first = published(topography=topography, title="First", body="One story.")
    second = published(topography=topography, title="Second", body="A quite different story.", is_named=True,
                       storyteller_name="Sam")
    assert fingerprint(first) == fingerprint(second)


def test_it_draws_similar_topographies_with_shared_dots():
    base = [Mark("storyteller", 1, "A"), Mark("purpose", 2, "B"), Mark("audience", 3, "C")]
    similar = fingerprint_svg([*base, Mark("outcome", 1, "D")])
    different = fingerprint_svg([Mark("storyteller", 5, "E"), Mark("purpose", 6, "F"), Mark("audience", 1, "G")])
    shared_with_similar = circles(fingerprint_svg(base)) & circles(similar)
    assert len(shared_with_similar) == 3
    assert not circles(fingerprint_svg(base)) & circles(different)


def test_it_places_a_term_at_the_same_spot_whatever_else_the_story_has():
    alone = circles(fingerprint_svg([Mark("purpose", 4, "Campaign")]))
    with_others = circles(fingerprint_svg([Mark("purpose", 4, "Campaign"), Mark("audience", 2, "Public")]))
    assert alone < with_others


def test_it_ignores_the_order_the_terms_come_in():
    marks = [Mark("purpose", 4, "x"), Mark("storyteller", 2, "y")]
    assert fingerprint_svg(marks) == fingerprint_svg(list(reversed(marks)))


def test_it_is_an_accessible_image_without_style_or_script():
    svg = fingerprint_svg([Mark("storyteller", 1, "Peer supporter <&>")])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Story fingerprint: storyteller Peer supporter &lt;&amp;&gt;; purpose not given" in svg
    assert "style" not in svg and "script" not in svg.lower() and " on" not in svg


def test_it_draws_a_story_from_its_saved_terms(published):
    story = published()
    term = topo("storyteller", "carer-or-family-member")
    assert f"storyteller {term.name}" in fingerprint(story)
