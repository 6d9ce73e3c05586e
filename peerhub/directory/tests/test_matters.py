"""Linking what matters to each group to listings (directory.matters): which listing facts speak
to which factor, the reader's group and its top factors in words, and facts for a page of cards."""

import math

import pytest

from peerhub.directory import finder, matters, selectors
from peerhub.directory.models import Service
from peerhub.directory.tests.conftest import GIVES, USED
from peerhub.directory.tests.test_related_evidence import library_term, resource
from peerhub.whatmatters.instruments import HUB_DRAFT_FACTORS, NATIONAL_FACTORS
from peerhub.whatmatters.selectors import FactorFact

# Every factor of the shipped survey, and the facts that speak to it.
SURVEY_FACTS = {
    "Confidence in the quality of the service": ["Last checked", "Who runs it", "Registered charity",
                                                  "About the organisation"],
    "Belief that peer support would improve health and wellbeing": ["Related evidence"],
    "Meeting people with similar experiences": ["Will I meet people with similar experiences?", "Who it is for"],
    "Being recommended by a health professional": ["How to join", "When it meets"],
    "Being able to get there easily, or take part online": ["Where", "Accessibility", "When it meets"],
    "It being free to take part": ["Cost"],
    "Peer supporters who are trained and supervised": ["Will I meet people with similar experiences?",
                                                        "Who runs it"],
    "Feeling welcome whatever my background": ["Will I meet people with similar experiences?", "Who it is for"],
    "Being able to come and go as I need": ["How to join", "When it meets"],
    "Knowing my information is kept private": [],
}


def test_it_covers_every_factor_of_the_shipped_survey():
    assert set(SURVEY_FACTS) == set(NATIONAL_FACTORS + HUB_DRAFT_FACTORS)


@pytest.mark.parametrize("label, facts", SURVEY_FACTS.items())
def test_it_maps_each_survey_factor_to_the_facts_that_speak_to_it(label, facts):
    assert matters.fact_labels_for(label) == facts


def test_it_matches_keywords_at_word_starts_ignoring_case_and_spacing():
    assert matters.fact_labels_for("  ACCESSIBLE   venues ") == ["Where", "Accessibility", "When it meets"]
    assert matters.fact_labels_for("Paying nothing") == ["Cost"]
    assert matters.fact_labels_for("Unpaid carers") == []  # "pay" inside a word is not about cost


def test_it_names_only_facts_a_listing_can_state():
    stated = {"Who it is for", "Will I meet people with similar experiences?", "How to join", "Cost",
              "When it meets", "Where", "Accessibility", "Languages", "Who runs it", "Last checked",
              "Registered charity", "About the organisation", matters.EVIDENCE}
    assert {fact for topic in matters.TOPICS for fact in topic.facts} <= stated


def test_it_says_how_sure_the_order_is_in_plain_words():
    first, close, far = (FactorFact(1, "A", 0.8, 0.7, 0.9), FactorFact(2, "B", 0.75, 0.65, 0.85),
                         FactorFact(3, "C", 0.1, 0.0, 0.2))
    assert matters.certainty_words(first, close).startswith("It may matter about as much as the next one")
    assert matters.certainty_words(close, far) == "It clearly matters more than the next one."
    assert matters.certainty_words(far, None) == ""
    assert matters.amount_words(first, "Score", "score") == "Score: +0.80, likely between +0.70 and +0.90."
    no_range = FactorFact(1, "A", 0.8, math.nan, math.nan)
    assert "No likely range" in matters.amount_words(no_range, "Score", "score")


@pytest.mark.django_db
def test_it_shows_nothing_when_no_group_is_chosen(published_survey):
    found = matters.people_like_me("")
    assert found.groups == [GIVES, USED]
    assert found.top is None and not found.unknown and found.priorities == []


@pytest.mark.django_db
def test_it_reports_an_unknown_group_without_running_the_statistics(published_survey, django_assert_num_queries):
    with django_assert_num_queries(1):  # the list of groups only
        found = matters.people_like_me("General practitioners" * 50)
    assert found.unknown and len(found.chosen) == matters.GROUP_MAX_CHARS


@pytest.mark.django_db
def test_it_gives_a_known_groups_top_factors_in_words(published_survey):
    found = matters.people_like_me(" yes, i have used PEER support ")
    assert found.top.group == USED and not found.unknown
    assert [p.label for p in found.priorities[:2]] == ["Knowing my information is kept private",
                                                      "Confidence in the quality of the service"]
    assert found.priorities[0].amount.startswith("Best-worst score (−1 to 1, weighted): +0.")
    assert found.results_url == f"/what-matters/{published_survey.pk}/results/"


def test_it_leaves_out_facts_a_listing_does_not_state(demo, monkeypatch):
    service = selectors.get_service(Service.objects.get(name="Leeds Hearing Voices Group").id)
    stated = finder.listing_facts(service, [])
    monkeypatch.setattr(finder, "listing_facts", lambda *_: [("Cost", "Not stated: ask the organisation."),
                                                             *stated[4:]])
    facts = matters.listing_fact_map(service, [], [])
    assert "Cost" not in facts and matters.EVIDENCE not in facts
    assert facts["Last checked"].text.startswith("Last checked on")
    assert facts["About the organisation"].text == service.organization.description


def test_it_finds_evidence_for_a_page_of_cards_as_the_listing_page_does(demo, django_assert_max_num_queries):
    resource("Hearing voices groups: what members value", library_term("condition", "psychosis"))
    resource("Peer-led groups for long-term conditions", library_term("format", "peer-led"))
    services = {s.id: s for s in selectors.full_services(list(Service.objects.values_list("id", flat=True)))}
    attributes = selectors.attribute_map(services)
    with django_assert_max_num_queries(4):
        found = matters.evidence_by_service(services, attributes, limit=5)
    for sid, service in services.items():
        expected = finder.related_evidence(attributes.get(sid, []), limit=5)
        assert [r.pk for r in found[sid]] == [r.pk for r in expected], service.name
    assert any(found.values())


def test_it_gives_each_card_the_facts_for_each_factor(demo, published_survey):
    people = matters.people_like_me(USED)
    cards = finder.listing_cards(list(Service.objects.filter(name__startswith="Leeds").values_list("id", flat=True)))
    attributes = selectors.attribute_map({c.service.id for c in cards})
    found = matters.facts_for_cards(people, cards, attributes)
    leeds = found[Service.objects.get(name="Leeds Hearing Voices Group").id]
    assert [item.priority.label for item in leeds] == [p.label for p in people.priorities]
    assert leeds[0].facts == []  # privacy: the listing does not say
    assert [f.label for f in leeds[1].facts][:2] == ["Last checked", "Who runs it"]
    assert matters.facts_for_cards(matters.people_like_me(""), cards, attributes) == {}
