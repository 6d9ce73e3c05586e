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


def _first_or_404(queryset, pk, what: str, may_see=None):
    """The record, or 404 when it is missing or this person may not know it exists."""
    found = queryset.filter(pk=pk).first()
    if found is None or (may_see is not None and not may_see(found)):
        raise Http404(f"No such {what}.")
    return found


def _for_curator(user, queryset, pk, what: str):
    """Curator actions: 403 for the wrong role first, then 404 for a missing record."""
    require_curator(user)
    return _first_or_404(queryset, pk, what)


def can_view_resource(user, resource) -> bool:
    from peerhub.library.models import Status

    if resource.status == Status.PUBLISHED or has_role(user, Role.CURATOR):
        return True
    return bool(user.is_authenticated and resource.submitted_by_id == user.pk)


def get_resource_for_user(user, pk):
    """The resource, if this person may see it; otherwise 404."""
    from peerhub.library.models import Resource

    return _first_or_404(Resource.objects, pk, "resource", lambda resource: can_view_resource(user, resource))


def get_resource_for_curator(user, pk):
    """For curator actions: 403 for the wrong role, then 404 for a missing record."""
    from peerhub.library.models import Resource

    return _for_curator(user, Resource.objects, pk, "resource")


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
    return _first_or_404(User.objects, pk, "account")


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

    terms = Term.objects.filter(merged_into__isnull=True).select_related("vocabulary", "parent")
    return _for_curator(user, terms, pk, "term")


# Stories -------------------------------------------------------------------------------------

def is_professional(user) -> bool:
    """Someone a storyteller's "professionals only" consent covers: an account an administrator
    has confirmed as a health or care professional, or a curator (who moderates stories anyway)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_professional or has_role(user, Role.CURATOR)


def readable_stories_q(user):
    """The published stories this person may read: open ones for everyone, "professionals only"
    ones for confirmed professionals and curators."""
    from django.db.models import Q

    from peerhub.stories.models import StoryStatus, Visibility

    published = Q(status=StoryStatus.PUBLISHED)
    if is_professional(user):
        return published
    return published & Q(visibility=Visibility.OPEN)


def can_view_story(user, story) -> bool:
    from peerhub.stories.models import StoryStatus, Visibility

    if has_role(user, Role.CURATOR) or story.status == StoryStatus.WITHDRAWN:
        return True  # a withdrawn story is only a tombstone: saying so reveals nothing
    if story.status != StoryStatus.PUBLISHED:
        return False
    return story.visibility == Visibility.OPEN or is_professional(user)


def get_story_for_user(user, pk):
    """The story (or its tombstone), if this person may see it; otherwise 404."""
    from peerhub.stories.models import Story

    return _first_or_404(Story.objects, pk, "story", lambda story: can_view_story(user, story))


def get_story_for_curator(user, pk):
    """For moderation: 403 for the wrong role, then 404 for a missing or withdrawn story."""
    from peerhub.stories.models import Story, StoryStatus

    return _for_curator(user, Story.objects.exclude(status=StoryStatus.WITHDRAWN), pk, "story")


def get_topography_term_for_curator(user, pk):
    from peerhub.stories.models import TopographyTerm

    return _for_curator(user, TopographyTerm.objects, pk, "term")


def can_organise_exercise(user, exercise) -> bool:
    """A what-matters exercise is run by its organiser; curators may run any."""
    return has_role(user, Role.CURATOR) or bool(has_role(user, Role.CONTRIBUTOR) and exercise.organiser_id == user.pk)


def can_view_exercise_results(user, exercise) -> bool:
    from peerhub.whatmatters.models import Status

    published = exercise.results_public and exercise.status != Status.DRAFT
    return published or can_organise_exercise(user, exercise)


def get_exercise_for_organiser(user, pk):
    """For running an exercise and downloading its data: 404 for a missing exercise or one whose
    results the person cannot see (so drafts do not leak), 403 for published results they do not run."""
    from peerhub.whatmatters.models import Exercise

    exercise = Exercise.objects.filter(pk=pk).select_related("organiser", "open_question").first()
    if exercise is None or not can_view_exercise_results(user, exercise):
        raise Http404("No such exercise.")
    if not can_organise_exercise(user, exercise):
        raise PermissionDenied("Only the exercise's organisers and curators can do that.")
    return exercise


def get_exercise_results_for_user(user, pk):
    """An exercise's results page: published results for everyone, otherwise its organisers only (404)."""
    from peerhub.whatmatters.models import Exercise

    exercises = Exercise.objects.select_related("organiser")
    return _first_or_404(exercises, pk, "exercise", lambda exercise: can_view_exercise_results(user, exercise))


def require_organiser(user) -> None:
    """Any signed-in contributor may organise their own exercises."""
    require_role(user, Role.CONTRIBUTOR)


def contributor_required(view):
    """For pages that need an account (e.g. a provider's listings): a visitor is sent to sign in."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_role(request.user, Role.CONTRIBUTOR)
        return view(request, *args, **kwargs)

    return wrapped


def can_view_listing_submission(user, submission) -> bool:
    if has_role(user, Role.CURATOR):
        return True
    return bool(getattr(user, "is_authenticated", False) and submission.submitted_by_id == user.pk)


def get_listing_submission_for_user(user, pk):
    """A directory listing submission: its provider and curators see it; anyone else gets 404."""
    from peerhub.directory.models import ListingSubmission

    submissions = ListingSubmission.objects.select_related("service", "submitted_by")
    return _first_or_404(submissions, pk, "submission", lambda found: can_view_listing_submission(user, found))


def get_listing_submission_for_curator(user, pk):
    """For approving or rejecting a listing submission: 403 for the wrong role, then 404."""
    from peerhub.directory.models import ListingSubmission

    submissions = ListingSubmission.objects.select_related("service", "submitted_by")
    return _for_curator(user, submissions, pk, "submission")


def get_directory_service_for_curator(user, pk):
    """A directory listing for a curator action (e.g. sending a reminder): 403, then 404."""
    from peerhub.directory.models import Service

    return _for_curator(user, Service.objects.select_related("organization"), pk, "listing")


def get_saved_search_for_curator(user, pk):
    """A harvesting saved search (any curator may run or change any): 403 for the wrong role, then 404."""
    from peerhub.freshness.models import SavedSearch

    return _for_curator(user, SavedSearch.objects.select_related("owner"), pk, "saved search")
