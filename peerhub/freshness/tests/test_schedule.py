"""The scheduler (`peerhub run_scheduled_harvests`): it enqueues due saved searches, the daily
link check and the digest on Django's tasks framework, once per period however often it runs."""

import datetime

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from peerhub.freshness import http, services
from peerhub.freshness.models import SavedSearch, Schedule, Source
from peerhub.freshness.schedule import enqueue_due_jobs
from peerhub.freshness.tests.conftest import Replay, recorded_json
from peerhub.library.models import Resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def europepmc(monkeypatch):
    server = Replay(lambda req: httpx.Response(200, json=recorded_json("europepmc", "search_cancer_core.json"),
                                               request=req))
    monkeypatch.setattr(http, "default_transport", server.transport)
    return server


def a_search(owner, name, schedule):
    return services.create_saved_search({"name": name, "source": Source.EUROPEPMC, "query": "cancer",
                                         "schedule": schedule, "max_records": 2}, owner=owner)


def test_due_searches_run_once_per_period(curator, europepmc):
    daily, weekly = a_search(curator, "Daily", Schedule.DAILY), a_search(curator, "Weekly", Schedule.WEEKLY)
    a_search(curator, "Manual", Schedule.OFF)
    now = timezone.now()
    assert [s.name for s in enqueue_due_jobs(now, include_jobs=False).searches] == ["Daily", "Weekly"]
    assert Resource.objects.count() == 2  # the immediate backend ran both; the second found the same two
    assert enqueue_due_jobs(now + datetime.timedelta(hours=23), include_jobs=False).searches == []
    tomorrow = enqueue_due_jobs(now + datetime.timedelta(days=1), include_jobs=False).searches
    assert [s.pk for s in tomorrow] == [daily.pk]
    assert [s.pk for s in enqueue_due_jobs(now + datetime.timedelta(days=7), include_jobs=False).searches] == \
        [daily.pk, weekly.pk]


def test_link_check_is_daily_and_digest_weekly(curator):
    now = timezone.now()
    first = enqueue_due_jobs(now)
    assert (first.link_check, first.digest) == (True, True)
    next_day = enqueue_due_jobs(now + datetime.timedelta(days=1))
    assert (next_day.link_check, next_day.digest) == (True, False)
    assert enqueue_due_jobs(now + datetime.timedelta(days=7)).digest


def test_the_command_enqueues_and_says_what(curator, europepmc, capsys):
    a_search(curator, "Daily", Schedule.DAILY)
    call_command("run_scheduled_harvests", "--harvests-only")
    assert "Enqueued 1 saved search." in capsys.readouterr().out
    assert SavedSearch.objects.get().last_success_at is not None


def test_the_command_refuses_a_loop_shorter_than_a_minute():
    with pytest.raises(CommandError, match="at least 60 seconds"):
        call_command("run_scheduled_harvests", "--every", "5")
