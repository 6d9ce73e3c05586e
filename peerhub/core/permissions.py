"""Every access rule of the hub, in one place.

Views, the API and commands fetch objects through these helpers. A record the person may not
see is reported as missing (404), so drafts do not leak their existence; an action beyond the
person's role is refused (403)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peerhub.accounts.models import Role


def has_role(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(role))


def require_role(user, role: str) -> None:
    if not has_role(user, role):
        raise PermissionDenied(f"This needs the {Role(role).label.lower()} role.")


def require_curator(user) -> None:
    require_role(user, Role.CURATOR)


def require_admin(user) -> None:
    require_role(user, Role.ADMIN)


def can_view_resource(user, resource) -> bool:
    from peerhub.library.models import Status

    if resource.status == Status.PUBLISHED or has_role(user, Role.CURATOR):
        return True
    return bool(user.is_authenticated and resource.submitted_by_id == user.pk)


def get_resource_for_user(user, pk):
    """The resource, if this person may see it; otherwise 404."""
    from peerhub.library.models import Resource

    resource = Resource.objects.filter(pk=pk).first()
    if resource is None or not can_view_resource(user, resource):
        raise Http404("No such resource.")
    return resource


def get_resource_for_curator(user, pk):
    """For curator actions: 403 for the wrong role, then 404 for a missing record."""
    from peerhub.library.models import Resource

    require_curator(user)
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        raise Http404("No such resource.")
    return resource
