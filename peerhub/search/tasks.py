"""Background jobs of the search index (Django's tasks framework; see freshness.tasks)."""

from django.tasks import task

from peerhub.search import maintenance


@task()
def merge_pending_index_entries() -> str:
    """After a large import on PostgreSQL: move the GIN indexes' pending entries into the indexes."""
    merged = maintenance.merge_pending_index_entries()
    return f"Merged {merged:,} pending index pages."
