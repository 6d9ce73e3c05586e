"""Freshness: the yearly "is this still right?" email with a signed confirm link, the
directory_reminders command, and the curators' page of stale listings with "send reminder"."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from peerhub.audit.models import AuditEvent
from peerhub.directory import freshness
from peerhub.directory.models import Service

PERSONAS = ["visitor", "contributor", "curator", "admin"]


def a_stale_listing(name="Cardiff Young Carers Meet-up") -> Service:
    return Service.objects.get(name=name)  # every fifth demo example was last checked 400 days ago


def link_path(service) -> str:
    return reverse("directory:confirm", args=[freshness.confirm_token(service)])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_confirm_link_shows_the_listing_and_changes_nothing_until_the_button(client_for, personas, demo,
                                                                                 persona):
    service = a_stale_listing()
    response = client_for(personas[persona]).get(link_path(service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is this still right?" in html and "Cardiff Young Carers Meet-up" in html and "<form" in html
    assert Service.objects.get(pk=service.pk).assured_date == service.assured_date


def test_the_button_marks_the_listing_checked_today_and_records_it(client, demo):
    service = a_stale_listing()
    response = client.post(link_path(service))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert Service.objects.get(pk=service.pk).assured_date == timezone.localdate()
    event = AuditEvent.objects.get(subject_id=str(service.id), action="confirmed")
    assert event.actor is None and event.actor_label == f"visitor {service.assurer_email}"


def test_an_expired_link_says_so_and_confirms_nothing(client, demo):
    service = a_stale_listing()
    path = link_path(service)
    later = timezone.now().timestamp() + timedelta(days=31).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400 and "This link has expired" in response.content.decode()
    assert Service.objects.get(pk=service.pk).assured_date == service.assured_date


def test_a_tampered_link_is_refused(client, demo):
    service = a_stale_listing()
    token = signing.dumps(str(Service.objects.exclude(pk=service.pk).first().id), salt="another purpose")
    response = client.get(reverse("directory:confirm", args=[token]))
    assert response.status_code == 400 and "This link is not valid" in response.content.decode()


def test_a_link_to_a_deleted_listing_is_not_found(client, demo):
    from peerhub.directory.services import delete_service

    service = a_stale_listing()
    path = link_path(service)
    delete_service(service, actor=None)
    assert client.get(path).status_code == 404


def test_the_command_emails_listings_near_or_over_a_year_once_a_month(demo):
    call_command("directory_reminders")
    names = {message.subject.removeprefix("Is this still right? ") for message in mail.outbox}
    stale = {s.name for s in Service.objects.filter(assured_date__lte=timezone.localdate() - timedelta(days=335))}
    assert names == stale and "Cardiff Young Carers Meet-up" in names and len(names) == 5
    message = mail.outbox[0]
    service = Service.objects.get(name=message.subject.removeprefix("Is this still right? "))
    assert message.to == [service.assurer_email]
    assert "/directory/confirm/" in message.body and "30 days" in message.body
    assert Service.objects.get(pk=service.pk).reminder_sent_at is not None
    call_command("directory_reminders")
    assert len(mail.outbox) == 5  # not again within the month


def test_the_emailed_link_confirms_the_listing(client, demo):
    call_command("directory_reminders")
    message = mail.outbox[0]
    path = next(word for word in message.body.split() if "/directory/confirm/" in word).split("127.0.0.1:8000")[1]
    client.post(path)
    service = Service.objects.get(name=message.subject.removeprefix("Is this still right? "))
    assert service.assured_date == timezone.localdate()


def test_a_dry_run_sends_nothing(demo, capsys):
    call_command("directory_reminders", "--dry-run")
    assert mail.outbox == [] and "5 reminders would be sent" in capsys.readouterr().out


@pytest.mark.parametrize("persona, status", [("visitor", 302), ("contributor", 403), ("curator", 200),
                                             ("admin", 200)])
def test_only_curators_see_the_stale_listings(client_for, personas, demo, persona, status):
    response = client_for(personas[persona]).get(reverse("directory:curate_stale"))
    assert response.status_code == status
    if status == 200:
        assert "Cardiff Young Carers Meet-up" in response.content.decode()
        assert "Leeds Hearing Voices Group" not in response.content.decode()


def test_the_stale_page_runs_a_fixed_number_of_queries(client_for, curator, demo, django_assert_max_num_queries):
    client = client_for(curator)
    with django_assert_max_num_queries(6):
        client.get(reverse("directory:curate_stale"))


@pytest.mark.parametrize("persona, status", [("visitor", 302), ("contributor", 403)])
def test_only_curators_send_reminders(client_for, personas, demo, persona, status):
    response = client_for(personas[persona]).post(reverse("directory:curate_remind", args=[a_stale_listing().id]))
    assert response.status_code == status and mail.outbox == []


def test_a_curator_sends_a_reminder_from_the_stale_page(client_for, curator, demo):
    service = a_stale_listing()
    response = client_for(curator).post(reverse("directory:curate_remind", args=[service.id]), follow=True)
    assert f"Reminder sent to {service.assurer_email}" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [service.assurer_email]
    assert AuditEvent.objects.filter(subject_id=str(service.id), action="reminder sent", actor=curator).exists()


def test_a_listing_without_an_email_address_gets_a_clear_message(client_for, curator, demo):
    service = a_stale_listing()
    Service.objects.filter(pk=service.pk).update(assurer_email="", email="")
    service.organization.email = ""
    service.organization.save()
    response = client_for(curator).post(reverse("directory:curate_remind", args=[service.id]), follow=True)
    assert "has no email address" in response.content.decode() and mail.outbox == []


def test_a_reminder_for_an_unknown_listing_is_not_found(client_for, curator, db):
    response = client_for(curator).post(reverse("directory:curate_remind",
                                                args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404
