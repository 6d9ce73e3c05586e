"""What matters to people about peer support: exercises (surveys and live workshops), their
factors and questions, and the responses people give. Logic lives in services and selectors."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

# Short workshop codes avoid letters and digits that are easy to confuse on a phone (0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
DEFAULT_MIN_GROUP_SIZE = 10


def new_public_key() -> str:
    return secrets.token_urlsafe(12)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Mode(models.TextChoices):
    SURVEY = "survey", "Online survey"
    WORKSHOP = "workshop", "Live workshop"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for responses"
    CLOSED = "closed", "Closed"


class Exercise(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exercises")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.SURVEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    public_key = models.CharField(max_length=32, unique=True, default=new_public_key)
    join_code = models.CharField(max_length=JOIN_CODE_LENGTH, unique=True, default=new_join_code)
    consent_text = models.TextField()
    results_public = models.BooleanField(default=False)
    min_group_size = models.PositiveSmallIntegerField(
        default=DEFAULT_MIN_GROUP_SIZE, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    open_question = models.ForeignKey(
        "Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="In a live workshop, the round that participants can answer now.",
    )
    template = models.CharField(max_length=40, blank=True, help_text="The template it was created from, if any.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("whatmatters:manage", args=[self.pk])


class FactorOrigin(models.TextChoices):
    NATIONAL = "national", "From the national survey's list"
    HUB_DRAFT = "hub_draft", "The hub's own draft, not the national survey's list"
    ORGANISER = "organiser", "Added by the organiser"


class Factor(models.Model):
    """One factor (or workshop card). `code` (F1, F2 …) is how answers and CSV files refer to it."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(max_length=8)
    label = models.CharField(max_length=300)
    area = models.CharField(max_length=100, blank=True, help_text="A heading that groups cards, such as Access.")
    origin = models.CharField(max_length=12, choices=FactorOrigin.choices, default=FactorOrigin.ORGANISER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "code"], name="unique_factor_code_per_exercise"),
            models.UniqueConstraint(fields=["exercise", "label"], name="unique_factor_label_per_exercise"),
        ]

    def __str__(self):
        return self.label


class Kind(models.TextChoices):
    RANKING = "ranking", "Ranking of the factors"
    BEST_WORST = "best_worst", "Best-worst scaling (most and least important in sets)"
    RATING = "rating", "Rating on a scale"
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    DOTS = "dots", "Dot voting over the cards"
    MOSCOW = "moscow", "MoSCoW sorting of the cards"


# Question kinds that are about the exercise's factor list rather than their own options.
FACTOR_KINDS = {Kind.RANKING, Kind.BEST_WORST, Kind.DOTS, Kind.MOSCOW}


class Question(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(max_length=12, help_text="Its column name in CSV files, such as q3.")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    prompt = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    defines_groups = models.BooleanField(
        default=False, help_text="A profile question: its answers define the respondent groups."
    )
    options = models.JSONField(default=list, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    scale_low_label = models.CharField(max_length=60, blank=True)
    scale_high_label = models.CharField(max_length=60, blank=True)
    votes = models.PositiveSmallIntegerField(default=5)
    set_size = models.PositiveSmallIntegerField(default=4)
    design = models.JSONField(default=list, blank=True, help_text="Best-worst sets, as lists of factor codes.")

    class Meta:
        ordering = ["-defines_groups", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["exercise", "key"], name="unique_question_key_per_exercise")]

    def __str__(self):
        return self.prompt

    @property
    def uses_factors(self) -> bool:
        return self.kind in FACTOR_KINDS


class Source(models.TextChoices):
    ONLINE = "online", "Online survey"
    WORKSHOP = "workshop", "Live workshop"
    API = "api", "API"
    IMPORT = "import", "Imported data"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class Response(models.Model):
    """One respondent. Online answers wait in `draft` until the person sends them; then every
    Answer row is written at once. Survey design columns come from imported data (online: weight 1)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="responses")
    key = models.CharField(max_length=32, unique=True, default=new_public_key)
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS)
    group = models.CharField(max_length=300, blank=True)
    consent_text = models.TextField(blank=True, help_text="The consent text exactly as the person saw it.")
    consented_at = models.DateTimeField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)
    weight = models.FloatField(default=1.0)
    strata = models.CharField(max_length=100, blank=True)
    cluster = models.CharField(max_length=100, blank=True)
    fpc = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["exercise", "status"])]

    def __str__(self):
        return f"Response {self.pk} to {self.exercise_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to {self.question_id} in {self.response_id}"


class SubmissionReceipt(models.Model):
    """The idempotency token of every form render (or API request) that wrote something: a second
    use of the same token is a duplicate, detected by the unique constraint inside the write's transaction."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="receipts")
    token = models.CharField(max_length=64)
    response = models.ForeignKey(Response, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "token"], name="unique_receipt_token")]

    def __str__(self):
        return self.token


class DataImport(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, help_text="sha256 of the file, so the same file is not imported twice.")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["exercise", "digest"], name="unique_import_per_exercise")]

    def __str__(self):
        return self.filename
