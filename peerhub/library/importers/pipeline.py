"""The one import pipeline, for every format and for both the command and the browser preview:
plan (validate, find duplicates, merge them) without writing, then write the plan through the
library services in one transaction, so an import adds all its accepted records or none."""

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import DatabaseError, models, transaction

from peerhub.core.bulk import cyclic_gc_paused
from peerhub.library import services
from peerhub.library.importers.dedupe import (
    DuplicateIndex,
    MatchKeys,
    catalogue_candidates,
    keys_for_record,
    keys_for_resource,
)
from peerhub.library.importers.records import NormalisedRecord, Position, Problem
from peerhub.library.models import Resource, ResourceType
from peerhub.search.services import vocabulary_counted_once

# Fields an import can fill. Keywords and EPPI codes stay on the NormalisedRecord until they are
# mapped to taxonomy terms; the journal is shown as the organisation when there is no publisher.
MERGE_FIELDS = ["title", "description", "authors", "organisation", "pub_year", "pub_month", "pub_day", "url",
                "doi", "pmid", "isbn"]
SOURCE_LIMIT = Resource._meta.get_field("source").max_length


class ImportFailed(Exception):
    """Writing the import failed; nothing of it was saved."""


class Outcome(StrEnum):
    NEW = "new"
    MERGED = "merged-duplicate"
    DUPLICATE = "duplicate-in-file"
    ERROR = "error"


@dataclass(eq=False)  # compared by identity: two groups with equal fields are still two records
class Group:
    """One catalogue record the import creates (existing is None) or enriches (existing is set)."""

    data: dict
    existing: Resource | None = None
    founder: NormalisedRecord | None = None
    merged: list[str] = field(default_factory=list)  # "record 5 of x.ris (the same DOI)"
    resource: Resource | None = None


@dataclass
class RecordOutcome:
    position: Position
    status: Outcome
    reason: str = ""
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    group: Group | None = field(default=None, repr=False)

    @property
    def resource_id(self) -> int | None:
        resource = self.group and (self.group.resource or self.group.existing)
        return resource.pk if resource else None


@dataclass
class FileSummary:
    name: str
    format: str
    records: int = 0
    counts: Counter = field(default_factory=Counter)


@dataclass
class ImportReport:
    outcomes: list[RecordOutcome]
    publish: bool = False
    dry_run: bool = False
    formats: dict[str, str] = field(default_factory=dict)  # file name -> format

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def by_file(self) -> dict[str, FileSummary]:
        summaries: dict[str, FileSummary] = {}
        for outcome in self.outcomes:
            name = outcome.position.file
            summary = summaries.setdefault(name, FileSummary(name, self.formats.get(name, "")))
            summary.records += 1
            summary.counts[outcome.status] += 1
        return summaries


@dataclass
class Plan:
    groups: list[Group] = field(default_factory=list)
    outcomes: list[RecordOutcome] = field(default_factory=list)


def resource_data(record: NormalisedRecord) -> dict:
    source = f"import: {record.source_format} {record.source_name}"
    return {
        "title": record.title, "description": record.abstract, "resource_type": record.resource_type,
        "authors": record.authors, "organisation": record.organisation or record.journal[:255],
        "pub_year": record.year, "pub_month": record.month, "pub_day": record.day, "url": record.url,
        "doi": record.doi, "pmid": record.pmid, "isbn": record.isbn, "source": source[:SOURCE_LIMIT],
    }


def _checked_fields(data: dict) -> list:
    """The model fields data fills, in the model's order (the order full_clean reports them in)."""
    return [f for f in Resource._meta.fields if f.name in data]


@cache
def _plain_text_limit(model_field) -> int | float | None:
    """For a CharField or TextField whose only check is its max_length (no choices, no other
    validator), that length (inf for none); None for any other field."""
    if type(model_field) not in (models.CharField, models.TextField) or model_field.choices is not None:
        return None
    limit = model_field.max_length
    if model_field.validators == [] and limit is None:
        return math.inf
    only_length = [type(v) for v in model_field.validators] == [MaxLengthValidator]
    return limit if only_length and model_field.validators[0].limit_value == limit else None


def _surely_valid(model_field, value) -> bool:
    """True when field.clean(value) would pass, told without running it (most values of an
    import). Anything in doubt returns False, and Django's own checks decide."""
    limit = _plain_text_limit(model_field)
    return (limit is not None and type(value) is str and model_field.editable
            and (value != "" or model_field.blank) and len(value) <= limit)


