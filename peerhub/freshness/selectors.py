"""Reads for freshness: what the dashboard, the digest, the link checker and the scheduler need.
The dashboard page, the digest email and the commands all read through these functions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery

from peerhub.accounts.models import Role, User
from peerhub.freshness.models import LinkCheck, SavedSearch, Schedule, ScheduledJob
from peerhub.library.models import Resource, Status

# Records whose links the checker looks at: the public catalogue and what waits in the queue.
CHECKED_STATUSES = (Status.PUBLISHED, Status.SUBMITTED)
DASHBOARD_LIMIT = 100


@dataclass(frozen=True)
class AgeBand:
    """A band of the catalogue by days since its last check, from `min_days` to `max_days`
    (both inclusive); None means open-ended."""

    slug: str
    label: str
    min_days: int | None
    max_days: int | None


AGE_BANDS = [
    AgeBand("recent", "Checked in the last 3 months", None, 90),
    AgeBand("months", "Checked 3 to 12 months ago", 91, 365),
    AgeBand("year", "Checked 1 to 2 years ago", 366, 730),
    AgeBand("old", "Checked more than 2 years ago", 731, None),
]
NEVER = AgeBand("never", "Never checked", None, None)
BANDS_BY_SLUG = {band.slug: band for band in [*AGE_BANDS, NEVER]}


def catalogue():
    return Resource.objects.filter(status=Status.PUBLISHED)


def _latest_check_ids():
    latest = LinkCheck.objects.filter(resource=OuterRef("pk")).order_by("-checked_at", "-pk").values("pk")[:1]
    return Resource.objects.annotate(latest_check=Subquery(latest)).exclude(latest_check=None).values("latest_check")


def broken_links():
    """The latest check of each record whose link has failed twice or more in a row, worst first."""
    return (LinkCheck.objects.filter(pk__in=_latest_check_ids(), failures_in_row__gte=settings.LINK_FLAG_AFTER_FAILURES)
            .filter(resource__status__in=CHECKED_STATUSES)
            .select_related("resource").order_by("-failures_in_row", "resource__title"))


def overdue_reviews(today: date):
    return catalogue().filter(review_due__lt=today).order_by("review_due", "title")


def never_checked():
    return catalogue().filter(last_checked__isnull=True).order_by("created_at", "pk")


def in_band(band: AgeBand, today: date):
    """Published records whose last check falls in the band (by Resource.last_checked)."""
    if band is NEVER:
        return never_checked()
    records = catalogue()
    if band.max_days is not None:
        records = records.filter(last_checked__gte=today - timedelta(days=band.max_days))
    if band.min_days is not None:
        records = records.filter(last_checked__lte=today - timedelta(days=band.min_days))
    return records.exclude(last_checked__isnull=True).order_by("last_checked", "title")


def ageing(today: date) -> list[tuple[AgeBand, int]]:
    """How many published records fall in each band, in one query."""
    counts = catalogue().aggregate(**{band.slug: Count("pk", filter=_band_q(band, today)) for band in AGE_BANDS},
                                   never=Count("pk", filter=Q(last_checked__isnull=True)))
    return [(band, counts[band.slug]) for band in [*AGE_BANDS, NEVER]]


def _band_q(band: AgeBand, today: date) -> Q:
    q = Q(last_checked__isnull=False)
    if band.max_days is not None:
        q &= Q(last_checked__gte=today - timedelta(days=band.max_days))
    if band.min_days is not None:
        q &= Q(last_checked__lte=today - timedelta(days=band.min_days))
    return q


def links_due_for_check(now: datetime):
    """Records with a web address not checked within LINK_CHECK_INTERVAL_DAYS (or never)."""
    cutoff = now - timedelta(days=settings.LINK_CHECK_INTERVAL_DAYS)
    latest = LinkCheck.objects.filter(resource=OuterRef("pk")).order_by("-checked_at").values("checked_at")[:1]
    return (Resource.objects.filter(status__in=CHECKED_STATUSES).exclude(url="")
            .annotate(last_link_check=Subquery(latest))
            .filter(Q(last_link_check__isnull=True) | Q(last_link_check__lt=cutoff)).order_by("pk"))


def all_checkable_links():
    return Resource.objects.filter(status__in=CHECKED_STATUSES).exclude(url="").order_by("pk")


def latest_check(resource: Resource) -> LinkCheck | None:
    return resource.link_checks.order_by("-checked_at", "-pk").first()


def saved_searches():
    return SavedSearch.objects.select_related("owner").order_by("name", "pk")


def due_saved_searches(now: datetime) -> list[SavedSearch]:
    """Scheduled searches not enqueued within their period (daily or weekly)."""
    scheduled = SavedSearch.objects.exclude(schedule=Schedule.OFF).order_by("pk")
    return [s for s in scheduled if s.last_enqueued_at is None or s.last_enqueued_at + s.period <= now]


def failing_saved_searches():
    return saved_searches().filter(last_failed=True)


def job(name: str) -> ScheduledJob | None:
    return ScheduledJob.objects.filter(name=name).first()


def curators() -> list[User]:
    """Everyone the digest goes to: active accounts with the curator or administrator role."""
    return list(User.objects.filter(is_active=True, role__in=[Role.CURATOR, Role.ADMIN]).order_by("email"))


def queue_size() -> int:
    return Resource.objects.filter(status=Status.SUBMITTED).count()


@dataclass
class Attention:
    """What needs a curator's attention: shown on the dashboard and sent in the digest."""

    broken: list[LinkCheck]
    broken_count: int
    overdue: list[Resource]
    overdue_count: int
    never_checked: list[Resource]
    never_checked_count: int
    failing_searches: list[SavedSearch]
    queue: int

    @property
    def anything(self) -> bool:
        return bool(self.broken_count or self.overdue_count or self.never_checked_count or self.failing_searches)


def attention(today: date, limit: int = DASHBOARD_LIMIT) -> Attention:
    broken, overdue, unchecked = broken_links(), overdue_reviews(today), never_checked()
    return Attention(
        broken=list(broken[:limit]), broken_count=broken.count(),
        overdue=list(overdue[:limit]), overdue_count=overdue.count(),
        never_checked=list(unchecked[:limit]), never_checked_count=unchecked.count(),
        failing_searches=list(failing_saved_searches()), queue=queue_size(),
    )
