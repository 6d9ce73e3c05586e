"""Running saved searches: harvested records go through the importer pipeline into the curator
queue (never published), deduplicated against the catalogue and the queue, with the source,
query and date on each record; failures are recorded on the search and nothing is half-saved."""

import httpx
import pytest
from django.utils import timezone

from peerhub.audit.models import AuditEvent
from peerhub.freshness import http, services, tasks
from peerhub.freshness.models import SavedSearch, Source
from peerhub.freshness.tests.conftest import Replay, recorded, recorded_json
from peerhub.library.models import Resource, Status
from peerhub.library.services import create_resource, submit_resource

pytestmark = pytest.mark.django_db
CORE = ("europepmc", "search_cancer_core.json")


def europepmc_server() -> Replay:
    return Replay(lambda req: httpx.Response(200, json=recorded_json(*CORE), request=req))


@pytest.fixture
def search(curator):
    return services.create_saved_search({"name": "Cancer", "source": Source.EUROPEPMC, "query": "cancer",
                                         "max_records": 5}, owner=curator)


def test_harvested_records_wait_in_the_curator_queue_with_source_query_and_date(search, curator):
    summary = services.run_saved_search(search, actor=curator, client=europepmc_server().client())
    assert summary.ok and summary.counts["new"] == 5
    records = Resource.objects.order_by("pk")
    assert records.count() == 5 and set(records.values_list("status", flat=True)) == {Status.SUBMITTED}
    today = timezone.localdate().isoformat()
    assert records[0].source == f"import: europepmc Europe PMC search “cancer” on {today}"
    note = AuditEvent.objects.get(subject_id=str(records[0].pk), action="created").note
    assert note.startswith(f"Imported for review by {curator.email} from Europe PMC search “cancer” on {today}")


def test_a_search_set_to_dublin_core_asks_for_it_and_imports_the_same_records(curator):
    search = services.create_saved_search({"name": "Cancer (DC)", "source": Source.EUROPEPMC, "query": "cancer",
                                           "max_records": 5, "result_format": "dc"}, owner=curator)
    server = Replay(lambda req: httpx.Response(200, content=recorded("europepmc", "search_cancer_dc.xml"),
                                               request=req))
    summary = services.run_saved_search(search, actor=curator, client=server.client())
    assert server.params(0)["format"] == "dc" and summary.ok and summary.counts["new"] == 5
    assert Resource.objects.filter(pmid="39709209", doi="10.1016/s0140-6736(24)02600-x").exists()


def test_a_malformed_dublin_core_answer_fails_the_run_with_its_reason(curator):
    search = services.create_saved_search({"name": "Cancer (DC)", "source": Source.EUROPEPMC, "query": "cancer",
                                           "max_records": 5, "result_format": "dc"}, owner=curator)
    server = Replay(lambda req: httpx.Response(200, content=b"<responseWrapper><hitCount>3", request=req))
    summary = services.run_saved_search(search, actor=curator, client=server.client())
    search.refresh_from_db()
    assert not summary.ok and search.last_failed and Resource.objects.count() == 0
    assert search.last_outcome.startswith("The run failed: Europe PMC's Dublin Core XML could not be read (")


def test_records_already_in_the_catalogue_or_the_queue_are_not_added_again(search, curator, contributor):
    create_resource({"title": "Published already", "resource_type": "research_study",
                     "doi": "10.1016/s0140-6736(24)02600-x"}, actor=curator, publish=True)
    submit_resource({"title": "Waiting already", "resource_type": "research_study", "pmid": "39709208"},
                    submitter=contributor)
    summary = services.run_saved_search(search, actor=curator, client=europepmc_server().client())
    assert (summary.counts["new"], summary.counts["known"]) == (3, 2)
    assert Resource.objects.count() == 5
    assert Resource.objects.get(title="Published already").status == Status.PUBLISHED


def test_running_again_finds_nothing_new_and_asks_only_for_newly_indexed_records(search, curator):
    services.run_saved_search(search, actor=curator, client=europepmc_server().client())
    server = europepmc_server()
    summary = services.run_saved_search(search, actor=curator, client=server.client())
    assert summary.counts["new"] == 0 and summary.counts["known"] == 5
    assert "FIRST_IDATE:[" in server.params(0)["query"]
    assert Resource.objects.count() == 5


def test_a_failing_source_is_recorded_on_the_search_and_saves_nothing(search, curator):
    server = Replay(lambda req: httpx.Response(500, text="down", request=req))
    summary = services.run_saved_search(search, actor=curator, client=server.client())
    search.refresh_from_db()
    assert not summary.ok and search.last_failed and search.last_success_at is None
    assert search.last_outcome == "The run failed: www.ebi.ac.uk answered 500 after 3 tries."
    assert Resource.objects.count() == 0


def test_the_background_task_runs_the_search_through_the_default_transport(search, curator, monkeypatch):
    server = europepmc_server()
    monkeypatch.setattr(http, "default_transport", server.transport)
    result = tasks.harvest_saved_search.enqueue(search.pk)
    assert result.return_value.startswith("Europe PMC found 5,059,039 and 5 were read: 5 new")
    assert server.requests[0].headers["user-agent"] == http.user_agent()
    assert Resource.objects.filter(status=Status.SUBMITTED).count() == 5


def test_a_task_for_a_deleted_search_says_so(search):
    pk = search.pk
    services.delete_saved_search(search)
    assert tasks.harvest_saved_search.enqueue(pk).return_value == f"Saved search {pk} was deleted before it could run."


def test_a_saved_search_with_an_unknown_source_is_refused(curator):
    with pytest.raises(Exception, match="not a valid choice"):
        services.create_saved_search({"name": "X", "source": "scopus", "query": "x"}, owner=curator)
    assert SavedSearch.objects.count() == 0
