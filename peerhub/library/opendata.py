"""The hub's open data: every published resource, the taxonomy and the stories whose tellers
agreed to open data, as JSON and CSV, described by a Frictionless Data Package, with a licence.

`write_open_data(folder)` writes the dump (the `export-open-data` command, and the zip the open
data page offers); `load_open_data(folder, actor=…)` rebuilds a fresh hub's published catalogue
and taxonomy from it (the `import-open-data` command). The JSON files are the exact record: the
round trip export -> import -> export gives the same resource and taxonomy files, ids included.
The CSV files are for people: names rather than ids, and cells made safe for spreadsheets."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Prefetch, ProtectedError
from django.utils import timezone

from peerhub.audit.services import record_event
from peerhub.library import exports, services
from peerhub.library.models import Resource, Term, Vocabulary
from peerhub.library.selectors import published_resources
from peerhub.library.taxonomy import SUBJECT as TERM_SUBJECT
from peerhub.library.taxonomy import term_snapshot
from peerhub.stories.models import DIMENSION_ORDER
from peerhub.stories.selectors import hub_terms_of, stories_for_open_data, topography

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
DATE_FIELDS = {"last_checked", "review_due"}
STORY_VOCABULARIES = ["condition", "community"]
LOAD_NOTE = "Loaded from an open-data export"


class OpenDataError(Exception):
    """The folder is not an open-data export this hub can load, or the hub is not fresh."""


# Records as JSON values ---------------------------------------------------------------------

def _json_value(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def resource_record(resource: Resource, term_ids: list[int]) -> dict:
    """Everything about a published resource except who submitted it (personal data)."""
    fields = {name: _json_value(getattr(resource, name)) for name in services.EDITABLE_FIELDS}
    return {"id": resource.pk, "page": settings.SITE_URL + resource.get_absolute_url(), **fields,
            "published_at": _json_value(resource.published_at), "terms": term_ids}


def vocabulary_record(vocabulary: Vocabulary) -> dict:
    return {"id": vocabulary.pk, "slug": vocabulary.slug, "name": vocabulary.name, "question": vocabulary.question,
            "description": vocabulary.description, "order": vocabulary.order}


def term_record(term: Term, live_ids: set[int]) -> dict:
    """A live term; a parent merged away is left out, as on the site (the term moves to the top)."""
    parent = term.parent if term.parent_id in live_ids else None
    return {"id": term.pk, "vocabulary": term.vocabulary.slug, "slug": term.slug, "name": term.name,
            "description": term.description, "order": term.order, "parent_id": parent and parent.pk,
            "parent": parent and parent.slug}


def story_record(story) -> dict:
    """A story without personal data: no email, no consent details, no storyteller's name (even
    when shown on the site: open data is copied beyond the teller's reach to withdraw it)."""
    dimensions = {slug: {"terms": [t.slug for t in terms], "detail": detail}
                  for slug, _label, terms, detail in topography(story)}
    return {"id": story.pk, "page": settings.SITE_URL + story.get_absolute_url(), "title": story.title,
            "body": story.body, "medium": story.medium, "media_url": story.media_url,
            "transcript": story.transcript, "published": story.published_at and story.published_at.date().isoformat(),
            "is_example": story.is_example, "topography": dimensions,
            **{v: [t.slug for t in hub_terms_of(story, v)] for v in STORY_VOCABULARIES}}


# Reading the catalogue ----------------------------------------------------------------------

def published_in_order() -> list[Resource]:
    terms = Term.objects.select_related("vocabulary")
    return list(published_resources().prefetch_related(Prefetch("terms", queryset=terms)).order_by("pk"))


def taxonomy_records() -> tuple[list[dict], list[dict]]:
    terms = list(Term.objects.filter(merged_into__isnull=True).select_related("vocabulary", "parent"))
    live_ids = {t.pk for t in terms}
    terms.sort(key=lambda t: (t.vocabulary.order, t.vocabulary.slug, t.order, t.slug))
    return [vocabulary_record(v) for v in Vocabulary.objects.order_by("order", "slug")], \
        [term_record(t, live_ids) for t in terms]


