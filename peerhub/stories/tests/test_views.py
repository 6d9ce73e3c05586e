"""The stories' public pages, for every persona: list with facets and search, a story's page,
compare, the collection map and CSV, telling a story (with the personal details warning) and
withdrawing it."""

import csv
import html
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from peerhub.stories import services
from peerhub.stories.models import Story, StoryStatus

from .conftest import hub, topo

pytestmark = pytest.mark.django_db
PERSONAS = ["visitor", "contributor", "curator", "admin"]


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


# The list ------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", [*PERSONAS, "professional"])
def test_every_persona_sees_open_stories_and_only_professionals_and_curators_see_the_rest(
        persona, personas, professional, client_for, published, make_story):
    published(title="An open story")
    published(title="A story for professionals", visibility="signed_in", open_data=False)
    make_story(title="A story waiting for moderation")
    reader = professional if persona == "professional" else personas[persona]
    text = text_of(client_for(reader).get(reverse("stories:list")))
    assert "An open story" in text
    assert ("A story for professionals" in text) is (persona in {"professional", "curator", "admin"})
    assert "A story waiting for moderation" not in text


def test_the_list_filters_by_facet_links_and_words(client, published):
    published(title="Campaign story", topography={"storyteller": ["organisation"], "purpose": ["campaign"],
                                                  "audience": ["policymakers"]})
    published(title="Hope story", body="Marigolds on the windowsill.",
              hub_terms=[hub("condition", "depression")])
    text = text_of(client.get(reverse("stories:list"), {"purpose": "campaign", "audience": "policymakers"}))
    assert "Campaign story" in text and "Hope story" not in text
    assert "Hope story" in text_of(client.get(reverse("stories:list"), {"condition": "mental-health"}))
    text = text_of(client.get(reverse("stories:list"), {"q": "marigolds"}))
    assert "Hope story" in text and "Campaign story" not in text


def test_a_facet_link_adds_the_filter_and_a_chosen_one_removes_it(client, published):
    published(topography={"storyteller": ["peer-supporter"], "purpose": ["campaign"], "audience": ["the-public"]})
    page = client.get(reverse("stories:list")).content.decode()
    assert 'href="/stories/?purpose=campaign"' in page
    page = client.get(reverse("stories:list"), {"purpose": "campaign"}).content.decode()
    assert 'href="/stories/"><span class="nhsuk-u-visually-hidden">Remove filter: </span>Campaign' in page


@pytest.mark.parametrize(("params", "message"), [
    ({"purpose": "no-such-purpose"}, "There is no purpose called “no-such-purpose”"),
    ({"medium": "hologram"}, "“hologram” is not a kind of story we know"),
    ({"page": "²"}, "Page must be a whole number"),
    ({"page": "7"}, "There is no page 7"),
    ({"q": "the and of"}, "Your search has no words we can look for"),
])
def test_the_list_explains_each_bad_parameter(client, published, params, message):
    published()
    response = client.get(reverse("stories:list"), params)
    assert response.status_code == 200 and message in text_of(response)


def test_the_list_takes_the_same_number_of_queries_for_many_stories(client, published):
    published(hub_terms=[hub("condition", "diabetes")])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("stories:list"))
    for n in range(6):
        published(title=f"Story {n}", hub_terms=[hub("community", "carers-and-families")])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("stories:list"))
    assert response.content.decode().count('role="img"') == 7
    assert len(many) == len(few) == 8, [q["sql"][:90] for q in many.captured_queries]


# A story's page ----------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_a_story_page_shows_its_fingerprint_and_description(persona, personas, client_for, published):
    story = published(hub_terms=[hub("condition", "diabetes")])
    response = client_for(personas[persona]).get(story.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<svg") == 1 and 'role="img"' in page
    assert "Storyteller: Carer or family member. Purpose: Raise awareness." in text_of(response)
    assert "storyteller@example.net" not in page


@pytest.mark.parametrize(("persona", "status"), [("visitor", 404), ("contributor", 404), ("professional", 200),
                                                 ("curator", 200), ("admin", 200)])
def test_a_professionals_only_story_is_missing_for_anyone_not_confirmed_as_a_professional(
        persona, status, personas, professional, client_for, published):
    story = published(visibility="signed_in", open_data=False)
    reader = professional if persona == "professional" else personas[persona]
    assert client_for(reader).get(story.get_absolute_url()).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("visitor", 404), ("contributor", 404), ("curator", 200)])
