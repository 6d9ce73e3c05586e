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


def get_api_token_for_user(user, pk):
    """One of the person's own API tokens; anyone else's is reported as missing (404)."""
    from peerhub.accounts.models import ApiToken

    owner_id = user.pk if getattr(user, "is_authenticated", False) else None
    token = ApiToken.objects.filter(pk=pk, user_id=owner_id).select_related("user").first()
    if owner_id is None or token is None:
        raise Http404("No such token.")
    return token


def get_user_for_admin(user, pk):
    """For managing accounts: 403 unless an administrator, then 404 for a missing account."""
    from peerhub.accounts.models import User

    require_admin(user)
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("No such account.")
    return account


def curator_required(view):
    """For curator pages: a visitor is sent to sign in; a signed-in person without the curator
    role is refused (403)."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_curator(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def get_term_for_curator(user, pk):
    """A taxonomy term curators may change: 403 for the wrong role, then 404 for a missing or
    merged (hidden) term."""
    from peerhub.library.models import Term

    require_curator(user)
    term = Term.objects.filter(pk=pk, merged_into__isnull=True).select_related("vocabulary", "parent").first()
    if term is None:
        raise Http404("No such term.")
    return term