def live_term_ids(resource: Resource) -> list[int]:
    """Its terms as they are now: a merged term counts as the term it was merged into (merging
    keeps merged_into pointing at a live term), as services.live_term_ids does."""
    return sorted({t.merged_into_id or t.pk for t in resource.terms.all()})


def resource_records(resources: list[Resource]) -> list[dict]:
    return [resource_record(r, live_term_ids(r)) for r in resources]


# Tables for people (CSV) and their Table Schemas -------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, boolean, date, datetime
    description: str


RESOURCE_COLUMN_TYPES = {"id": "integer", "year": "integer", "last_checked": "date", "review_due": "date",
                         "published_at": "datetime"}
RESOURCE_COLUMN_WORDS = {
    "id": "The resource's number on the hub", "page": "Its page on the hub", "authors": "Separated by “; ”",
    "publication_date": "As precise as known: 2021, 2021-05 or 2021-05-03", "link": "The resource itself",
    "licence": "The resource's own licence, where it has one", "terms": "Categories as “vocabulary: term”",
}
RESOURCE_COLUMNS = [Column(name, RESOURCE_COLUMN_TYPES.get(name, "string"), RESOURCE_COLUMN_WORDS.get(name, ""))
                    for name in exports.CSV_COLUMNS]
VOCABULARY_COLUMNS = [Column("id", "integer", ""), Column("slug", "string", "Its key in search addresses"),
                      Column("name", "string", ""), Column("question", "string", "How the facet is asked"),
                      Column("description", "string", ""), Column("order", "integer", "Display order")]
TERM_COLUMNS = [Column("id", "integer", ""), Column("vocabulary", "string", "The vocabulary's slug"),
                Column("slug", "string", ""), Column("name", "string", ""), Column("description", "string", ""),
                Column("order", "integer", "Order among its siblings"),
                Column("parent_id", "integer", "The broader term's id; empty at the top of the tree"),
                Column("parent", "string", "The broader term's slug")]
STORY_COLUMNS = [Column("id", "integer", ""), Column("page", "string", ""), Column("title", "string", ""),
                 Column("published", "date", ""), Column("medium", "string", ""),
                 *[Column(str(d), "string", f"{d.label} terms, separated by “; ”") for d in DIMENSION_ORDER],
                 *[Column(f"{d}_detail", "string", f"{d.label}, in the storyteller's words") for d in DIMENSION_ORDER],
                 Column("condition", "string", "Condition slugs"), Column("community", "string", "Community slugs"),
                 Column("media_url", "string", ""), Column("transcript", "string", ""), Column("body", "string", ""),
                 Column("is_example", "boolean", "A fictitious example, not a real person's story")]


def _csv_text(columns: list[Column], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    writer.writerows([exports.spreadsheet_safe(v) for v in row] for row in rows)
    return out.getvalue()


def _blank_none(value):
    return "" if value is None else value


def story_row(record: dict) -> list:
    topo = record["topography"]
    return [record["id"], record["page"], record["title"], record["published"], record["medium"],
            *["; ".join(topo[str(d)]["terms"]) for d in DIMENSION_ORDER],
            *[topo[str(d)]["detail"] for d in DIMENSION_ORDER],
            "; ".join(record["condition"]), "; ".join(record["community"]), record["media_url"],
            record["transcript"], record["body"], "true" if record["is_example"] else "false"]


def table_schema(columns: list[Column]) -> dict:
    fields = [{"name": c.name, "type": c.type, **({"description": c.description} if c.description else {})}
              for c in columns]
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}



# The dump -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DataFile:
    name: str  # the Data Package resource name
    path: str
    title: str
    columns: list[Column] | None = None  # CSV files only


