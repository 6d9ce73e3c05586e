"""The link checker against a real HTTP server on 127.0.0.1: 200, 301, 404, 500, a slow answer
(timeout), a dropped connection and a server refusing HEAD. Broken links are flagged after
failing twice in a row, and none of the good ones are."""

import pytest
from django.utils import timezone

from peerhub.freshness import linkcheck, selectors, services
from peerhub.freshness.models import LinkCheck, Outcome
from peerhub.freshness.tests.linkserver import LinkServer
from peerhub.library.services import create_resource

GOOD = ["/ok", "/moved", "/no-head"]
BROKEN = ["/missing", "/error", "/slow", "/drop"]


@pytest.fixture
def server():
    with LinkServer() as running:
        yield running


@pytest.fixture
def quick(settings):
    settings.LINK_CHECK_TIMEOUT_SECONDS = 0.5


def check(server, paths, **options):
    options = {"timeout": 0.5, "per_host": 4, "concurrency": 10, **options}
    return linkcheck.check_all([server.url(p) for p in paths], **options)


def test_each_kind_of_answer_is_classified(server):
    results = {url.rsplit("/", 1)[1]: r for url, r in check(server, GOOD + BROKEN + ["/forbidden"]).items()}
    assert {name: r.outcome for name, r in results.items()} == {
        "ok": Outcome.OK, "moved": Outcome.OK, "no-head": Outcome.OK, "missing": Outcome.BROKEN,
        "error": Outcome.BROKEN, "slow": Outcome.BROKEN, "drop": Outcome.BROKEN, "forbidden": Outcome.UNCERTAIN,
    }
    assert results["moved"].final_url == server.url("/ok") and results["moved"].method == "HEAD"
    assert (results["no-head"].method, results["no-head"].status_code) == ("GET", 200)
    assert (results["missing"].method, results["missing"].status_code) == ("GET", 404)  # HEAD, then GET to be sure
    assert results["slow"].error == "No answer within 0.5 seconds"
    assert results["drop"].error == "The site closed the connection without answering"


def test_no_more_than_the_per_host_limit_are_in_flight_at_once(server):
    results = check(server, [f"/busy/{n}" for n in range(6)], per_host=2)
    assert all(r.outcome == Outcome.OK for r in results.values())
    assert server.most_in_flight == 2


def a_record(url, title):
    return create_resource({"title": title, "resource_type": "website", "url": url}, actor=None, publish=True)


@pytest.mark.django_db
def test_links_failing_twice_in_a_row_are_flagged_and_good_ones_never(server, quick):
    records = {path: a_record(server.url(path), f"Record at {path}") for path in GOOD + BROKEN}
    first = services.check_links(list(records.values()))
    assert (first.checked, first.ok, first.broken, first.flagged) == (7, 3, 4, 0)
    assert not selectors.broken_links().exists()  # one failure is not enough: sites have bad moments
    second = services.check_links(list(records.values()))
    assert second.flagged == 4
    flagged = {check.resource.url.rsplit("/", 1)[1] for check in selectors.broken_links()}
    assert flagged == {"missing", "error", "slow", "drop"}


@pytest.mark.django_db
def test_a_working_link_updates_last_checked_through_the_library_and_records_the_check(server, quick):
    good, broken = a_record(server.url("/moved"), "Moved page"), a_record(server.url("/missing"), "Gone page")
    services.check_links([good, broken])
    good.refresh_from_db(), broken.refresh_from_db()
    assert good.last_checked == timezone.localdate() and broken.last_checked is None
    check = LinkCheck.objects.get(resource=good)
    assert (check.status_code, check.final_url, check.failures_in_row) == (200, server.url("/ok"), 0)
    from peerhub.audit.models import AuditEvent
    assert AuditEvent.objects.filter(subject_id=str(good.pk), action="edited",
                                     note__startswith="The link checker confirmed").count() == 1


@pytest.mark.django_db
def test_a_mended_link_clears_the_flag_and_an_unconfirmed_check_keeps_the_count(server, quick):
    record = a_record(server.url("/missing"), "Sometimes gone")
    services.check_links([record]), services.check_links([record])
    assert selectors.broken_links().count() == 1
    record.url = server.url("/forbidden")
    services.check_links([record])
    assert selectors.latest_check(record).failures_in_row == 2  # a 403 neither confirms nor breaks
    record.url = server.url("/ok")
    services.check_links([record])
    assert not selectors.broken_links().exists()


@pytest.mark.django_db
def test_only_links_not_checked_recently_are_due(server, quick):
    record = a_record(server.url("/ok"), "Checked page")
    a_record("", "No address at all")
    assert list(selectors.links_due_for_check(timezone.now())) == [record]
    services.check_links()
    assert not selectors.links_due_for_check(timezone.now()).exists()
    later = timezone.now() + timezone.timedelta(days=8)
    assert list(selectors.links_due_for_check(later)) == [record]


@pytest.mark.django_db
def test_the_check_links_command_checks_every_link_and_reports(server, quick, capsys):
    from django.core.management import call_command

    a_record(server.url("/ok"), "Good page")
    a_record(server.url("/error"), "Failing page")
    call_command("check_links", "--all")
    assert "Checked 2 links: 1 working, 1 failing, 0 could not be confirmed; 0 flagged" in capsys.readouterr().out
