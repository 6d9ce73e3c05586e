"""The curators' report reads the daily counts: totals over the period, most frequent first."""

import datetime

from peerhub.library.services import SEARCH_KIND
from peerhub.search.analytics import query_report
from peerhub.search.services import record_search

TODAY = datetime.date(2026, 3, 10)


def test_it_sums_days_within_the_period_and_leaves_older_days_out(db):
    for day in (TODAY, TODAY - datetime.timedelta(days=1)):
        record_search(SEARCH_KIND, "walking", 2, day)
    record_search(SEARCH_KIND, "walking", 2, TODAY - datetime.timedelta(days=40))
    record_search(SEARCH_KIND, "dancing", 0, TODAY)
    report = query_report(SEARCH_KIND, TODAY - datetime.timedelta(days=6))
    assert [(f.query, f.searches, f.empty_searches) for f in report["frequent"]] == [
        ("walking", 2, 0), ("dancing", 1, 1)]
    assert [f.query for f in report["no_results"]] == ["dancing"]


def test_it_keeps_kinds_apart(db):
    record_search("directory.service", "walking", 0, TODAY)
    assert query_report(SEARCH_KIND, TODAY)["frequent"] == []
