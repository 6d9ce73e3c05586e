"""The stories' services: submission with consent and checks, moderation, publishing rules,
lived experience offered to the library, the vocabularies, and withdrawal erasing everything."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from peerhub.audit.models import AuditEvent
from peerhub.library.models import Resource, StudyDesign
from peerhub.search.models import SearchEntry
from peerhub.search.selectors import text_match
from peerhub.stories import services
from peerhub.stories.consent import CONSENT_STATEMENT
from peerhub.stories.models import MAX_POSITIONS, Story, StoryStatus, TopographyTerm

from .conftest import DEFAULT_TOPOGRAPHY, hub, story_data, terms_for, topo

pytestmark = pytest.mark.django_db(transaction=False)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_it_records_consent_text_and_time_and_checks_the_text(make_story):
    story = make_story(body="Ring me on 07700 900123. I thought about suicide.")
    assert story.consent_text.startswith(CONSENT_STATEMENT) and "Name: anonymous." in story.consent_text
    assert story.consented_at is not None and story.status == StoryStatus.SUBMITTED
    assert story.personal_data_flags == [{"kind": "phone", "text": "07700 900123"}]
    assert story.needs_safety_review


def test_it_emails_the_private_withdrawal_link_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story = services.submit_story(story_data(), terms=terms_for(DEFAULT_TOPOGRAPHY))
    assert mail.outbox[0].to == ["storyteller@example.net"]
    assert services.withdrawal_token(story) in mail.outbox[0].body
    assert story.body not in mail.outbox[0].body


@pytest.mark.parametrize(("changes", "field"), [
    ({"email": ""}, "email"),
    ({"open_data": True, "visibility": "signed_in"}, "open_data"),
    ({"is_named": True, "storyteller_name": " "}, "storyteller_name"),
    ({"under_16": True, "guardian_name": ""}, "guardian_name"),
    ({"medium": "video", "media_url": ""}, "media_url"),
    ({"medium": "audio", "media_url": "https://example.org/a", "transcript": ""}, "transcript"),
    ({"title": ""}, "title"),
])
def test_it_refuses_a_submission_with_a_specific_error_and_saves_nothing(db, changes, field):
    errors = errors_of(lambda: services.submit_story(story_data(**changes), terms=terms_for(DEFAULT_TOPOGRAPHY)))
    assert field in errors and errors[field][0]
    assert not Story.objects.exists() and not SearchEntry.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(("topography", "field"), [
    ({"purpose": ["campaign"], "audience": ["the-public"]}, "storyteller"),
    ({"storyteller": ["peer-supporter", "commissioner"], "purpose": ["campaign"], "audience": ["the-public"]},
     "storyteller"),
    ({"storyteller": ["peer-supporter"], "audience": ["the-public"]}, "purpose"),
    ({"storyteller": ["peer-supporter"], "purpose": ["campaign"]}, "audience"),
])
def test_it_needs_a_storyteller_purpose_and_audience(db, topography, field):
    assert field in errors_of(lambda: services.submit_story(story_data(), terms=terms_for(topography)))


def test_it_keeps_no_name_for_an_anonymous_story(make_story):
    assert make_story(is_named=False, storyteller_name="Sam Smith").storyteller_name == ""


def test_it_indexes_only_published_open_stories_as_public(make_story, curator):
    story = make_story(title="Zebrafinch story")
    assert not SearchEntry.objects.get(kind="stories.story", object_id=str(story.pk)).is_public
    services.publish_story(story, actor=curator)
    assert SearchEntry.objects.get(kind="stories.story", object_id=str(story.pk)).is_public
    hidden = make_story(visibility="signed_in", open_data=False)
    services.publish_story(hidden, actor=curator)
    assert not SearchEntry.objects.get(kind="stories.story", object_id=str(hidden.pk)).is_public


def test_it_blocks_publication_until_each_check_is_done(make_story, curator):
    story = make_story(body="My son Jack and I. I self-harm.", under_16=True, guardian_name="A parent",
                       open_data=False)
    errors = errors_of(lambda: services.publish_story(story, actor=curator))
    assert set(errors) == {"guardian", "safety_reviewed", "personal_data_checked"}
    assert "a name" in errors["personal_data_checked"][0]
    services.confirm_guardian_consent(story, actor=curator)
    services.update_story(story, {"body": "My son and I. I self-harm."}, actor=curator)
    assert story.personal_data_flags == []
    services.publish_story(story, actor=curator, safety_reviewed=True)
    assert story.status == StoryStatus.PUBLISHED and story.safety_reviewed_by == curator


def test_it_refuses_to_confirm_a_guardian_for_an_adult(make_story, curator):
    with pytest.raises(ValidationError):
        services.confirm_guardian_consent(make_story(), actor=curator)


def test_it_needs_a_reason_to_reject_or_unpublish(make_story, published, curator):
    assert "reason" in errors_of(lambda: services.reject_story(make_story(), actor=curator, reason=" "))
    story = published()
    services.unpublish_story(story, actor=curator, reason="Asked by the organisation")
    assert story.status == StoryStatus.REJECTED
    assert not SearchEntry.objects.get(object_id=str(story.pk), kind="stories.story").is_public


def test_it_offers_an_open_story_to_the_library_as_lived_experience(published, curator):
    story = published(hub_terms=[hub("condition", "diabetes")])
    resource = services.offer_to_library(story, actor=curator)
    assert resource.study_design == StudyDesign.LIVED_EXPERIENCE and resource.quality == ""
    assert "not a study or a trial" in resource.appraisal_rationale
    assert list(resource.terms.all()) == [hub("condition", "diabetes")]
    with pytest.raises(ValidationError):
        services.offer_to_library(story, actor=curator)


def test_it_does_not_offer_a_signed_in_only_story_to_the_public_library(published, curator):
    with pytest.raises(ValidationError):
        services.offer_to_library(published(visibility="signed_in", open_data=False), actor=curator)
    assert not Resource.objects.exists()


def test_it_adds_terms_at_the_next_position_and_never_reuses_one(curator):
    term = services.add_topography_term("purpose", name="Say thank you", actor=curator)
    assert term.position == 8
    services.update_topography_term(term, name="Say thanks", description="", is_active=False, actor=curator)
    assert services.add_topography_term("purpose", name="Celebrate", actor=curator).position == 9


def test_it_refuses_a_duplicate_or_a_term_beyond_the_fingerprints_room(curator):
    assert "name" in errors_of(lambda: services.add_topography_term("audience", name="The public", actor=curator))
    for n in range(TopographyTerm.objects.filter(dimension="audience").count(), MAX_POSITIONS):
        services.add_topography_term("audience", name=f"Audience {n}", actor=curator)
    assert "name" in errors_of(lambda: services.add_topography_term("audience", name="One more", actor=curator))


def test_renaming_a_term_updates_the_search_text_of_its_stories(published, curator):
    story = published()
    services.update_topography_term(topo("audience", "the-public"), name="Everyone nearby", description="",
                                    is_active=True, actor=curator)
    assert matching_ids("nearby") == [str(story.pk)]


def matching_ids(words: str) -> list[str]:
    match = text_match("stories.story", words, public_only=False)
    with connection.cursor() as cursor:
        cursor.execute(match.sql, match.params)
        return [str(row[0]) for row in cursor.fetchall()]


def test_it_registers_a_rebuild_of_every_story_for_the_search_index(published, make_story):
    from peerhub.search.registry import registered_kinds

    kept, waiting = published(title="Kept story"), make_story(title="Waiting story")
    withdrawn = services.withdraw_story(published(title="Gone story"))
    SearchEntry.objects.filter(kind="stories.story").delete()
    assert registered_kinds()["stories.story"]() == 2
    indexed = set(SearchEntry.objects.filter(kind="stories.story").values_list("object_id", flat=True))
    assert indexed == {str(kept.pk), str(waiting.pk)} and str(withdrawn.pk) not in indexed


# Withdrawal ---------------------------------------------------------------------------------

UNIQUE = ["Quillfeather", "marmaladeharbour", "Zephyrlamp"]
EMAIL = "withdrawing.person@example.net"


def every_text_value():
    """Every value of every column of every table, as text (JSON as its dump)."""
    import json

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value)
                    if isinstance(value, str):
                        yield table, value


def leftovers() -> list:
    """Values holding the words as written, or as the search index keeps them (stemmed terms, as in
    SearchEntry's text and PostgreSQL's search_match vectors)."""
    from peerhub.search.text import terms

    needles = [w.lower() for w in UNIQUE] + [EMAIL] + [t for w in UNIQUE for t in terms(w)]
    return [(table, value[:80]) for table, value in every_text_value() if any(n in value.lower() for n in needles)]


def test_withdrawal_leaves_nothing_personal_in_any_table_or_the_search_index(published, curator):
    story = published(title=f"{UNIQUE[0]} morning", body=f"At the {UNIQUE[1]} group I met a {UNIQUE[2]}.",
                      transcript="", email=EMAIL, is_named=True, storyteller_name=f"{UNIQUE[0]} Person",
                      storyteller_detail=f"Lives near {UNIQUE[2]}", hub_terms=[hub("condition", "diabetes")])
    services.update_story(story, {"body": f"At the {UNIQUE[1]} group I met a friend."}, actor=curator)
    services.offer_to_library(story, actor=curator)
    assert leftovers(), "the scan must see the phrases before withdrawal, or it proves nothing"
    assert text_match("stories.story", UNIQUE[1], public_only=False) is not None

    services.withdraw_story(story)

    assert leftovers() == [], leftovers()
    for word in UNIQUE:
        assert matching_ids(word) == []
    assert not SearchEntry.objects.filter(kind="stories.story", object_id=str(story.pk)).exists()


def test_withdrawal_leaves_a_tombstone(published):
    story = services.withdraw_story(published())
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN and story.withdrawn_at and story.created_at
    assert story.title == story.body == story.email == story.consent_text == ""
    assert not story.terms.exists() and not story.hub_terms.exists()
    event = AuditEvent.objects.filter(subject_type="stories.story", subject_id=str(story.pk)).first()
    assert event.action == "withdrawn" and event.note == "Withdrawn by storyteller"


def test_a_withdrawal_token_opens_only_its_own_story(make_story):
    story = make_story()
    assert services.story_for_withdrawal_token(services.withdrawal_token(story)) == story
    assert services.story_for_withdrawal_token(services.withdrawal_token(story) + "x") is None
    assert services.story_for_withdrawal_token("not-a-token") is None