@lru_cache(maxsize=50_000)
def _valid_url_value(value: str) -> bool:
    """URLField.clean passes for this address (URLValidator is slow, and addresses repeat)."""
    try:
        Resource._meta.get_field("url").clean(value, None)
    except ValidationError:
        return False
    return True


def _field_error(model_field, raw) -> list | None:
    if _surely_valid(model_field, raw) or (model_field.name == "url" and type(raw) is str and _valid_url_value(raw)):
        return None
    try:
        model_field.clean(raw, None)
    except ValidationError as error:
        return error.error_list
    return None


def validation_error(data: dict) -> str:
    """Why the catalogue would refuse the record, in words, or "" when it would accept it.
    The same checks and messages as Resource(**data).full_clean(exclude=["terms", "submitted_by"],
    validate_unique=False), run on the fields the import fills only: every other field keeps its
    default, which always passes, and building a model instance per record was a large share of
    planning a big import. Resource has no clean() and no constraints to add to this."""
    errors = {}
    for model_field in _checked_fields(data):
        raw = data[model_field.name]
        if model_field.blank and raw in model_field.empty_values:
            continue  # what Model.clean_fields skips too
        if (error_list := _field_error(model_field, raw)) is not None:
            errors[model_field.name] = error_list
    if not errors:
        return ""
    message_dict = ValidationError(errors).message_dict
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in message_dict.items())


def _blank(value) -> bool:
    return value in (None, "", [])


def richer_fields(base: dict, incoming: dict) -> dict:
    """What incoming adds to base: blanks filled, and a longer author list (one export lists all
    authors where another stops at a few). A month or day counts only for the same year."""
    same_year = incoming.get("pub_year") == base.get("pub_year") or _blank(base.get("pub_year"))
    changes = {}
    for name in MERGE_FIELDS:
        value, current = incoming.get(name), base.get(name)
        if name in ("pub_month", "pub_day") and not same_year:
            continue
        if (_blank(current) and not _blank(value)) or (name == "authors" and len(value or []) > len(current or [])):
            changes[name] = value
    return changes


def _merge(group: Group, record: NormalisedRecord, data: dict, reason: str) -> None:
    base = {name: getattr(group.existing, name) for name in MERGE_FIELDS} if group.existing else {}
    group.data.update(richer_fields({**base, **group.data}, data))
    if group.existing is None and data["resource_type"] == ResourceType.SYSTEMATIC_REVIEW:
        group.data["resource_type"] = data["resource_type"]  # one database indexes it as a review: more specific
    group.merged.append(f"{record.position} ({reason})")


def _place(plan: Plan, index: DuplicateIndex, record: NormalisedRecord, dedupe: bool,
           keys: MatchKeys | None) -> RecordOutcome:
    data = resource_data(record)
    outcome = RecordOutcome(record.position, Outcome.ERROR, title=record.title, warnings=record.warnings)
    if error := validation_error(data):
        outcome.reason = error
        return outcome
    keys = keys or keys_for_record(record)
    match = index.find(keys) if dedupe else None
    if match:
        _merge(match.target, record, data, match.reason)
        outcome.group, outcome.status = match.target, Outcome.MERGED if match.target.existing else Outcome.DUPLICATE
        outcome.reason = f"{match.reason} as {_describe(match.target)}"
    else:
        outcome.group, outcome.status = Group(data, founder=record), Outcome.NEW
        plan.groups.append(outcome.group)
    index.add(keys, outcome.group)
    return outcome


def _describe(group: Group) -> str:
    if group.existing:
        return f"catalogue record {group.existing.pk} “{group.existing.title[:80]}”"
    return str(group.founder.position)


def _catalogue_index(keys: list[MatchKeys]) -> DuplicateIndex:
    index = DuplicateIndex()
    for resource in catalogue_candidates(keys):
        index.add(keys_for_resource(resource), Group({}, existing=resource))
    return index


def plan_import(records: Iterable[NormalisedRecord], *, dedupe: bool = True, problems=()) -> Plan:
    """Decide, without writing, what happens to each record. Reads the catalogue only."""
    records = list(records)
    # Keys once per record: the catalogue query and the matching share them.
    keys = [keys_for_record(r) for r in records] if dedupe else [None] * len(records)
    index = _catalogue_index(keys) if dedupe else DuplicateIndex()
    plan = Plan()
    for record, record_keys in zip(records, keys, strict=True):
        plan.outcomes.append(_place(plan, index, record, dedupe, record_keys))
    plan.outcomes += [RecordOutcome(p.position, Outcome.ERROR, reason=p.reason) for p in problems]
    plan.outcomes.sort(key=lambda o: (o.position.file, o.position.index))
    for outcome in plan.outcomes:
        if outcome.status == Outcome.MERGED and outcome.group not in plan.groups:
            plan.groups.append(outcome.group)
    return plan


