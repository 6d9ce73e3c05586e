from peerhub.audit.models import AuditEvent


def history_for(subject_type: str, subject_id) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).select_related("actor")
    )


def event_for(subject_type: str, subject_id, event_id: int) -> AuditEvent:
    return AuditEvent.objects.get(subject_type=subject_type, subject_id=str(subject_id), pk=event_id)
