"""Writes to the audit history. Callers pass plain snapshots (dicts of JSON values)."""

from peerhub.audit.models import AuditEvent


def diff_snapshots(before: dict, after: dict) -> dict:
    """Field-level difference: {field: [before, after]} for every field whose value changed."""
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
