"""The library's writes as the curation workflow uses them: decisions, emails and restoring."""

import pytest
from django.core import mail
from django.db import transaction

from peerhub.audit.models import AuditEvent
from peerhub.library import services
from peerhub.library.facets import SearchParams
from peerhub.library.models import Status
from peerhub.library.selectors import search_resources
from peerhub.library.taxonomy import merge_terms
from peerhub.library.tests.curation_helpers import a_published, a_submission, term

pytestmark = pytest.mark.django_db


def found(words):
    return [r.pk for r in search_resources(SearchParams(q=words)).items]


def test_it_keeps_the_submitters_note_on_the_history():
    resource = services.submit_resource({"title": "A guide", "resource_type": "toolkit"},
                                        submitter_email="v@example.org", note="  From a colleague ")
    event = AuditEvent.objects.get(subject_id=str(resource.pk))
    assert (event.action, event.note, event.actor_label) == ("submitted", "From a colleague", "visitor v@example.org")


def test_it_makes_a_published_resource_findable_and_an_unpublished_one_not(curator):
    resource = a_submission("Befriending for older people")
    assert found("befriending") == []
    services.publish_resource(resource, actor=curator)
    assert found("befriending") == [resource.pk]
    services.unpublish_resource(resource, actor=curator)
    assert found("befriending") == []


def test_it_emails_a_visitor_when_their_suggestion_is_published(curator, django_capture_on_commit_callbacks):
    resource = a_submission("Befriending for older people", email="visitor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_resource(resource, actor=curator)
    (message,) = mail.outbox
    assert message.to == ["visitor@example.org"]
    assert "now in the Peer Support Hub library" in message.subject
    assert f"/library/{resource.pk}/" in message.body


def test_it_emails_the_reason_when_a_suggestion_is_rejected(curator, contributor,
                                                            django_capture_on_commit_callbacks):
    resource = a_submission(submitter=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_resource(resource, actor=curator, reason="It is about peer review, not peer support.")
    (message,) = mail.outbox
    assert message.to == [contributor.email]
    assert "It is about peer review, not peer support." in message.body


def test_it_sends_no_email_until_the_decision_is_committed(curator):
    resource = a_submission()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.publish_resource(resource, actor=curator)
        raise RuntimeError("rolled back")
    assert mail.outbox == []


def test_it_does_not_email_again_when_a_resource_is_republished(curator, django_capture_on_commit_callbacks):
    resource = a_submission()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_resource(resource, actor=curator)
        services.unpublish_resource(resource, actor=curator)
        services.publish_resource(resource, actor=curator)
    assert len(mail.outbox) == 1


def test_a_mail_failure_does_not_undo_the_decision(curator, django_capture_on_commit_callbacks, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    resource = a_submission()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_resource(resource, actor=curator)
    resource.refresh_from_db()
    assert resource.status == Status.PUBLISHED


def test_it_refuses_to_reject_without_a_reason_or_a_published_resource(curator):
    with pytest.raises(ValueError, match="Give a reason"):
        services.reject_resource(a_submission(), actor=curator, reason=" ")
    with pytest.raises(ValueError, match="Unpublish it instead"):
        services.reject_resource(a_published(), actor=curator, reason="No longer wanted")


def test_it_refuses_to_unpublish_what_is_not_published(curator):
    with pytest.raises(ValueError, match="Only a published resource"):
        services.unpublish_resource(a_submission(), actor=curator)


def test_it_restores_fields_and_categories_but_not_the_status(curator):
    resource = a_published("The original title", terms=[term("anxiety")], summary="First summary")
    first = AuditEvent.objects.get(subject_id=str(resource.pk))
    services.update_resource(resource, {"title": "A changed title", "summary": "Second"}, actor=curator,
                             terms=[term("depression").pk])
    services.unpublish_resource(resource, actor=curator)
    services.restore_version(resource, first, actor=curator)
    resource.refresh_from_db()
    assert (resource.title, resource.summary, resource.status) == ("The original title", "First summary",
                                                                   Status.UNPUBLISHED)
    assert list(resource.terms.all()) == [term("anxiety")]


def test_restoring_maps_a_merged_term_to_the_term_it_was_merged_into(curator):
    resource = a_published(terms=[term("anxiety")])
    first = AuditEvent.objects.get(subject_id=str(resource.pk))
    services.update_resource(resource, {}, actor=curator, terms=[])
    merge_terms(term("anxiety"), term("depression"), curator)
    services.restore_version(resource, first, actor=curator)
    assert list(resource.terms.all()) == [term("depression")]


def test_live_term_ids_follow_a_merge_chain(curator):
    anxiety, depression, psychosis = term("anxiety"), term("depression"), term("psychosis")
    merge_terms(anxiety, depression, curator)
    merge_terms(term("depression"), psychosis, curator)
    assert services.live_term_ids([anxiety.pk, depression.pk]) == [psychosis.pk]
