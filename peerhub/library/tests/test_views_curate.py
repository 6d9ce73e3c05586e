"""The suggestion form and the curator pages: who may use them, and what they do."""

import pytest
from django.core import mail
from django.urls import reverse

from peerhub.audit.models import AuditEvent
from peerhub.library import services
from peerhub.library.facets import SearchParams
from peerhub.library.models import Resource, Status
from peerhub.library.selectors import search_resources
from peerhub.library.tests.curation_helpers import a_published, a_submission, submit_form_data, term
from peerhub.library.views_curate import SUBMITTED_SESSION_KEY

pytestmark = pytest.mark.django_db
SUBMIT_URL = "/library/submit/"


@pytest.fixture
def pending(other_contributor):
    """Another person's draft: waiting for review."""
    return a_submission("Peer support for carers of people with dementia", submitter=other_contributor)


def edit_data(resource, **changes) -> dict:
    data = {"title": resource.title, "url": resource.url, "resource_type": resource.resource_type,
            "summary": resource.summary, "authors": "\n".join(resource.authors), "quality": resource.quality}
    data.update(changes)
    return data


# Who may use each page -----------------------------------------------------------------------

CURATOR_GETS = [
    ("curate:queue", lambda r, t: []),
    ("curate:edit", lambda r, t: [r.pk]),
    ("curate:history", lambda r, t: [r.pk]),
    ("curate:taxonomy", lambda r, t: []),
    ("curate:term_add", lambda r, t: ["condition"]),
    ("curate:term_edit", lambda r, t: [t.pk]),
    ("curate:term_merge", lambda r, t: [t.pk]),
]
CURATOR_POSTS = [
    ("curate:publish", {}),
    ("curate:reject", {"reason": "It is not about peer support."}),
    ("curate:unpublish", {}),
    ("curate:restore", {}),
]
EXPECTED_GET = {"visitor": 302, "contributor": 403, "curator": 200, "admin": 200}


def action_args(name, resource):
    if name == "curate:restore":
        return [resource.pk, AuditEvent.objects.filter(subject_id=str(resource.pk)).order_by("at").first().pk]
    return [resource.pk]


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
@pytest.mark.parametrize(("name", "args"), CURATOR_GETS)
def test_curator_pages_admit_only_curators_and_admins(client_for, personas, pending, persona, name, args):
    response = client_for(personas[persona]).get(reverse(name, args=args(pending, term("anxiety"))))
    assert response.status_code == EXPECTED_GET[persona]
    if persona == "visitor":
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
@pytest.mark.parametrize(("name", "data"), CURATOR_POSTS)
def test_curator_actions_admit_only_curators_and_admins(client_for, personas, pending, persona, name, data):
    if name == "curate:unpublish":
        services.publish_resource(pending, actor=None)
    before = pending.status
    response = client_for(personas[persona]).post(reverse(name, args=action_args(name, pending)), data)
    assert response.status_code == {"visitor": 302, "contributor": 403}.get(persona, 302)
    if persona in ("visitor", "contributor"):
        assert Resource.objects.get(pk=pending.pk).status == before
        assert persona == "contributor" or response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["curate:publish", "curate:reject", "curate:unpublish", "curate:restore"])
def test_curator_actions_refuse_get(client_for, curator, pending, name):
    assert client_for(curator).get(reverse(name, args=action_args(name, pending))).status_code == 405


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
def test_the_suggestion_form_is_open_to_everyone(client_for, personas, persona):
    response = client_for(personas[persona]).get(SUBMIT_URL)
    assert response.status_code == 200
    assert (b'name="email"' in response.content) == (persona == "visitor")


def test_a_contributor_cannot_curate_another_persons_draft(client_for, contributor, pending):
    assert client_for(contributor).get(reverse("curate:edit", args=[pending.pk])).status_code == 403
    assert client_for(contributor).post(reverse("curate:publish", args=[pending.pk])).status_code == 403
    assert client_for(contributor).get(reverse("library:detail", args=[pending.pk])).status_code == 404