def _actor_label(actor) -> str:
    return getattr(actor, "email", "") or "the import command"


def _note(group: Group, actor, publish: bool) -> str:
    position = group.founder.position
    if publish:
        note = f"Published directly on import by {_actor_label(actor)} from {position.file} ({position})"
    else:
        note = f"Imported for review by {_actor_label(actor)} from {position.file} ({position})"
    return note + (f"; merged with {'; '.join(group.merged)}" if group.merged else "")


def _write(group: Group, *, actor, publish: bool) -> None:
    if group.existing is None:
        group.resource = services.create_resource(group.data, actor=actor, publish=publish,
                                                  note=_note(group, actor, publish))
    elif group.data:
        note = f"Merged duplicate from an import by {_actor_label(actor)}: {'; '.join(group.merged)}"
        group.resource = services.update_resource(group.existing, group.data, actor=actor, note=note)


def _where(group: Group) -> str:
    return str(group.founder.position) if group.founder else f"{group.merged[0]} into {_describe(group)}"


BULK_BATCH = 1000  # new records saved per bulk write: large enough to be fast, small enough to show progress


def _write_new_in_bulk(groups: list[Group], *, actor, publish: bool) -> None:
    """New records in batches (the hot path of a large import: a few queries per batch, not
    several per record). Each keeps the note create_resource would have recorded."""
    resources = services.create_resources_in_bulk([(g.data, _note(g, actor, publish)) for g in groups],
                                                  actor=actor, publish=publish)
    for group, resource in zip(groups, resources, strict=True):
        group.resource = resource


def _batches(groups: list[Group]) -> list[list[Group]]:
    return [groups[start:start + BULK_BATCH] for start in range(0, len(groups), BULK_BATCH)]


def apply_plan(plan: Plan, *, actor, publish: bool = False, progress: Callable = iter) -> None:
    """Write every group, or nothing: any failure rolls the whole import back. New records go
    in bulk; records that enrich the catalogue are updated one by one (so each keeps its own
    edit history)."""
    new = [g for g in plan.groups if g.existing is None]
    with transaction.atomic(), vocabulary_counted_once():
        for batch in progress(_batches(new)):
            try:
                _write_new_in_bulk(batch, actor=actor, publish=publish)
            except (ValidationError, DatabaseError, ValueError) as error:
                where = f"{_where(batch[0])} to {_where(batch[-1])}"
                raise ImportFailed(f"saving the records from {where} failed ({error}); nothing was saved") from error
        for group in (g for g in plan.groups if g.existing is not None):
            try:
                _write(group, actor=actor, publish=publish)
            except (ValidationError, DatabaseError, ValueError) as error:
                raise ImportFailed(f"saving {_where(group)} failed ({error}); nothing was saved") from error


def import_records(records: Iterable[NormalisedRecord], *, actor, publish: bool = False, dedupe: bool = True,
                   problems: Iterable[Problem] = (), dry_run: bool = False, progress: Callable = iter,
                   formats: dict | None = None) -> ImportReport:
    """Import records (from one file or several). New records wait in the curator queue unless
    publish is true; duplicates enrich the record they duplicate. Returns what happened to each."""
    with cyclic_gc_paused():  # a large import keeps many objects alive: see cyclic_gc_paused
        records = list(records)
        plan = plan_import(records, dedupe=dedupe, problems=problems)
        if not dry_run:
            apply_plan(plan, actor=actor, publish=publish, progress=progress)
    known = {r.source_name: r.source_format for r in records}
    return ImportReport(plan.outcomes, publish=publish, dry_run=dry_run, formats={**known, **(formats or {})})


def import_files(parsed_files, **options) -> ImportReport:
    """import_records for ParsedFiles: their records, their problems, their formats."""
    records = [record for parsed in parsed_files for record in parsed.records]
    problems = [problem for parsed in parsed_files for problem in parsed.problems]
    formats = {parsed.name: parsed.format for parsed in parsed_files}
    return import_records(records, problems=problems, formats=formats, **options)
