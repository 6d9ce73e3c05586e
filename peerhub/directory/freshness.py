"""Keeping listings fresh: the yearly "is this still right?" email with a signed confirm link.

The link carries the listing id signed with django.core.signing (no stored tokens), valid for
CONFIRM_MAX_AGE. Following it shows the listing and one button; the button confirms. A plain
GET never changes the listing, because mail scanners open every link in an email and would
otherwise confirm listings nobody has checked."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.directory.models import Service
from peerhub.directory.selectors import STALE_AFTER_DAYS
from peerhub.directory.services import SUBJECT

CONFIRM_SALT = "peerhub.directory.confirm"
CONFIRM_MAX_AGE = timedelta(days=30)
# Reminders start a month before a listing turns a year old, and repeat at most monthly.
REMIND_BEFORE_DAYS = 30
REMIND_EVERY = timedelta(days=30)


class ConfirmLinkError(ValueError):
    """The link is not one we made, or it is too old; the message says which, plainly."""


def confirm_token(service: Service) -> str:
    return signing.dumps(str(service.id), salt=CONFIRM_SALT)


def service_id_from_token(token: str) -> uuid.UUID:
    try:
        return uuid.UUID(signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE))
    except signing.SignatureExpired:
        raise ConfirmLinkError("This link has expired: links work for 30 days. Ask the Peer Support Hub team "
                               "for a new one, or reply to the email.") from None
    except signing.BadSignature:
        raise ConfirmLinkError("This link is not valid. Check you copied the whole link from the email.") from None


def confirm_url(service: Service) -> str:
    return settings.SITE_URL + reverse("directory:confirm", args=[confirm_token(service)])


def reminder_address(service: Service) -> str:
    """Who is asked: the person who last assured the listing, else the listing's contact email."""
    return service.assurer_email or service.email or service.organization.email


def reminders_due():
    """Listings a year old or within a month of it, with an address, not reminded this month."""
    today, now = timezone.localdate(), timezone.now()
    due = Q(assured_date__isnull=True) | Q(assured_date__lte=today - timedelta(days=STALE_AFTER_DAYS -
                                                                               REMIND_BEFORE_DAYS))
    not_recent = Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=now - REMIND_EVERY)
    has_address = ~Q(assurer_email="") | ~Q(email="") | ~Q(organization__email="")
    return Service.objects.filter(due, not_recent, has_address, status="active").select_related(
        "organization").order_by("assured_date", "name")


def send_reminder(service: Service, *, actor=None) -> str:
    """Email the provider; returns the address used. ValueError if the listing has none."""
    address = reminder_address(service)
    if not address:
        raise ValueError(f"“{service.name}” has no email address, so no reminder can be sent. "
                         "Phone the organisation instead.")
    context = {"service": service, "confirm_url": confirm_url(service), "days": CONFIRM_MAX_AGE.days,
               "update_url": settings.SITE_URL + reverse("directory:propose_update", args=[service.id])}
    body = render_to_string("directory/email/reminder.txt", context)
    EmailMessage(f"Is this still right? {service.name}", body, to=[address]).send()
    service.reminder_sent_at = timezone.now()
    service.save(update_fields=["reminder_sent_at"])
    record_event(subject_type=SUBJECT, subject_id=service.id, action="reminder sent", actor=actor, before={},
                 after={"reminder_sent_to": address}, note="'Is this still right?' email")
    return address


@dataclass
class ReminderRun:
    sent: list[str]
    failed: list[str]


def send_due_reminders(*, dry_run: bool = False) -> ReminderRun:
    """What the daily command runs. One failed email is reported, not fatal to the rest."""
    run = ReminderRun([], [])
    for service in reminders_due():
        if dry_run:
            run.sent.append(f"{service.name} <{reminder_address(service)}>")
            continue
        try:
            run.sent.append(f"{service.name} <{send_reminder(service)}>")
        except OSError as error:  # SMTP failures surface as OSError subclasses
            run.failed.append(f"{service.name}: {error}")
    return run