def test_a_story_waiting_for_moderation_is_seen_only_by_curators(persona, status, personas, client_for, make_story):
    assert client_for(personas[persona]).get(make_story().get_absolute_url()).status_code == status


def test_an_anonymous_story_never_shows_the_name_and_a_named_one_does(client, published):
    anonymous = published(is_named=False, storyteller_name="Hidden Person")
    named = published(is_named=True, storyteller_name="Ruth Example")
    assert "Anonymous storyteller" in text_of(client.get(anonymous.get_absolute_url()))
    assert "Ruth Example" in text_of(client.get(named.get_absolute_url()))


def test_a_story_about_crisis_shows_signposting(client, published):
    text = text_of(client.get(published(body="There were times I thought about suicide.").get_absolute_url()))
    assert "NHS 111" in text and "116 123" in text and "999" in text
    assert "Samaritans" not in text_of(client.get(published(title="Calm").get_absolute_url()))


def test_a_linked_recording_is_a_link_never_an_embedded_player(client, published):
    story = published(medium="video", media_url="https://video.example.org/watch/1", transcript="Transcript words.")
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'href="https://video.example.org/watch/1"' in page and "<iframe" not in page and "<video" not in page
    assert "Transcript words." in page


def test_a_withdrawn_story_is_a_tombstone_answered_as_gone(client, published):
    story = services.withdraw_story(published(title="Soon gone"))
    response = client.get(story.get_absolute_url())
    assert response.status_code == 410 and "withdrawn by the storyteller" in text_of(response)
    assert "Soon gone" not in text_of(response)


# Compare -----------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_compare_shows_two_to_four_stories_side_by_side(persona, personas, client_for, published):
    ids = [str(published(title=f"Story {n}").pk) for n in range(3)]
    response = client_for(personas[persona]).get(reverse("stories:compare"), {"story": ids})
    assert response.status_code == 200 and response.content.decode().count("<svg") == 3


@pytest.mark.parametrize(("count", "extra", "message"), [
    (1, [], "Choose from 2 to 4 stories to compare (you chose 1)"),
    (5, [], "Choose from 2 to 4 stories to compare (you chose 5)"),
    (1, ["x1"], "a story number was not recognised"),
    (1, ["99999"], "One of the stories you chose is not available"),
])
def test_compare_explains_a_wrong_choice(client, published, count, extra, message):
    ids = [str(published(title=f"Story {n}").pk) for n in range(count)] + extra
    response = client.get(reverse("stories:compare"), {"story": ids})
    assert response.status_code == 400 and message in text_of(response)


def test_a_visitor_cannot_compare_a_story_for_signed_in_readers(client, published):
    ids = [published().pk, published(visibility="signed_in", open_data=False).pk]
    assert client.get(reverse("stories:compare"), {"story": ids}).status_code == 400


# The collection map and its CSV --------------------------------------------------------------

def cell(response, row: str, purpose: str) -> str:
    page = response.content.decode()
    start = page.index(f'data-row="{row}" data-purpose="{purpose}"')
    return " ".join(strip_tags(page[start:page.index("</td>", start)].split(">", 1)[1]).split())


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_map_counts_each_cell_and_marks_empty_ones(persona, personas, client_for, published):
    published(topography={"storyteller": ["peer-supporter"], "purpose": ["campaign"], "audience": ["the-public"]})
    response = client_for(personas[persona]).get(reverse("stories:map"))
    assert response.status_code == 200
    assert cell(response, "peer-supporter", "campaign").startswith("1 story")
    assert cell(response, "the-public", "campaign").startswith("1 story")
    assert cell(response, "commissioner", "campaign") == "none yet"


def test_the_map_filters_by_condition_and_community(client, published):
    topography = {"storyteller": ["peer-supporter"], "purpose": ["campaign"], "audience": ["the-public"]}
    published(topography=topography, hub_terms=[hub("condition", "diabetes")])
    published(topography=topography, hub_terms=[hub("condition", "asthma"), hub("community", "men")])
    assert cell(client.get(reverse("stories:map")), "peer-supporter", "campaign").startswith("2 stories")
    response = client.get(reverse("stories:map"), {"condition": "long-term-physical-conditions", "community": "men"})
    assert cell(response, "peer-supporter", "campaign").startswith("1 story")
    assert "There is no condition called “nope”" in text_of(client.get(reverse("stories:map"), {"condition": "nope"}))


