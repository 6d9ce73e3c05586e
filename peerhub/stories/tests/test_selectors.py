"""Reads: the open-data selector, the search with facets, and the diff moderators see."""

import pytest

from peerhub.stories import services
from peerhub.stories.params import StoryParams
from peerhub.stories.selectors import changes_since_submission, search_stories, stories_for_open_data

pytestmark = pytest.mark.django_db


def test_open_data_holds_only_published_open_stories_that_consented(published, make_story, curator):
    wanted = published(title="Yes")
    published(title="No consent", open_data=False)
    published(title="Professionals only", visibility="signed_in", open_data=False)
    make_story(title="Waiting")
    services.withdraw_story(published(title="Withdrawn"))
    unpublished = published(title="Unpublished")
    services.unpublish_story(unpublished, actor=curator, reason="Asked to")
    assert list(stories_for_open_data()) == [wanted]


def test_facet_counts_follow_the_filters(published):
    published(topography={"storyteller": ["peer-supporter"], "purpose": ["campaign"], "audience": ["the-public"]})
    published(topography={"storyteller": ["commissioner"], "purpose": ["campaign", "evidence-impact"],
                          "audience": ["policymakers"]})
    page = search_stories(None, StoryParams(terms={"purpose": ["campaign"]}))
    purposes = {v.value: (v.count, v.selected) for v in next(f for f in page.facets if f.name == "purpose").values}
    assert page.total == 2 and purposes == {"campaign": (2, True), "evidence-impact": (1, False)}


def test_the_diff_names_only_the_changed_fields(make_story, curator):
    story = make_story(title="Same", body="I met Dr Smith there.")
    services.update_story(story, {"body": "I met a doctor there."}, actor=curator)
    changes = changes_since_submission(story)
    assert [c.label for c in changes] == ["Story"]
    assert ("removed", "Dr Smith") in changes[0].segments and ("added", "a doctor") in changes[0].segments