DATA_FILES = [
    DataFile("resources", "resources.csv", "Published resources (for spreadsheets)", RESOURCE_COLUMNS),
    DataFile("resources-json", "resources.json", "Published resources (the exact record; categories as term ids)"),
    DataFile("vocabularies", "vocabularies.csv", "Taxonomy vocabularies (facets)", VOCABULARY_COLUMNS),
    DataFile("vocabularies-json", "vocabularies.json", "Taxonomy vocabularies (the exact record)"),
    DataFile("terms", "terms.csv", "Taxonomy terms, each with its broader term", TERM_COLUMNS),
    DataFile("terms-json", "terms.json", "Taxonomy terms (the exact record)"),
    DataFile("stories", "stories.csv", "Stories whose tellers agreed to open data, without personal data",
             STORY_COLUMNS),
    DataFile("stories-json", "stories.json", "Stories whose tellers agreed to open data (the exact record)"),
]
LICENCE_FILE = "LICENCE.md"
JSON_SCHEMA_NOTE = "A JSON array of objects, one per row of the CSV file of the same name, with lists kept as lists."


@dataclass
class OpenDataSummary:
    resources: int
    vocabularies: int
    terms: int
    stories: int


def _json_text(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _data_resource(data_file: DataFile) -> dict:
    described = {"name": data_file.name, "path": data_file.path, "title": data_file.title, "encoding": "utf-8"}
    if data_file.columns is None:
        return {**described, "format": "json", "mediatype": "application/json", "description": JSON_SCHEMA_NOTE}
    return {**described, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "dialect": {"delimiter": ",", "header": True}, "schema": table_schema(data_file.columns)}


def datapackage(created) -> dict:
    return {
        "profile": "data-package", "name": "peer-support-hub", "title": "Peer Support Hub open data",
        "description": "The evidence library's published resources, its taxonomy, and the stories of peer support "
                       f"whose tellers agreed to open data. See {LICENCE_FILE} for the licence.",
        "homepage": settings.SITE_URL + "/library/open-data/", "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENCE], "resources": [_data_resource(f) for f in DATA_FILES],
    }


LICENCE_TEXT = """# Licence

This open data from the Peer Support Hub is published under the Creative Commons Attribution 4.0
International licence (CC BY 4.0): {url}

You may copy, share and adapt it for any purpose, if you credit "Peer Support Hub" and link to
the licence.

## Where a record says otherwise

Some resources carry their own licence in the `licence` field of resources.csv and
resources.json. Where a resource's licence says something different, that licence applies to
that resource's record instead. The resources themselves (the papers, reports and videos the
records describe) belong to their authors and publishers and are not covered by this licence.

## Personal data

Nothing here identifies the people who suggested resources or told stories: no email addresses,
no consent records and no storytellers' names. Stories are included only when their teller
agreed to open data, and a story is removed from later exports when its teller withdraws it.

## Spreadsheet safety

In the CSV files, a cell that would begin with =, +, -, @ or a tab begins with an apostrophe
instead, so that a spreadsheet shows it as text rather than running it as a formula. The JSON
files hold the values exactly.
"""


def dump_contents() -> tuple[dict[str, str], OpenDataSummary]:
    """Every file of the dump as text, by path."""
    resources = published_in_order()
    vocabularies, terms = taxonomy_records()
    stories = [story_record(s) for s in stories_for_open_data()]
    files = {
        "resources.csv": exports.to_csv(resources, settings.SITE_URL),
        "resources.json": _json_text(resource_records(resources)),
        "vocabularies.csv": _csv_text(VOCABULARY_COLUMNS, [[v[c.name] for c in VOCABULARY_COLUMNS]
                                                           for v in vocabularies]),
        "vocabularies.json": _json_text(vocabularies),
        "terms.csv": _csv_text(TERM_COLUMNS, [[_blank_none(t[c.name]) for c in TERM_COLUMNS] for t in terms]),
        "terms.json": _json_text(terms),
        "stories.csv": _csv_text(STORY_COLUMNS, [story_row(s) for s in stories]),
        "stories.json": _json_text(stories),
        "datapackage.json": json.dumps(datapackage(timezone.now()), ensure_ascii=False, indent=2) + "\n",
        LICENCE_FILE: LICENCE_TEXT.format(url=LICENCE["path"]),
    }
    return files, OpenDataSummary(len(resources), len(vocabularies), len(terms), len(stories))


def write_open_data(folder) -> OpenDataSummary:
    """Write the dump into the folder (created if needed; files of the same names are replaced)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files, summary = dump_contents()
    for path, text in files.items():
        (folder / path).write_text(text, encoding="utf-8", newline="")
    return summary


def open_data_zip() -> bytes:
    """The dump as a zip, built in memory (the catalogue is small enough for that)."""
    files, _summary = dump_contents()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            archive.writestr(f"peer-support-hub-open-data/{path}", text)
    return buffer.getvalue()


# Loading a dump into a fresh hub ------------------------------------------------------------

REQUIRED_KEYS = {
    "vocabularies.json": {"id", "slug", "name", "question", "description", "order"},
    "terms.json": {"id", "vocabulary", "slug", "name", "description", "order", "parent_id"},
    "resources.json": {"id", "published_at", "terms", *services.EDITABLE_FIELDS},
}


@dataclass
class Dump:
    vocabularies: list[dict]
    terms: list[dict]
    resources: list[dict]


def _read_list(folder: Path, name: str) -> list[dict]:
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise OpenDataError(f"{name} is missing from {folder}: is this an open-data export?") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise OpenDataError(f"{name} cannot be read: {error}.") from error
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise OpenDataError(f"{name} should be a list of objects.")
    for number, item in enumerate(data, start=1):
        if missing := REQUIRED_KEYS[name] - set(item):
            raise OpenDataError(f"Item {number} of {name} lacks {', '.join(sorted(missing))}.")
    return data


def read_dump(folder) -> Dump:
    folder = Path(folder)
    return Dump(*(_read_list(folder, name) for name in ("vocabularies.json", "terms.json", "resources.json")))


def _require_fresh_hub() -> None:
    if count := Resource.objects.count():
        raise OpenDataError(f"This hub already has {count} resources. Loading open data rebuilds a fresh hub's "
                            "catalogue, so it only runs on a hub with none.")


def _load_vocabularies(records: list[dict]) -> dict[str, Vocabulary]:
    """Match by slug, so a fresh hub's own copy of the default taxonomy keeps its ids (the
    directory links to them); a vocabulary it lacks is created with the exported id if free."""
    existing = {v.slug: v for v in Vocabulary.objects.all()}
    taken = {v.pk for v in existing.values()}
    loaded = {}
    for record in records:
        vocabulary = existing.get(record["slug"]) or Vocabulary(slug=record["slug"])
        if vocabulary.pk is None and record["id"] not in taken:
            vocabulary.pk = record["id"]
        for name in ("name", "question", "description", "order"):
            setattr(vocabulary, name, record[name])
        vocabulary.full_clean(validate_unique=False)
        vocabulary.save()
        loaded[vocabulary.slug] = vocabulary
    return loaded


def _load_terms(records: list[dict], vocabularies: dict[str, Vocabulary], actor) -> dict[int, Term]:
    """Terms matched by vocabulary and slug (or created, with the exported id if free); then each
    gets its broader term. Returns the hub's term for each exported term id."""
    existing = {(t.vocabulary.slug, t.slug): t for t in Term.objects.select_related("vocabulary")}
    taken = {t.pk for t in existing.values()}
    by_export_id = {}
    for record in records:
        if record["vocabulary"] not in vocabularies:
            raise OpenDataError(f"Term “{record['slug']}” names a vocabulary not in vocabularies.json.")
        term = existing.get((record["vocabulary"], record["slug"]))
        term = term or Term(vocabulary=vocabularies[record["vocabulary"]], slug=record["slug"],
                            pk=None if record["id"] in taken else record["id"])
        term.name, term.description, term.order = record["name"], record["description"], record["order"]
        term.parent, term.merged_into = None, None
        term.full_clean(exclude=["parent", "merged_into"], validate_unique=False)
        term.save()
        by_export_id[record["id"]] = term
    _link_parents(records, by_export_id, actor)
    return by_export_id