def test_a_cells_csv_holds_only_published_stories_consented_for_open_data(client, published, make_story):
    topography = {"storyteller": ["peer-supporter"], "purpose": ["campaign"], "audience": ["the-public"]}
    published(title="=Shared openly", topography=topography, is_named=True, storyteller_name="Ruth Example")
    published(title="Not for open data", topography=topography, open_data=False)
    make_story(title="Still waiting", topography=topography)
    response = client.get(reverse("stories:export_cell"), {"row": "storyteller", "row_term": "peer-supporter",
                                                           "purpose": "campaign"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["title"] for r in rows] == ["'=Shared openly"]
    assert rows[0]["storyteller_name"] == "Ruth Example" and "email" not in rows[0]
    assert "storyteller@example.net" not in response.content.decode()


@pytest.mark.parametrize("params", [
    {"row": "outcome", "row_term": "peer-supporter", "purpose": "campaign"},
    {"row": "storyteller", "row_term": "nobody", "purpose": "campaign"},
    {"row": "storyteller", "row_term": "peer-supporter", "purpose": "campaign", "condition": "nope"},
    {},
])
def test_a_csv_for_no_such_cell_is_missing(client, params):
    assert client.get(reverse("stories:export_cell"), params).status_code == 404


# Telling a story ---------------------------------------------------------------------------

def form_data(**overrides) -> dict:
    data = {"title": "The walking group", "body": "It helped me a lot.", "medium": "written",
            "storyteller": topo("storyteller", "person-with-lived-experience").pk,
            "purpose": [topo("purpose", "offer-hope-and-connection").pk],
            "audience": [topo("audience", "people-with-the-same-experience").pk],
            "visibility": "open", "named": "no", "open_data": "yes", "under_16": "no",
            "email": "Teller@Example.net", "consent": "on"}
    return {**data, **overrides}


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_can_tell_a_story_without_an_account(persona, personas, client_for):
    client = client_for(personas[persona])
    assert client.get(reverse("stories:submit")).status_code == 200
    response = client.post(reverse("stories:submit"), form_data(condition=[hub("condition", "diabetes").pk]))
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.email == "teller@example.net" and story.status == StoryStatus.SUBMITTED
    assert list(story.hub_terms.all()) == [hub("condition", "diabetes")]


def test_a_story_with_a_phone_number_is_sent_back_with_a_warning_first(client, django_capture_on_commit_callbacks):
    response = client.post(reverse("stories:submit"), form_data(body="Call me on 07700 900123."))
    assert response.status_code == 200 and not Story.objects.exists()
    assert "It seems to contain a phone number" in text_of(response) and "07700 900123" in text_of(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stories:submit"), form_data(body="Call me on 07700 900123.", send_as_is="on"))
    assert response.status_code == 302
    assert "seems to contain a phone number" in text_of(client.get(response["Location"]))
    assert "/stories/withdraw/" in mail.outbox[0].body


@pytest.mark.parametrize(("changes", "message"), [
    ({"email": ""}, "Enter your email address"),
    ({"consent": ""}, "Tick to agree, so we can keep and publish your story"),
    ({"storyteller": ""}, "Choose who is telling the story"),
    ({"purpose": []}, "Choose at least one purpose of the story."),
    ({"visibility": "signed_in"}, "Open data is public, so it can only include stories published openly."),
    ({"under_16": "yes"}, "Enter the name of the parent or guardian"),
    ({"medium": "video"}, "Give the link to the video or recording."),
    ({"storyteller": "99999"}, "Choose from the storyteller list. That one may have been removed"),
])
def test_a_story_with_a_problem_is_explained_and_not_saved(client, changes, message):
    response = client.post(reverse("stories:submit"), form_data(**changes))
    assert response.status_code == 200 and message in text_of(response)
    assert "There is a problem" in text_of(response) and not Story.objects.exists()


def test_the_thank_you_page_needs_a_submission_first(client):
    assert client.get(reverse("stories:submitted"))["Location"] == reverse("stories:submit")


# Withdrawing ---------------------------------------------------------------------------------

def test_the_withdrawal_link_asks_first_then_withdraws_at_once(client, published):
    story = published(title="My private tale")
    url = reverse("stories:withdraw", args=[services.withdrawal_token(story)])
    assert "My private tale" in text_of(client.get(url))
    response = client.post(url)
    assert response.status_code == 200 and "Your story is withdrawn" in text_of(response)
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    assert "already withdrawn" in text_of(client.get(url))
    assert "My private tale" not in text_of(client.get(reverse("stories:list")))


def test_a_forged_withdrawal_link_is_missing(client, published):
    story = published()
    assert client.post(reverse("stories:withdraw", args=[f"{story.pk}:forged"])).status_code == 404
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
