"""Background jobs, on Django's tasks framework (run by the django-tasks-db worker, or inline
with the immediate backend). Arguments are ids, not objects, because jobs are stored as JSON;
each job loads what it needs and calls the same services the pages and commands call."""

from django.tasks import task

from peerhub.accounts.models import User
from peerhub.freshness import selectors, services
from peerhub.freshness.models import SavedSearch


@task()
def harvest_saved_search(search_id: int, actor_id: int | None = None) -> str:
    search = SavedSearch.objects.select_related("owner").filter(pk=search_id).first()
    if search is None:
        return f"Saved search {search_id} was deleted before it could run."
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return services.run_saved_search(search, actor=actor or search.owner).message


@task()
def check_links(every_link: bool = False) -> str:
    """The links due for a check, or (a curator's "check links now") every link."""
    return str(services.check_links(selectors.all_checkable_links() if every_link else None))


@task()
def send_freshness_digest() -> str:
    return services.send_digest()
