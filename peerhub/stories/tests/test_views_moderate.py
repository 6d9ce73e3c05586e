"""Moderation pages, for every persona: the queue, the edit view that anonymises and shows the
difference, publishing with its checks, decisions, the library offer and the vocabularies."""

import html

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from peerhub.library.models import Resource
from peerhub.stories.models import StoryStatus, TopographyTerm

from .conftest import topo

pytestmark = pytest.mark.django_db
REFUSED = {"visitor": 302, "contributor": 403}


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def edit_data(story, **overrides) -> dict:
    data = {"title": story.title, "body": story.body, "medium": story.medium, "media_url": "", "transcript": "",
            "storyteller": topo("storyteller", "carer-or-family-member").pk,
            "purpose": [topo("purpose", "raise-awareness").pk], "audience": [topo("audience", "the-public").pk]}
    return {**data, **overrides}


@pytest.mark.parametrize(("persona", "status"), [*REFUSED.items(), ("curator", 200), ("admin", 200)])
def test_only_curators_see_the_queue_and_the_edit_view(persona, status, personas, client_for, make_story):
    story = make_story()
    client = client_for(personas[persona])
    for url in [reverse("stories:queue"), reverse("stories:moderate", args=[story.pk]),
                reverse("stories:topography"), reverse("stories:term_add", args=["purpose"])]:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("persona", "status"), REFUSED.items())
def test_others_cannot_publish_reject_or_edit(persona, status, personas, client_for, make_story):
    story = make_story()
    client = client_for(personas[persona])
    for name in ["publish", "reject", "confirm_guardian", "offer", "moderate"]:
        assert client.post(reverse(f"stories:{name}", args=[story.pk]), {"reason": "x"}).status_code == status
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED


def test_the_queue_flags_what_needs_care(client_for, curator, make_story):
    make_story(title="Flagged", body="Ring 07700 900123. I self-harm.", under_16=True, guardian_name="Parent")
    text = text_of(client_for(curator).get(reverse("stories:queue")))
    assert "Flagged" in text and "Safety review" in text and "Personal details" in text and "Under 16" in text


def test_a_moderator_anonymises_and_sees_what_changed(client_for, curator, make_story):
    story = make_story(body="Call me on 07700 900123 any time.")
    client = client_for(curator)
    assert "A phone number: “07700 900123”" in text_of(client.get(reverse("stories:moderate", args=[story.pk])))
    response = client.post(reverse("stories:moderate", args=[story.pk]),
                           edit_data(story, body="Call me on [phone number] any time."), follow=True)
    page = response.content.decode()
    assert 'Call me on <del><span class="nhsuk-u-visually-hidden">[removed: </span>07700 900123<' in page
    assert '<ins><span class="nhsuk-u-visually-hidden">[added: </span>[phone number]<' in page
    assert "No likely personal details found." in text_of(response)


def test_an_edit_with_a_problem_is_explained_and_not_saved(client_for, curator, make_story):
    story = make_story()
    response = client_for(curator).post(reverse("stories:moderate", args=[story.pk]),
                                        edit_data(story, title="", resources="12 abc", services="not-a-uuid"))
    assert response.status_code == 400
    text = text_of(response)
    assert "Enter a title for your story" in text and "Give resource numbers only" in text
    assert "“not-a-uuid” is not a service id" in text
    story.refresh_from_db()
    assert story.title == "Walking together after the diagnosis"


def test_an_edit_links_library_resources(client_for, curator, make_story):
    from peerhub.library.services import create_resource

    resource = create_resource({"title": "A guide", "resource_type": "toolkit"}, actor=curator, publish=True)
    story = make_story()
    client = client_for(curator)
    client.post(reverse("stories:moderate", args=[story.pk]), edit_data(story, resources=str(resource.pk)))
    assert list(story.resources.all()) == [resource]
    response = client.post(reverse("stories:moderate", args=[story.pk]), edit_data(story, resources="99999"))
    assert "There is no library resource numbered 99999" in text_of(response)


def test_publishing_is_refused_with_reasons_until_checks_are_done(client_for, curator, make_story):
    story = make_story(body="I thought of suicide.", under_16=True, guardian_name="Parent", open_data=False)
    client = client_for(curator)
    response = client.post(reverse("stories:publish", args=[story.pk]))
    assert response.status_code == 400
    assert "Confirm their parent's or guardian's consent" in text_of(response)
    assert "mentions crisis, self-harm or abuse" in text_of(response)
    client.post(reverse("stories:confirm_guardian", args=[story.pk]))
    response = client.post(reverse("stories:publish", args=[story.pk]), {"safety_reviewed": "on"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED


def test_a_moderator_turns_a_story_down_with_a_reason(client_for, curator, make_story):
    story = make_story()
    client = client_for(curator)
    assert "Give a reason" in text_of(client.post(reverse("stories:reject", args=[story.pk]), {"reason": ""}))
    client.post(reverse("stories:reject", args=[story.pk]), {"reason": "Not about peer support"})
    story.refresh_from_db()
    assert story.status == StoryStatus.REJECTED


def test_a_moderator_offers_a_published_story_to_the_library(client_for, curator, published):
    story = published()
    response = client_for(curator).post(reverse("stories:offer", args=[story.pk]), follow=True)
    assert "Offered to the library as lived experience evidence" in text_of(response)
    assert Resource.objects.get().study_design == "lived_experience"


def test_curators_add_rename_and_retire_topography_terms(client_for, curator):
    client = client_for(curator)
    response = client.post(reverse("stories:term_add", args=["outcome"]), {"name": "Less stigma"})
    assert response.status_code == 302
    term = TopographyTerm.objects.get(dimension="outcome", slug="less-stigma")
    client.post(reverse("stories:term_edit", args=[term.pk]), {"name": "Less stigma at work", "description": ""})
    term.refresh_from_db()
    assert term.name == "Less stigma at work" and not term.is_active
    assert "Less stigma at work" in text_of(client.get(reverse("stories:topography")))
    assert "already in this list" in text_of(client.post(reverse("stories:term_add", args=["outcome"]),
                                                        {"name": "Feeling less alone"}))
    assert client.get(reverse("stories:term_add", args=["mood"])).status_code == 404
    assert client.get(reverse("stories:term_edit", args=[99999])).status_code == 404


def test_a_retired_term_is_not_offered_to_storytellers(client, curator):
    from peerhub.stories.services import update_topography_term

    term = topo("purpose", "campaign")
    update_topography_term(term, name=term.name, description="", is_active=False, actor=curator)
    page = client.get(reverse("stories:submit")).content.decode()
    assert f'name="purpose" value="{term.pk}"' not in page
    assert f'name="purpose" value="{topo("purpose", "raise-awareness").pk}"' in page
