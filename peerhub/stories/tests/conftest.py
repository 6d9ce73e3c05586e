"""Helpers for the stories tests: topography terms by slug, and stories in any state made
through the services (never by hand), so every test sees what the hub really stores."""

import pytest

from peerhub.library.models import Term
from peerhub.stories.models import TopographyTerm
from peerhub.stories.services import publish_story, submit_story

DEFAULT_TOPOGRAPHY = {"storyteller": ["carer-or-family-member"], "purpose": ["raise-awareness"],
                      "audience": ["the-public"]}


def topo(dimension: str, slug: str) -> TopographyTerm:
    return TopographyTerm.objects.get(dimension=dimension, slug=slug)


def hub(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def story_data(**overrides) -> dict:
    data = {"title": "Walking together after the diagnosis", "body": "The group helped me feel less alone.",
            "medium": "written", "media_url": "", "transcript": "", "visibility": "open", "is_named": False,
            "storyteller_name": "", "open_data": True, "under_16": False, "guardian_name": "",
            "email": "storyteller@example.net"}
    return {**data, **overrides}


def terms_for(topography: dict) -> list[TopographyTerm]:
    return [topo(d, s) for d, slugs in topography.items() for s in slugs]


@pytest.fixture
def make_story(db):
    """make_story(topography=..., hub_terms=[...], **data) -> a submitted story."""

    def make(topography=None, hub_terms=(), **data):
        return submit_story(story_data(**data), terms=terms_for(topography or DEFAULT_TOPOGRAPHY),
                            hub_terms=list(hub_terms))

    return make


@pytest.fixture
def published(make_story, curator):
    """published(**same as make_story) -> a published story (checks confirmed by the curator)."""

    def make(**kwargs):
        story = make_story(**kwargs)
        return publish_story(story, actor=curator, safety_reviewed=True, personal_data_checked=True)

    return make