@pytest.mark.parametrize("name", ["curate:edit", "curate:history"])
def test_a_missing_resource_is_404_for_a_curator(client_for, curator, name):
    assert client_for(curator).get(reverse(name, args=[99999])).status_code == 404


@pytest.mark.parametrize("name", ["curate:publish", "curate:reject", "curate:unpublish"])
def test_an_action_on_a_missing_resource_is_404(client_for, curator, name):
    assert client_for(curator).post(reverse(name, args=[99999]), {"reason": "x"}).status_code == 404


def test_restoring_an_event_of_another_resource_is_404(client_for, curator, pending):
    other = a_published()
    foreign_event = AuditEvent.objects.filter(subject_id=str(other.pk)).first()
    url = reverse("curate:restore", args=[pending.pk, foreign_event.pk])
    assert client_for(curator).post(url).status_code == 404


def test_an_unknown_vocabulary_is_404(client_for, curator):
    assert client_for(curator).get(reverse("curate:term_add", args=["planets"])).status_code == 404


# Suggesting a resource -----------------------------------------------------------------------

def test_a_visitor_must_give_an_email_address(client_for):
    response = client_for(None).post(SUBMIT_URL, submit_form_data())
    assert response.status_code == 200
    assert "Enter your email address, so we can tell you our decision" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_visitor_suggestion_waits_for_review_with_their_email_and_note(client_for):
    client = client_for(None)
    data = submit_form_data(email="Visitor@Example.org", terms_condition=[term("anxiety").pk])
    response = client.post(SUBMIT_URL, data)
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.status, resource.submitter_email, resource.submitted_by) == (Status.SUBMITTED,
                                                                                   "Visitor@example.org", None)
    assert resource.authors == ["Smith J", "Patel R"]
    assert list(resource.terms.all()) == [term("anxiety")]
    assert AuditEvent.objects.get(action="submitted").note == "Found it at a conference."
    confirmation = client.get(response["Location"])
    assert "Suggestion sent" in confirmation.content.decode()
    assert "Visitor@example.org" in confirmation.content.decode()


def test_the_confirmation_page_is_shown_only_once(client_for):
    client = client_for(None)
    location = client.post(SUBMIT_URL, submit_form_data(email="v@example.org"))["Location"]
    assert client.get(location).status_code == 200
    assert client.get(location)["Location"] == SUBMIT_URL


def test_a_contributor_suggestion_uses_their_account(client_for, contributor):
    response = client_for(contributor).post(SUBMIT_URL, submit_form_data())
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.submitted_by == contributor
    assert resource.submitter_email == contributor.email
    assert SUBMITTED_SESSION_KEY not in client_for(contributor).session


