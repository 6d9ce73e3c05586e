"""Stories of peer support, each described by its topography: who tells it (storyteller), why
(purpose), for whom (audience), the change it seeks or has seen (outcome) and what it asks the
audience to do (actions). Each dimension is a curator-editable vocabulary plus free text.

Consent is recorded with the story. When a storyteller withdraws, every personal field is
erased and only a tombstone row stays (see services.withdraw_story)."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class Dimension(models.TextChoices):
    STORYTELLER = "storyteller", "Storyteller"
    PURPOSE = "purpose", "Purpose"
    AUDIENCE = "audience", "Audience"
    OUTCOME = "outcome", "Outcome"
    ACTIONS = "actions", "Actions"


# The fixed order of the dimensions: it sets each one's spoke in the fingerprint.
DIMENSION_ORDER = [Dimension.STORYTELLER, Dimension.PURPOSE, Dimension.AUDIENCE, Dimension.OUTCOME, Dimension.ACTIONS]
# A fingerprint spoke has room for this many distinct positions; a term keeps its position for life.
MAX_POSITIONS = 12


class TopographyTerm(models.Model):
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(help_text="Place on the fingerprint spoke; never reused")
    is_active = models.BooleanField(default=True, help_text="Retired terms stay on old stories but are not offered")

    class Meta:
        ordering = ["dimension", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "slug"], name="unique_topography_slug"),
            models.UniqueConstraint(fields=["dimension", "position"], name="unique_topography_position"),
        ]

    def __str__(self):
        return self.name


class Medium(models.TextChoices):
    WRITTEN = "written", "Written story"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio recording"
    BOOK = "book", "Book"
    EVENT = "event", "Event"


class Visibility(models.TextChoices):
    OPEN = "open", "Publish openly, for anyone to read"
    SIGNED_IN = "signed_in", "Publish only to health and care professionals signed in to the hub"


class StoryStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"
    WITHDRAWN = "withdrawn", "Withdrawn by storyteller"


class Story(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The story in the storyteller's words")
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.WRITTEN)
    media_url = models.URLField(max_length=1000, blank=True, help_text="Link to the video, recording, book or event")
    transcript = models.TextField(blank=True, help_text="Transcript or summary of the linked recording, book or event")

    terms = models.ManyToManyField(TopographyTerm, blank=True, related_name="stories")
    storyteller_detail = models.CharField(max_length=500, blank=True, help_text="Self-described, in their words")
    purpose_detail = models.CharField(max_length=500, blank=True)
    audience_detail = models.CharField(max_length=500, blank=True)
    outcome_detail = models.CharField(max_length=500, blank=True)
    actions_detail = models.CharField(max_length=500, blank=True)

    hub_terms = models.ManyToManyField("library.Term", blank=True, related_name="stories",
                                       help_text="Conditions and communities from the hub's taxonomy")
    resources = models.ManyToManyField("library.Resource", blank=True, related_name="stories")
    service_ids = models.JSONField(default=list, blank=True, help_text="Directory service UUIDs, as strings")
    library_resource = models.ForeignKey("library.Resource", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="offered_stories")

    # Consent, as the storyteller gave it.
    email = models.EmailField(blank=True, help_text="The storyteller's; never shown or exported")
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.OPEN)
    is_named = models.BooleanField(default=False)
    storyteller_name = models.CharField(max_length=120, blank=True)
    open_data = models.BooleanField(default=False, help_text="May be included in open-data exports")
    consent_text = models.TextField(blank=True, help_text="The consent statement as shown, with the choices made")
    consented_at = models.DateTimeField(null=True, blank=True)
    under_16 = models.BooleanField(default=False)
    guardian_name = models.CharField(max_length=120, blank=True)
    guardian_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")
    guardian_confirmed_at = models.DateTimeField(null=True, blank=True)

    # Safety checks, run at submission and again whenever a moderator edits.
    personal_data_flags = models.JSONField(default=list, blank=True)
    needs_safety_review = models.BooleanField(default=False)
    safety_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")

    status = models.CharField(max_length=20, choices=StoryStatus.choices, default=StoryStatus.SUBMITTED,
                              db_index=True)
    rejection_reason = models.TextField(blank=True)
    is_example = models.BooleanField(default=False, help_text="A fictitious example, not a real person's story")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self):
        return self.title or f"Story {self.pk}"

    def get_absolute_url(self):
        return reverse("stories:detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.status == StoryStatus.WITHDRAWN

    @property
    def display_name(self) -> str:
        """Never a name unless the storyteller chose to be named."""
        return self.storyteller_name if self.is_named and self.storyteller_name else "Anonymous storyteller"