def _link_parents(records: list[dict], by_export_id: dict[int, Term], actor) -> None:
    for record in records:
        term = by_export_id[record["id"]]
        if record["parent_id"] is not None:
            if record["parent_id"] not in by_export_id:
                raise OpenDataError(f"Term “{record['slug']}” has a broader term not in terms.json.")
            term.parent = by_export_id[record["parent_id"]]
            term.save(update_fields=["parent"])
        record_event(subject_type=TERM_SUBJECT, subject_id=term.pk, action="loaded", actor=actor, before={},
                     after=term_snapshot(term), note=LOAD_NOTE)


def _remove_terms_not_in(kept: dict[int, Term]) -> None:
    """A fresh hub's terms the export does not have (the exporting hub merged or never had them)."""
    extra = Term.objects.exclude(pk__in=[t.pk for t in kept.values()])
    try:
        extra.filter(parent__isnull=False).delete()
        extra.delete()
    except ProtectedError as error:
        raise OpenDataError("Some of this hub's own terms are in use, so its taxonomy cannot be replaced.") from error


def _resource_row(record: dict, terms: dict[int, Term]) -> tuple[int, dict, object, list[int]]:
    data = {name: record[name] for name in services.EDITABLE_FIELDS}
    for name in DATE_FIELDS:
        data[name] = date.fromisoformat(data[name]) if data[name] else None
    unknown = [pk for pk in record["terms"] if pk not in terms]
    if unknown:
        raise OpenDataError(f"Resource {record['id']} has categories not in terms.json: {unknown[:5]}.")
    published_at = datetime.fromisoformat(record["published_at"]) if record["published_at"] else timezone.now()
    return record["id"], data, published_at, sorted({terms[pk].pk for pk in record["terms"]})