def test_invalid_input_saves_nothing_and_explains_each_problem(client_for, contributor):
    data = submit_form_data(title="", pub_year="1850", doi="not-a-doi", pmid="12ab", url="notaurl")
    response = client_for(contributor).post(SUBMIT_URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the title of the resource" in page
    assert "Enter a year between 1900 and next year" in page
    assert "Enter a DOI that looks like 10.1136/bmj.m1234" in page
    assert "A PubMed ID (PMID) is made of digits only" in page
    assert "Enter a web address in the right format" in page
    assert 'class="nhsuk-error-summary"' in page
    assert not Resource.objects.exists() and not AuditEvent.objects.exists()


def test_an_empty_post_shows_errors_rather_than_a_blank_form(client_for, contributor):
    response = client_for(contributor).post(SUBMIT_URL, {})
    assert "Enter the title of the resource" in response.content.decode()


def test_user_text_is_escaped_on_the_form(client_for):
    response = client_for(None).post(SUBMIT_URL, submit_form_data(title="<script>alert(1)</script>", email="bad"))
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.parametrize(("field", "existing", "posted"), [
    ("doi", "10.1000/peer.42", "https://doi.org/10.1000/PEER.42"),
    ("pmid", "31234567", "31234567"),
    ("url", "https://www.example.org/report/", "http://example.org/report"),
])
def test_a_duplicate_identifier_is_shown_before_saving(client_for, contributor, field, existing, posted):
    original = a_published(**{field: existing})
    data = submit_form_data(**{field: posted}, title="A different title altogether for this test")
    response = client_for(contributor).post(SUBMIT_URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This may already be in the library" in page
    assert original.get_absolute_url() in page and original.title in page
    assert "This is not a duplicate, submit it anyway" in page
    assert Resource.objects.count() == 1


def test_a_near_identical_title_is_shown_before_saving(client_for, contributor):
    a_published("Peer support for people living with type 2 diabetes: a systematic review")
    data = submit_form_data(title="Peer support for people living with type-2 diabetes - a systematic reveiw", url="")
    data["doi"] = "10.5555/fresh.1"
    page = client_for(contributor).post(SUBMIT_URL, data).content.decode()
    assert "a very similar title" in page
    assert Resource.objects.count() == 1


def test_a_pending_duplicate_is_mentioned_without_its_title(client_for, contributor, other_contributor):
    a_submission("A confidential draft title", submitter=other_contributor, doi="10.1000/secret.1")
    data = submit_form_data(doi="10.1000/secret.1", title="Something else")
    page = client_for(contributor).post(SUBMIT_URL, data).content.decode()
    assert "A resource with the same DOI is already waiting for review." in page
    assert "A confidential draft title" not in page


def test_confirming_it_is_not_a_duplicate_saves_it(client_for, contributor):
    a_published(doi="10.1000/peer.42")
    data = submit_form_data(doi="10.1000/peer.42", not_duplicate="on")
    response = client_for(contributor).post(SUBMIT_URL, data)
    assert response.status_code == 302
    assert Resource.objects.filter(status=Status.SUBMITTED, doi="10.1000/peer.42").count() == 1


# The queue ------------------------------------------------------------------------------------

def test_the_queue_lists_submissions_oldest_first_with_submitter_and_duplicate_flag(client_for, curator, contributor):
    first = a_submission("First suggestion about peer support", email="first@example.org", doi="10.1000/dup")
    a_published("Already published record", doi="10.1000/dup")
    second = a_submission("Second suggestion about peer support", submitter=contributor, url="https://example.org/2")
    page = client_for(curator).get(reverse("curate:queue")).content.decode()
    assert page.index(first.title) < page.index(second.title)
    assert "Visitor (first@example.org)" in page and str(contributor) in page
    assert page.count("Possible duplicate") == 1
    assert "Already published record" not in page.split('id="rejected"')[0]


def test_the_queue_shows_recently_rejected_and_unpublished(client_for, curator):
    rejected = services.reject_resource(a_submission("Off-topic suggestion"), actor=curator, reason="Not peer support")
    unpublished = services.unpublish_resource(a_published("Withdrawn guide"), actor=curator)
    page = client_for(curator).get(reverse("curate:queue")).content.decode()
    assert rejected.title in page.split('id="rejected"')[1].split('id="unpublished"')[0]
    assert "Not peer support" in page
    assert unpublished.title in page.split('id="unpublished"')[1]


def test_the_queue_query_count_does_not_grow_with_rows(client_for, curator, django_assert_num_queries):
    client = client_for(curator)
    a_submission("Only one suggestion")
    services.reject_resource(a_submission("One rejected"), actor=curator, reason="No")
    with django_assert_num_queries(6):  # session, user, count, rows, rejected, unpublished
        client.get(reverse("curate:queue"))
    for n in range(8):
        a_submission(f"Further suggestion number {n}", doi=f"10.1000/n{n}")
        services.reject_resource(a_submission(f"Further rejected {n}"), actor=curator, reason="No")
        services.unpublish_resource(a_published(f"Further withdrawn {n}"), actor=curator)
    with django_assert_num_queries(6):
        client.get(reverse("curate:queue"))


# Editing and decisions -----------------------------------------------------------------------

def test_a_curator_edits_every_kind_of_field(client_for, curator, pending):
    data = edit_data(pending, title="Peer support for carers: an evaluation", quality="moderate",
                     study_design="service_evaluation", appraisal_rationale="Small sample, clear methods.",
                     last_checked="2025-03-01", review_due="2026-03-01", pub_day="4", pub_month="3",
                     pub_year="2024", licence="CC BY 4.0", change_note="Tidied the title",
                     terms_condition=[term("dementia").pk],
                     terms_community=[term("carers-and-families", "community").pk])
    response = client_for(curator).post(reverse("curate:edit", args=[pending.pk]), data)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.title, pending.quality, pending.licence) == (data["title"], "moderate", "CC BY 4.0")
    assert str(pending.review_due) == "2026-03-01"
    assert {t.slug for t in pending.terms.all()} == {"dementia", "carers-and-families"}
    event = AuditEvent.objects.filter(action="edited").get()
    assert event.note == "Tidied the title" and event.actor == curator


def test_the_edit_form_shows_quality_meanings_and_indents_child_terms(client_for, curator, pending):
    page = client_for(curator).get(reverse("curate:edit", args=[pending.pk])).content.decode()
    assert "We are confident the findings are trustworthy" in page
    assert "nhsuk-u-margin-left-6" in page
    assert "(under Mental health)" in page


def test_invalid_edits_change_nothing(client_for, curator, pending):
    data = edit_data(pending, title="", last_checked="2025-03-01", review_due="2025-01-01", pub_day="31",
                     pub_month="2")
    page = client_for(curator).post(reverse("curate:edit", args=[pending.pk]), data).content.decode()
    assert "Enter the title of the resource" in page
    assert "The review due date must be after the date it was last checked" in page
    assert "February does not have 31 days" in page
    assert Resource.objects.get(pk=pending.pk).title == pending.title
    assert not AuditEvent.objects.filter(action="edited").exists()


def test_publishing_makes_it_findable_and_unpublishing_removes_it(client_for, curator, pending):
    client = client_for(curator)
    params = SearchParams(q="dementia carers")
    assert search_resources(params).total == 0
    assert client.post(reverse("curate:publish", args=[pending.pk]))["Location"] == reverse("curate:queue")
    assert [r.pk for r in search_resources(params).items] == [pending.pk]
    client.post(reverse("curate:unpublish", args=[pending.pk]), {"note": "Link is broken"})
    assert search_resources(params).total == 0
    assert Resource.objects.get(pk=pending.pk).status == Status.UNPUBLISHED


def test_a_reject_reason_is_required(client_for, curator, pending):
    response = client_for(curator).post(reverse("curate:reject", args=[pending.pk]), {"reason": "  "})
    assert "Give a reason, so the person who suggested it knows why" in response.content.decode()
    assert Resource.objects.get(pk=pending.pk).status == Status.SUBMITTED


def test_the_reject_reason_is_shown_to_the_submitter_only(client_for, curator, pending, other_contributor,
                                                           contributor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(curator).post(reverse("curate:reject", args=[pending.pk]), {"reason": "It is a duplicate of X."})
    assert Resource.objects.get(pk=pending.pk).rejection_reason == "It is a duplicate of X."
    page = client_for(other_contributor).get(reverse("library:detail", args=[pending.pk])).content.decode()
    assert "It is a duplicate of X." in page
    assert client_for(contributor).get(reverse("library:detail", args=[pending.pk])).status_code == 404
    assert [m.to for m in mail.outbox] == [[other_contributor.email]]


def test_a_published_resource_cannot_be_rejected(client_for, curator):
    published = a_published()
    response = client_for(curator).post(reverse("curate:reject", args=[published.pk]), {"reason": "Changed mind"})
    assert response.status_code == 302
    assert Resource.objects.get(pk=published.pk).status == Status.PUBLISHED


def test_unpublishing_a_draft_is_refused(client_for, curator, pending):
    client_for(curator).post(reverse("curate:unpublish", args=[pending.pk]))
    assert Resource.objects.get(pk=pending.pk).status == Status.SUBMITTED


# History ---------------------------------------------------------------------------------------

def test_history_shows_who_what_and_field_differences_newest_first(client_for, curator, pending):
    long_before = "Peers met weekly in a community centre. " * 6
    services.update_resource(pending, {"summary": long_before}, actor=curator)
    services.update_resource(pending, {"summary": long_before.replace("weekly", "monthly", 1)}, actor=curator,
                             terms=[term("dementia").pk], note="Corrected how often")
    page = client_for(curator).get(reverse("curate:history", args=[pending.pk])).content.decode()
    assert page.index("Corrected how often") < page.index("Submitted")
    assert "curator@example.org" in page
    assert "Categories" in page and "Dementia" in page
    assert "<del><span class=\"nhsuk-u-visually-hidden\">[removed: </span>weekly" in page
    assert "monthly" in page


def test_restoring_a_version_brings_back_its_fields(client_for, curator, pending):
    original_title = pending.title
    services.update_resource(pending, {"title": "A worse title"}, actor=curator)
    submitted_event = AuditEvent.objects.get(subject_id=str(pending.pk), action="submitted")
    response = client_for(curator).post(reverse("curate:restore", args=[pending.pk, submitted_event.pk]))
    assert response["Location"] == reverse("curate:history", args=[pending.pk])
    assert Resource.objects.get(pk=pending.pk).title == original_title
    assert AuditEvent.objects.filter(action="restored", actor=curator).exists()


# Taxonomy ---------------------------------------------------------------------------------------

def test_the_taxonomy_page_shows_each_vocabulary_tree(client_for, curator):
    page = client_for(curator).get(reverse("curate:taxonomy")).content.decode()
    assert "Peer support format" in page
    assert page.index("Mental health") < page.index("Anxiety") < page.index("Long-term physical conditions")


def test_a_curator_adds_a_term_under_a_parent(client_for, curator):
    parent = term("mental-health")
    response = client_for(curator).post(reverse("curate:term_add", args=["condition"]),
                                        {"name": "Bipolar disorder", "parent": parent.pk, "description": ""})
    assert response.status_code == 302
    assert term("bipolar-disorder").parent == parent
    assert AuditEvent.objects.filter(subject_type="library.term", action="term added").exists()


def test_adding_a_term_with_a_taken_name_explains_the_problem(client_for, curator):
    page = client_for(curator).post(reverse("curate:term_add", args=["condition"]), {"name": "anxiety"})
    assert "There is already a term called “anxiety” in Condition." in page.content.decode()


def test_moving_a_term_under_its_own_child_is_refused(client_for, curator):
    parent, child = term("mental-health"), term("anxiety")
    response = client_for(curator).post(reverse("curate:term_edit", args=[parent.pk]),
                                        {"name": parent.name, "parent": child.pk})
    assert "cannot go under “Anxiety”, because “Anxiety” is inside it" in response.content.decode()
    assert term("mental-health").parent is None


def test_a_merge_asks_for_confirmation_then_merges(client_for, curator):
    source, target = term("anxiety"), term("depression")
    resource = a_published(terms=[source])
    client = client_for(curator)
    url = reverse("curate:term_merge", args=[source.pk])
    confirm = client.post(url, {"target": target.pk})
    assert "Merge “Anxiety” into “Depression”?" in confirm.content.decode()
    assert term("anxiety").merged_into is None
    assert client.post(url, {"target": target.pk, "confirmed": "True"}).status_code == 302
    assert list(resource.terms.all()) == [target]
    assert client.get(url).status_code == 404  # the merged term is hidden


def test_a_merge_into_the_same_term_is_not_offered(client_for, curator):
    source = term("anxiety")
    response = client_for(curator).post(reverse("curate:term_merge", args=[source.pk]), {"target": source.pk})
    assert "Choose a term from the list" in response.content.decode()
