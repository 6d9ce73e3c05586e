"""The evidence library: resources, and the hierarchical taxonomy that categorises them."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Vocabulary(models.Model):
    """A facet of the taxonomy (conditions, communities, format…). Curators add terms to it."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    question = models.CharField(max_length=120, blank=True, help_text="How the facet is asked, in plain English")
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "vocabularies"

    def __str__(self):
        return self.name


class Term(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_terms",
        help_text="Set when this term was merged into another; it is then hidden everywhere.",
    )

    class Meta:
        ordering = ["vocabulary__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "slug"], name="unique_term_slug_per_vocabulary")]

    def __str__(self):
        return self.name


class ResourceType(models.TextChoices):
    RESEARCH_STUDY = "research_study", "Research study"
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review"
    EVALUATION_REPORT = "evaluation_report", "Evaluation report"
    TOOLKIT = "toolkit", "Toolkit or guide"
    TRAINING = "training", "Training material"
    POLICY = "policy", "Policy or strategy"
    REPORT = "report", "Report"
    VIDEO_AUDIO = "video_audio", "Video or audio"
    WEBSITE = "website", "Website or service information"


class Access(models.TextChoices):
    FREE = "free", "Free to read"
    REGISTRATION = "registration", "Free with registration"
    PAYWALLED = "paywalled", "Paywalled"


class StudyDesign(models.TextChoices):
    SYSTEMATIC_REVIEW = "systematic_review", "Systematic review or meta-analysis"
    RCT = "rct", "Randomised controlled trial"
    NON_RANDOMISED = "non_randomised", "Non-randomised comparison"
    COHORT = "cohort", "Cohort or before-and-after study"
    CROSS_SECTIONAL = "cross_sectional", "Survey or cross-sectional study"
    QUALITATIVE = "qualitative", "Qualitative study"
    MIXED_METHODS = "mixed_methods", "Mixed methods study"
    SERVICE_EVALUATION = "service_evaluation", "Service evaluation"
    CASE_STUDY = "case_study", "Case study"
    LIVED_EXPERIENCE = "lived_experience", "Lived experience account"
    EXPERT_OPINION = "expert_opinion", "Expert opinion or guidance"
    NOT_APPLICABLE = "not_applicable", "Not a study"


class Quality(models.TextChoices):
    """The curator's rating: a four-point scale modelled on GRADE, in plain English.
    The meaning of each level is shown to readers beside the rating (see QUALITY_MEANINGS)."""

    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"


QUALITY_MEANINGS = {
    Quality.HIGH: "We are confident the findings are trustworthy. Further research is unlikely to change them.",
    Quality.MODERATE: "The findings are probably trustworthy, but further research could change them.",
    Quality.LOW: "The findings may be useful but are uncertain. Further research is likely to change them.",
    Quality.VERY_LOW: "The findings are very uncertain. Treat them as a starting point, not as proof.",
}
QUALITY_ORDER = [Quality.HIGH, Quality.MODERATE, Quality.LOW, Quality.VERY_LOW]


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not accepted"
    UNPUBLISHED = "unpublished", "Unpublished"


class Resource(models.Model):
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True, help_text="Plain English: what it is, who it helps, what it found")
    description = models.TextField(blank=True, help_text="Description or abstract")
    resource_type = models.CharField(max_length=30, choices=ResourceType.choices)
    authors = models.JSONField(default=list, blank=True, help_text="List of author names, in order")
    organisation = models.CharField(max_length=255, blank=True, help_text="Publishing organisation")
    pub_year = models.PositiveSmallIntegerField(null=True, blank=True)
    pub_month = models.PositiveSmallIntegerField(null=True, blank=True)
    pub_day = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    doi = models.CharField(max_length=255, blank=True, db_index=True)
    pmid = models.CharField(max_length=20, blank=True, db_index=True)
    isbn = models.CharField(max_length=20, blank=True)
    access = models.CharField(max_length=20, choices=Access.choices, blank=True)
    licence = models.CharField(max_length=120, blank=True)
    terms = models.ManyToManyField(Term, blank=True, related_name="resources")

    study_design = models.CharField(max_length=30, choices=StudyDesign.choices, blank=True)
    quality = models.CharField(max_length=20, choices=Quality.choices, blank=True)
    appraisal_rationale = models.TextField(blank=True)

    last_checked = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    rejection_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    submitter_email = models.EmailField(blank=True)
    is_example = models.BooleanField(default=False, help_text="A hand-written example, not a real publication")
    source = models.CharField(max_length=200, blank=True, help_text="Where the record came from")

    # Normalised keys for duplicate detection, kept up to date by the services layer.
    url_key = models.CharField(max_length=1000, blank=True, db_index=True)
    title_key = models.CharField(max_length=500, blank=True, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-pub_year"]),
            models.Index(fields=["status", "-last_checked"]),
            models.Index(fields=["status", "resource_type"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:detail", args=[self.pk])
