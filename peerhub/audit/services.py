"""Writes to the audit history. Callers pass plain snapshots (dicts of JSON values)."""

from peerhub.audit.models import AuditEvent
from peerhub.core.bulk import insert_rows


def diff_snapshots(before: dict, after: dict) -> dict:
    """Field-level difference: {field: [before, after]} for every field whose value changed."""
    if not before:  # a new record (every event of a large import): each field set to a value changed
        return {f: [None, after[f]] for f in sorted(after) if after[f] is not None}
    fields = sorted(set(before) | set(after))
    return {f: [before.get(f), after.get(f)] for f in fields if before.get(f) != after.get(f)}


def actor_label_for(actor, fallback: str = "") -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.email
    return f"visitor {fallback}".strip()


def record_event(*, subject_type, subject_id, action, actor, before, after, note="", actor_fallback=""):
    return AuditEvent.objects.create(
        subject_type=subject_type,
        subject_id=str(subject_id),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label_for(actor, actor_fallback),
        changes=diff_snapshots(before or {}, after or {}),
        snapshot=after or {},
        note=note,
    )


def record_events_in_bulk(events: list[dict], batch_size: int = 500) -> list[int]:
    """Many events in a few INSERTs (large imports): each dict takes record_event's arguments.
    The same rows record_event would write, so the history pages cannot tell them apart; returns
    their ids."""
    rows = [
        {"subject_type": e["subject_type"], "subject_id": str(e["subject_id"]), "action": e["action"],
         "actor_id": e["actor"].pk if getattr(e["actor"], "is_authenticated", False) else None,
         "actor_label": actor_label_for(e["actor"], e.get("actor_fallback", "")),
         "changes": diff_snapshots(e.get("before") or {}, e.get("after") or {}),
         "snapshot": e.get("after") or {}, "note": e.get("note", "")}
        for e in events
    ]
    return insert_rows(AuditEvent, rows, batch_size=batch_size)  # no model instance per event
