"""Whole-directory exchange in ORUK 3.0: export every taxonomy and fully nested service as JSON
or as the tabular CSV layout, and import such a feed (a file, a ZIP of CSV tables, or another
hub's ORUK API read page by page) through the one write path."""

import json
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.db import IntegrityError, transaction

from peerhub.directory import oruk, selectors, tabular
from peerhub.directory.documents import DocumentError
from peerhub.directory.models import Taxonomy
from peerhub.directory.services import save_service_document, upsert_taxonomy

EXPORT_BATCH = 200


def export_feed() -> dict:
    taxonomies = [oruk.taxonomy_json(t, selectors.taxonomy_terms(t)) for t in Taxonomy.objects.order_by("id")]
    services = []
    ids = sorted(selectors.all_service_ids(), key=str)
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = selectors.full_services(ids[start:start + EXPORT_BATCH])
        attributes = selectors.full_service_attributes(batch)
        services += [oruk.service_json(s, attributes) for s in batch]
    return {"version": "3.0", "taxonomies": taxonomies, "services": services}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parts(data) -> tuple[list, list]:
    if isinstance(data, list):
        return [], data
    if isinstance(data, dict) and "contents" in data:
        return [], data["contents"]
    if isinstance(data, dict) and "services" in data:
        return data.get("taxonomies") or [], data["services"]
    raise DocumentError("This is not an ORUK feed: expected a list of services, a page with contents, "
                        "or an object with services.")


def _problem(position: int, doc, error: Exception) -> str:
    name = doc.get("name", "") if isinstance(doc, dict) else ""
    if isinstance(error, IntegrityError):
        # The transaction of this one service rolled back; the database said which rule broke.
        error = f"it uses an id that another record in the feed or the directory already has ({error})"
    return f"Service {position} {name!r}: {error}".replace(" ''", "")


def import_feed(data, *, actor=None, source: str = "") -> ImportReport:
    """Each service saves in its own transaction, so one bad record is reported, not fatal."""
    taxonomies, services = _parts(data)
    report = ImportReport()
    with transaction.atomic():
        for doc in taxonomies:
            upsert_taxonomy(doc)
    for position, doc in enumerate(services, start=1):
        try:
            result = save_service_document(doc, actor=actor, source=source, action="imported")
        except (DocumentError, IntegrityError) as error:
            report.errors.append(_problem(position, doc, error))
            continue
        report.created += result.created
        report.updated += not result.created
    return report


# Files -------------------------------------------------------------------------------------------

def export_csv_zip() -> bytes:
    return tabular.tables_to_zip(tabular.feed_to_tables(export_feed()))


def parse_json(data: bytes, where: str):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DocumentError(f"{where} is not UTF-8 text.") from None
    except ValueError as error:
        raise DocumentError(f"{where} is not valid JSON: {error}.") from None


def feed_from_file(name: str, data: bytes):
    """A .json feed, or a .zip of ORUK CSV tables, as a nested feed."""
    lower = name.lower()
    if lower.endswith(".zip"):
        return tabular.tables_to_feed(tabular.zip_to_tables(data))
    if lower.endswith(".json"):
        return parse_json(data, name)
    raise DocumentError(f"{name} is neither a .json feed nor a .zip of CSV tables.")


# Another hub's ORUK API ------------------------------------------------------------------------

FEED_TIMEOUT_S = 15
FEED_PER_PAGE = 50
MAX_FEED_PAGES = 200
MAX_RESPONSE_BYTES = 20 * 1024 * 1024


def get_json(url: str):
    """One GET with a timeout and a size cap; any failure is a DocumentError naming the address."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DocumentError(f"{url} is not a web address: it must start with https:// or http://.")
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "PeerSupportHub"})
    try:
        with urlopen(request, timeout=FEED_TIMEOUT_S) as response:  # noqa: S310 (scheme checked above)
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except HTTPError as error:
        raise DocumentError(f"{url} answered {error.code} {error.reason}.") from None
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DocumentError(f"Could not read {url}: {reason}.") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise DocumentError(f"{url} sent more than 20 MB in one response.")
    return parse_json(body, url)


def _page_url(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), "page": str(page), "per_page": str(FEED_PER_PAGE)}
    return urlunsplit(parts._replace(query=urlencode(query)))


def _detail_url(list_url: str, service_id) -> str:
    parts = urlsplit(list_url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{quote(str(service_id))}", query=""))


def _page_count(page: dict, url: str) -> int:
    total = page.get("total_pages")
    if not isinstance(total, int) or total < 0:
        raise DocumentError(f"{url} is an ORUK page without a usable total_pages.")
    if total > MAX_FEED_PAGES:
        raise DocumentError(f"{url} has {total} pages; we read at most {MAX_FEED_PAGES} pages at a time.")
    return total


def _full_service(item, url: str) -> dict:
    """List pages carry summaries; the full record is at services/{id}."""
    if not isinstance(item, dict) or not item.get("id"):
        raise DocumentError(f"A service listed at {url} has no id.")
    if "organization" in item and "service_at_locations" in item:
        return item
    return get_json(_detail_url(url, item["id"]))


def fetch_feed(url: str):
    """Every service of an ORUK API's services address, page by page, or a whole feed file
    served at that address. Everything is read before anything is saved."""
    first = get_json(_page_url(url, 1))
    if not (isinstance(first, dict) and isinstance(first.get("contents"), list)):
        return first
    pages = [first] + [get_json(_page_url(url, n)) for n in range(2, _page_count(first, url) + 1)]
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
            raise DocumentError(f"A page of {url} is not an ORUK page with contents.")
    return {"services": [_full_service(item, url) for page in pages for item in page["contents"]]}