def _check_resource(row) -> str:
    """Why the catalogue would refuse the row, or ""."""
    try:
        Resource(**row[1]).full_clean(exclude=["terms", "submitted_by"], validate_unique=False)
    except ValidationError as error:
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return ""


def _resource_rows(records: list[dict], terms: dict[int, Term]) -> list:
    try:
        rows = [_resource_row(record, terms) for record in records]
    except (TypeError, ValueError) as error:
        raise OpenDataError(f"resources.json holds a value of the wrong kind: {error}.") from error
    problems = [f"resource {row[0]}: {problem}" for row in rows if (problem := _check_resource(row))]
    if problems:
        raise OpenDataError("These resources cannot be loaded: " + " | ".join(problems[:5]))
    return rows


def _reset_sequences() -> None:
    """Rows were written with their exported ids: PostgreSQL's counters must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Vocabulary, Term, Resource])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@transaction.atomic
def load_open_data(folder, *, actor=None) -> OpenDataSummary:
    """Rebuild the published catalogue and the taxonomy from an export, all or nothing."""
    dump = read_dump(folder)
    _require_fresh_hub()
    vocabularies = _load_vocabularies(dump.vocabularies)
    terms = _load_terms(dump.terms, vocabularies, actor)
    _remove_terms_not_in(terms)
    Vocabulary.objects.exclude(slug__in=vocabularies).delete()
    rows = _resource_rows(dump.resources, terms)
    services.load_published_resources(rows, actor=actor, note=LOAD_NOTE)
    _reset_sequences()
    return OpenDataSummary(len(rows), len(vocabularies), len(terms), 0)
