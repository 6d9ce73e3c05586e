"""Provider self-service: a signed-in provider proposes a new listing or a change; a curator
sees the field-level difference and approves or rejects it with a reason; nothing is published
before approval; every step is in the audit history. Each page is tried by every persona."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerhub.audit.models import AuditEvent
from peerhub.directory import submissions
from peerhub.directory.models import ListingSubmission, Service, SubmissionStatus

PERSONAS = ["visitor", "contributor", "curator", "admin"]


def listing_form(**changes) -> dict:
    """A complete, valid new listing as the form posts it."""
    data = {
        "organisation_name": "Harrogate Peer Friends", "organisation_description": "A small local charity.",
        "charity_number": "1234567", "name": "Harrogate Anxiety Walk and Talk",
        "description": "A gentle walk and a chat with people who know what anxiety is like.",
        "conditions": ["condition:anxiety"], "communities": [], "minimum_age": "18", "maximum_age": "",
        "leadership": "leadership:peer-led", "size": "size:group", "delivery": ["delivery:in-person"],
        "referral": "referral:self-referral", "join_speed": "join-speed:join-now", "cost": "Free",
        "days": ["SA"], "opens_at": "10:00", "closes_at": "11:30", "schedule_description": "Every Saturday",
        "venue_name": "Leeds Central Library", "address_1": "Calverley Street", "city": "Leeds",
        "county": "West Yorkshire", "postcode": "ls1 3ab", "accessibility": "Step-free entrance.",
        "languages": "English, Polish", "email": "walks@example.org", "phone": "0113 496 0000",
        "url": "https://example.org/walks", "note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def propose(client, **changes):
    return client.post(reverse("directory:propose_new"), listing_form(**changes))


@pytest.fixture
def sent(client_for, contributor, postcodes):
    """A new listing proposed by the contributor."""
    assert propose(client_for(contributor)).status_code == 302
    return ListingSubmission.objects.get()


# Proposing -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_the_provider_pages_need_an_account(client_for, personas, persona):
    for name in ("directory:my_listings", "directory:propose_new"):
        response = client_for(personas[persona]).get(reverse(name))
        if persona == "visitor":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 200


def test_a_new_listing_waits_for_a_curator_and_is_not_published(client_for, contributor, postcodes):
    before = Service.objects.count()
    response = propose(client_for(contributor))
    submission = ListingSubmission.objects.get()
    assert response["Location"] == reverse("directory:submission", args=[submission.pk])
    assert submission.status == SubmissionStatus.SUBMITTED and submission.submitted_by == contributor
    assert submission.proposed["postcode"] == "LS1 3AB" and submission.proposed["latitude"] is not None
    assert "condition:anxiety" in submission.proposed["terms"]
    assert Service.objects.count() == before
    assert AuditEvent.objects.filter(subject_type="directory.submission", action="submitted").count() == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"postcode": "ZZ9 9ZZ"}, "postcode", "We could not find the postcode area ZZ9"),
    ({"postcode": "12 ABC"}, "postcode", "is not a valid postcode"),
    ({"address_1": "", "city": ""}, "address_1", "Enter the street address of the venue."),
    ({"delivery": []}, "delivery", "This field is required."),
    ({"minimum_age": "40", "maximum_age": "30"}, "maximum_age", "The oldest age must be"),
    ({"opens_at": "11:00", "closes_at": "10:00"}, "closes_at", "The end time must be after"),
    ({"charity_number": "ABC"}, "charity_number", "Enter a charity number like"),
    ({"email": "nope"}, "email", "Enter a valid email address."),
])
def test_each_bad_answer_gets_a_specific_error_and_nothing_is_saved(client_for, contributor, postcodes, changes,
                                                                    field, message):
    response = propose(client_for(contributor), **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert ListingSubmission.objects.count() == 0


def test_an_online_only_listing_needs_no_venue(client_for, contributor, postcodes):
    response = propose(client_for(contributor), online_only="on", address_1="", city="", county="", postcode="",
                       delivery=["delivery:online"])
    assert response.status_code == 302
    proposed = ListingSubmission.objects.get().proposed
    assert proposed["online_only"] is True and proposed["latitude"] is None and proposed["venue_name"] == ""


@pytest.mark.parametrize("persona, status", [("visitor", 404), ("other", 404), ("owner", 200), ("curator", 200),
                                             ("admin", 200)])
def test_a_submission_is_seen_only_by_its_provider_and_curators(client_for, personas, other_contributor, sent,
                                                                persona, status):
    user = {"other": other_contributor, "owner": sent.submitted_by}.get(persona, personas.get(persona))
    response = client_for(user).get(reverse("directory:submission", args=[sent.pk]))
    assert response.status_code == status


def test_an_update_with_no_change_is_refused(client_for, contributor, demo):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    page = client_for(contributor).get(reverse("directory:propose_update", args=[service.id]))
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    response = client_for(contributor).post(reverse("directory:propose_update", args=[service.id]), data)
    assert response.status_code == 200
    assert "You have not changed anything" in response.content.decode()
    assert ListingSubmission.objects.count() == 0


# Curating --------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona, status", [("visitor", 302), ("contributor", 403), ("curator", 200),
                                             ("admin", 200)])
def test_only_curators_see_the_queue_and_the_review_page(client_for, personas, sent, persona, status):
    client = client_for(personas[persona])
    assert client.get(reverse("directory:curate")).status_code == status
    assert client.get(reverse("directory:curate_review", args=[sent.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("contributor", 403), ("curator", 302)])
def test_a_contributor_cannot_approve_or_reject(client_for, personas, sent, persona, status):
    client = client_for(personas[persona])
    assert client.post(reverse("directory:curate_reject", args=[sent.pk]), {"reason": "No"}).status_code == status
    assert client.post(reverse("directory:curate_approve", args=[sent.pk])).status_code == (
        403 if persona == "contributor" else 302)


def test_the_queue_runs_a_fixed_number_of_queries(client_for, curator, contributor, postcodes):
    client = client_for(contributor)
    for number in range(3):
        propose(client, name=f"Group number {number}")
    client = client_for(curator)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("directory:curate"))
    propose(client_for(contributor), name="One more group")
    client = client_for(curator)
    with CaptureQueriesContext(connection) as four:
        assert "One more group" in client.get(reverse("directory:curate")).content.decode()
    assert len(four) == len(three) <= 8


def test_the_curator_publishes_a_new_listing_and_it_can_be_found(client_for, curator, sent):
    response = client_for(curator).post(reverse("directory:curate_approve", args=[sent.pk]))
    assert response.status_code == 302
    sent.refresh_from_db()
    service = sent.service
    assert sent.status == SubmissionStatus.APPROVED and service.name == "Harrogate Anxiety Walk and Talk"
    assert service.organization.organization_identifiers.get().identifier == "1234567"
    assert service.assured_date is not None
    html = client_for(None).get(reverse("directory:find"), {"where": "LS1 3AB"}).content.decode()
    assert "Harrogate Anxiety Walk and Talk" in html
    assert AuditEvent.objects.filter(subject_type="directory.service", subject_id=str(service.id),
                                     action="approved", actor=curator).exists()


def test_a_decided_submission_cannot_be_decided_again(client_for, curator, sent):
    client = client_for(curator)
    client.post(reverse("directory:curate_approve", args=[sent.pk]))
    response = client.post(reverse("directory:curate_reject", args=[sent.pk]), {"reason": "Too late"}, follow=True)
    assert "already been decided" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == SubmissionStatus.APPROVED and sent.rejection_reason == ""
    assert Service.objects.filter(name="Harrogate Anxiety Walk and Talk").count() == 1


def test_rejecting_needs_a_reason_which_the_provider_then_sees(client_for, curator, contributor, sent):
    client = client_for(curator)
    response = client.post(reverse("directory:curate_reject", args=[sent.pk]), {"reason": "  "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    client.post(reverse("directory:curate_reject", args=[sent.pk]), {"reason": "Please add the venue's room."})
    sent.refresh_from_db()
    assert sent.status == SubmissionStatus.REJECTED
    assert not Service.objects.filter(name="Harrogate Anxiety Walk and Talk").exists()
    html = client_for(contributor).get(reverse("directory:submission", args=[sent.pk])).content.decode()
    assert "Please add the venue&#x27;s room." in html
    assert AuditEvent.objects.filter(subject_type="directory.submission", action="rejected").exists()


def test_a_provider_update_is_shown_field_by_field_and_published_only_when_approved(client_for, contributor,
                                                                                    curator, demo):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    page = client_for(contributor).get(reverse("directory:propose_update", args=[service.id]))
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update(cost="£2 a session", days=["TH"])
    assert client_for(contributor).post(reverse("directory:propose_update", args=[service.id]), data).status_code \
        == 302
    submission = ListingSubmission.objects.get()
    assert Service.objects.get(pk=service.pk).cost_options.get().option == "Free"  # not yet published
    html = client_for(curator).get(reverse("directory:curate_review", args=[submission.pk])).content.decode()
    assert "£2 a session" in html and "Thursday" in html and "Wednesday" in html
    assert submissions.review_differences(submission) == [("Days", "Wednesday", "Thursday"),
                                                          ("Cost", "Free", "£2 a session")]
    client_for(curator).post(reverse("directory:curate_approve", args=[submission.pk]))
    service = Service.objects.get(pk=service.pk)
    assert service.cost_options.get().option == "£2 a session" and service.schedules.get().byday == "TH"
    assert Service.objects.filter(name="Leeds Hearing Voices Group").count() == 1
    event = AuditEvent.objects.filter(subject_id=str(service.id), action="approved").get()
    assert event.changes["cost"] == ["Free", "£2 a session"]
