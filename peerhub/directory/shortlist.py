"""A professional's shortlist of listings to hand to a patient, kept in the session (no account
needed, nothing stored about the patient)."""

import uuid

SESSION_KEY = "directory_shortlist"
MAX_ITEMS = 20


def shortlist_ids(session) -> list[uuid.UUID]:
    return [uuid.UUID(value) for value in session.get(SESSION_KEY, [])]


def add_to_shortlist(session, service_id: uuid.UUID) -> bool:
    """False when the shortlist is already full."""
    ids = session.get(SESSION_KEY, [])
    if str(service_id) in ids:
        return True
    if len(ids) >= MAX_ITEMS:
        return False
    session[SESSION_KEY] = [*ids, str(service_id)]
    return True


def remove_from_shortlist(session, service_id: uuid.UUID) -> None:
    session[SESSION_KEY] = [value for value in session.get(SESSION_KEY, []) if value != str(service_id)]


def clear_shortlist(session) -> None:
    session.pop(SESSION_KEY, None)
