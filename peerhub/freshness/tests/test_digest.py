"""The curators' digest: sent through Django's email framework (the locmem outbox in tests) to
every curator, listing what needs attention; nothing is sent when nothing does."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from peerhub.freshness import services, tasks
from peerhub.freshness.models import LinkCheck, Outcome, ScheduledJob
from peerhub.library.services import create_resource

pytestmark = pytest.mark.django_db


def a_resource(title, **fields):
    return create_resource({"title": title, "resource_type": "research_study", **fields}, actor=None, publish=True)


@pytest.fixture
def needs_attention():
    today = timezone.localdate()
    broken = a_resource("Toolkit whose page vanished", url="https://example.org/toolkit", last_checked=today)
    LinkCheck.objects.create(resource=broken, url=broken.url, checked_at=timezone.now(), outcome=Outcome.BROKEN,
                             status_code=410, method="GET", failures_in_row=2)
    a_resource("Evaluation due for review", review_due=today - datetime.timedelta(days=1), last_checked=today)
    return broken


def test_the_digest_goes_to_every_curator_and_lists_what_needs_attention(needs_attention, curator, admin_user,
                                                                           contributor):
    assert services.send_digest() == "Sent the digest to 2 curators."
    (message,) = mail.outbox
    assert sorted(message.bcc) == ["admin@example.org", "curator@example.org"] and message.to != [contributor.email]
    assert message.subject.startswith("Peer Support Hub: what needs attention")
    assert "Broken links (1)" in message.body and "Toolkit whose page vanished" in message.body
    assert "https://example.org/toolkit: The site answered 410" in message.body
    assert f"/curate/{needs_attention.pk}/edit/" in message.body
    assert "Reviews overdue (1):\n- Evaluation due for review" in message.body
    assert ScheduledJob.objects.get(name="digest").last_outcome == "Sent the digest to 2 curators."


def test_nothing_is_sent_when_nothing_needs_attention(curator):
    a_resource("Fresh and fine", last_checked=timezone.localdate())
    assert services.send_digest() == "Nothing needs attention, so no digest was sent."
    assert mail.outbox == []


def test_the_command_and_the_task_send_the_same_digest(needs_attention, curator, capsys):
    call_command("send_freshness_digest")
    assert "Sent the digest to 1 curator." in capsys.readouterr().out
    assert tasks.send_freshness_digest.enqueue().return_value == "Sent the digest to 1 curator."
    assert len(mail.outbox) == 2 and mail.outbox[0].body == mail.outbox[1].body
