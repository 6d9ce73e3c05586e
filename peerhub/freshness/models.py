"""Saved searches that feed the curator queue, the history of link checks, and when each
scheduled job last ran."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Source(models.TextChoices):
    EUROPEPMC = "europepmc", "Europe PMC"
    PUBMED = "pubmed", "PubMed"
    CROSSREF = "crossref", "Crossref"
    OPENALEX = "openalex", "OpenAlex"


class ResultFormat(models.TextChoices):
    """Which of Europe PMC's answers a search reads (the harvester's `result_format`); each gives the
    same records. The other sources have one format and ignore it."""

    JSON = "json", "JSON"
    XML = "xml", "XML"
    DC = "dc", "Dublin Core XML"


class Schedule(models.TextChoices):
    OFF = "off", "Only when a curator runs it"
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Every week"


SCHEDULE_PERIODS = {Schedule.DAILY: timedelta(days=1), Schedule.WEEKLY: timedelta(days=7)}


class SavedSearch(models.Model):
    """A query a curator keeps, run against one bibliographic source on demand or on a schedule.
    What it finds goes to the curator queue through the importer pipeline, never to publication."""

    name = models.CharField(max_length=120, help_text="A short name curators will recognise")
    source = models.CharField(max_length=20, choices=Source.choices)
    query = models.CharField(max_length=1000)
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.OFF)
    max_records = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="The most records one run brings in",
    )
    result_format = models.CharField(
        max_length=10, choices=ResultFormat.choices, default=ResultFormat.JSON,
        help_text="Europe PMC only: which of its result formats to read",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="saved_searches")
    created_at = models.DateTimeField(auto_now_add=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.TextField(blank=True, help_text="What the last run did, in words")
    last_failed = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "saved searches"

    def __str__(self):
        return f"{self.name} ({self.get_source_display()})"

    @property
    def period(self) -> timedelta | None:
        return SCHEDULE_PERIODS.get(self.schedule)


class Outcome(models.TextChoices):
    OK = "ok", "Working"
    UNCERTAIN = "uncertain", "Could not confirm"  # the site refused the checker (401, 403, 429)
    BROKEN = "broken", "Broken"


class LinkCheck(models.Model):
    """One check of one resource's web address. `failures_in_row` counts this and the broken
    checks straight before it, so "failing twice in a row" is one comparison."""

    resource = models.ForeignKey("library.Resource", on_delete=models.CASCADE, related_name="link_checks")
    url = models.URLField(max_length=1000)
    checked_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    method = models.CharField(max_length=4, blank=True, help_text="HEAD, or GET when HEAD was not enough")
    error = models.CharField(max_length=300, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    failures_in_row = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["resource", "-checked_at"])]

    def __str__(self):
        return f"{self.url}: {self.get_outcome_display()}"

    @property
    def flagged(self) -> bool:
        return self.failures_in_row >= settings.LINK_FLAG_AFTER_FAILURES

    @property
    def problem(self) -> str:
        """What went wrong, in words."""
        if self.error:
            return self.error
        return f"The site answered {self.status_code}" if self.status_code else ""


class ScheduledJob(models.Model):
    """When a whole-catalogue job (the link check, the digest) was last enqueued and finished,
    so the scheduler enqueues it once per period however often it is run."""

    name = models.CharField(max_length=40, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.TextField(blank=True)

    def __str__(self):
        return self.name
