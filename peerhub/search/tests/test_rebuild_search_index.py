"""`peerhub rebuild_search_index`: after the index is lost, a rebuild from the records gives the
same search results as before."""

import pytest
from django.core.management import CommandError, call_command

from peerhub.library.services import SEARCH_KIND, create_resource
from peerhub.search.models import SearchEntry, SearchWord
from peerhub.search.selectors import search

QUERIES = ["peer", "diabetes mentoring", "depresion", '"peer support"', "walk*"]


def snapshot():
    results = {}
    for text in QUERIES:
        hits = search(SEARCH_KIND, text)
        results[text] = (hits.page_ids, hits.total, hits.suggestion)
    return results


@pytest.fixture
def catalogue(curator):
    for title, summary in [("Peer support for depression", "Groups led by peers"),
                           ("Diabetes peer mentoring", "Mentors with lived experience"),
                           ("Walking groups", "Peer-led walks for wellbeing")]:
        create_resource({"title": title, "summary": summary, "resource_type": "report"}, actor=curator, publish=True)
    create_resource({"title": "Draft about peer walking", "resource_type": "report"}, actor=curator)


def test_a_rebuild_after_losing_the_index_gives_the_same_results(catalogue, capsys):
    before = snapshot()
    SearchEntry.objects.all().delete()
    SearchWord.objects.all().delete()
    assert search(SEARCH_KIND, "peer").total == 0
    call_command("rebuild_search_index")
    assert snapshot() == before
    assert f"{SEARCH_KIND}: 4 entries indexed" in capsys.readouterr().out


def test_a_rebuild_of_one_kind_leaves_the_entry_count_unchanged(catalogue):
    count = SearchEntry.objects.count()
    call_command("rebuild_search_index", kind=SEARCH_KIND)
    assert SearchEntry.objects.count() == count


def test_an_unknown_kind_is_refused_with_the_registered_kinds(db):
    with pytest.raises(CommandError, match=SEARCH_KIND):
        call_command("rebuild_search_index", kind="nope.kind")
