"""Forms for suggesting a resource, curating it, and editing the taxonomy.

Forms only check and tidy what people typed; the services do the saving. None of these is a
ModelForm, on purpose: a ModelForm writes into the instance while validating, which would spoil
the "before" picture the audit history needs."""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.utils import timezone

from peerhub.core.forms import NHSFormMixin
from peerhub.library.identifiers import DOI_RE, normalise_doi, normalise_isbn
from peerhub.library.models import QUALITY_MEANINGS, QUALITY_ORDER, Access, ResourceType, StudyDesign

SUBMISSION_VOCABULARIES = ["condition", "community", "format"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
EARLIEST_YEAR = 1900
MAX_AUTHORS, MAX_AUTHOR_CHARS = 200, 200
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
INDENT_CLASSES = ["", "nhsuk-u-margin-left-6", "nhsuk-u-margin-left-8", "nhsuk-u-margin-left-9"]
# Added after NHSFormMixin has set each widget's main class, which must stay first (its error
# class is derived from the first class).
INPUT_WIDTHS = {"pub_year": "nhsuk-input--width-4", "pub_day": "nhsuk-input--width-2",
                "pmid": "nhsuk-input--width-10", "isbn": "nhsuk-input--width-20",
                "last_checked": "nhsuk-input--width-10", "review_due": "nhsuk-input--width-10"}


@dataclass
class OptionLabel:
    """A checkbox or radio label that also carries a hint and an indent for child terms."""

    text: str
    hint: str = ""
    depth: int = 0
    parent_name: str = ""

    def __str__(self):
        return self.text

    @property
    def indent_class(self) -> str:
        return INDENT_CLASSES[min(self.depth, len(INDENT_CLASSES) - 1)]


def _term_label(node) -> OptionLabel:
    return OptionLabel(node.term.name, depth=node.depth, parent_name=node.parent.name if node.parent else "")


def term_field(tree, *, required=False) -> forms.TypedMultipleChoiceField:
    vocabulary = tree.vocabulary
    choices = [(node.term.pk, _term_label(node)) for node in tree.flat()]
    return forms.TypedMultipleChoiceField(
        label=vocabulary.question or vocabulary.name, choices=choices, coerce=int, required=required,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply.",
        error_messages={"invalid_choice": f"Choose from the {vocabulary.name.lower()} list. "
                                          "That one may have been removed since the page loaded."},
    )


class TermFieldsMixin:
    """One checkbox group per vocabulary, named terms_<slug>. It sits between NHSFormMixin and
    Form, so the design system classes are added to these fields too."""

    def __init__(self, *args, vocabularies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabulary_trees = list(vocabularies)
        for tree in self.vocabulary_trees:
            self.fields[f"terms_{tree.vocabulary.slug}"] = term_field(tree)
        self.order_fields(self.page_order())

    def page_order(self) -> list[str]:
        return list(self.fields)

    def term_field_names(self) -> list[str]:
        return [f"terms_{tree.vocabulary.slug}" for tree in self.vocabulary_trees]

    def term_ids(self) -> list[int]:
        return sorted({pk for name in self.term_field_names() for pk in self.cleaned_data.get(name, [])})


def next_year() -> int:
    return timezone.localdate().year + 1


class ResourceFieldsForm(NHSFormMixin, TermFieldsMixin, forms.Form):
    """The fields a resource has, shared by the suggestion form and the curator's edit form."""

    title = forms.CharField(max_length=500, error_messages={
        "required": "Enter the title of the resource",
        "max_length": "The title must be 500 characters or fewer",
    })
    url = forms.URLField(label="Link", max_length=1000, required=False, assume_scheme="https",
                         help_text="Where people can read or get it, like https://www.example.org/report. "
                                   "If it has no web address, give a DOI, PubMed ID or ISBN below.",
                         error_messages={"invalid": "Enter a web address in the right format, like "
                                                    "https://www.example.org/report",
                                         "max_length": "The link must be 1,000 characters or fewer"})
    resource_type = forms.ChoiceField(label="Type of resource", choices=[("", "Choose a type"), *ResourceType.choices],
                                      error_messages={"required": "Choose the type of resource"})
    summary = forms.CharField(label="Summary in plain English", required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="What it is, who it helps and what it found, in a few sentences.",
                              max_length=3000, error_messages={"max_length": "Keep the summary to 3,000 characters"})
    description = forms.CharField(label="Description or abstract", required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 8}),
                                  error_messages={"max_length": "The description must be 20,000 characters or fewer"})
    authors = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="One author per line, in the order they appear, like: Smith J")
    organisation = forms.CharField(label="Publishing organisation", max_length=255, required=False,
                                   error_messages={"max_length": "The organisation must be 255 characters or fewer"})
    pub_year = forms.IntegerField(label="Year published", required=False, widget=forms.TextInput(
        attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the year as a number, like 2021"})
    pub_month = forms.TypedChoiceField(label="Month published", required=False, coerce=int, empty_value=None,
                                       choices=[("", "Not known"), *[(i, m) for i, m in enumerate(MONTHS, 1)]],
                                       error_messages={"invalid_choice": "Choose a month from the list"})
    doi = forms.CharField(label="DOI (digital object identifier)", max_length=255, required=False,
                          help_text="Starts with 10., like 10.1136/bmj.m1234")
    pmid = forms.CharField(label="PubMed ID (PMID)", max_length=20, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                           help_text="Digits only, like 31234567")
    isbn = forms.CharField(label="ISBN", max_length=20, required=False,
                           help_text="For a book: 10 or 13 characters, like 978-0-19-852663-6")
    access = forms.ChoiceField(label="Can people read it for free?", choices=[("", "Not known"), *Access.choices],
                               required=False,
                               widget=forms.RadioSelect,
                               error_messages={"invalid_choice": "Choose how people can get the resource"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, width in INPUT_WIDTHS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += f" {width}"

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_authors(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["authors"].splitlines()]
        names = [name for name in names if name]
        if len(names) > MAX_AUTHORS:
            raise forms.ValidationError(f"List up to {MAX_AUTHORS} authors. For a large group, give the group's name.")
        if any(len(name) > MAX_AUTHOR_CHARS for name in names):
            raise forms.ValidationError(f"Each author must be {MAX_AUTHOR_CHARS} characters or fewer. "
                                        "Put each author on their own line.")
        return names

    def clean_pub_year(self):
        year = self.cleaned_data["pub_year"]
        if year is not None and not EARLIEST_YEAR <= year <= next_year():
            raise forms.ValidationError(f"Enter a year between {EARLIEST_YEAR} and next year ({next_year()})")
        return year

    def clean_doi(self) -> str:
        raw = self.cleaned_data["doi"].strip()
        if raw and not DOI_RE.search(raw):
            raise forms.ValidationError("Enter a DOI that looks like 10.1136/bmj.m1234 (it starts with 10. "
                                        "followed by numbers, a slash and more characters)")
        return normalise_doi(raw)

    def clean_pmid(self) -> str:
        raw = self.cleaned_data["pmid"].strip()
        if raw.upper().startswith("PMID"):
            raw = raw[4:].lstrip(" :")
        if raw and not re.fullmatch(r"\d{1,9}", raw):
            raise forms.ValidationError("A PubMed ID (PMID) is made of digits only, like 31234567")
        return raw.lstrip("0")

    def clean_isbn(self) -> str:
        isbn = normalise_isbn(self.cleaned_data["isbn"])
        if isbn and not isbn_is_valid(isbn):
            raise forms.ValidationError("Enter a real ISBN of 10 or 13 characters, like 978-0-19-852663-6. "
                                        "Check the digits: the last one is a check digit.")
        return isbn

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pub_month") and not cleaned.get("pub_year") and "pub_year" not in self.errors:
            self.add_error("pub_year", "Enter the year as well as the month")
        return cleaned

    def resource_data(self) -> dict:
        """What the services need: every resource field on this form, by its model name."""
        return {name: value for name, value in self.cleaned_data.items() if name in self.resource_field_names()}

    def resource_field_names(self) -> set[str]:
        return {"title", "url", "resource_type", "summary", "description", "authors", "organisation", "pub_year",
                "pub_month", "doi", "pmid", "isbn", "access"}


def isbn_is_valid(isbn: str) -> bool:
    if re.fullmatch(r"\d{9}[\dX]", isbn):
        total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(isbn))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", isbn):
        total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(isbn))
        return total % 10 == 0
    return False


class SubmissionForm(ResourceFieldsForm):
    """Suggesting a resource. Visitors give an email address; contributors' comes from their account."""

    note = forms.CharField(label="Anything the curators should know?", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example, why it is useful, or how you know about it.",
                           error_messages={"max_length": "Keep the note to 2,000 characters"})
    email = forms.EmailField(label="Your email address", max_length=254,
                             help_text="We will only use it to tell you whether the resource was added to the library.",
                             error_messages={"required": "Enter your email address, so we can tell you our decision",
                                             "invalid": "Enter an email address in the right format, like "
                                                        "name@example.com"})
    not_duplicate = forms.BooleanField(label="This is not a duplicate, submit it anyway", required=False)

    def __init__(self, *args, needs_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_email:
            del self.fields["email"]

    def page_order(self) -> list[str]:
        return ["title", "url", "resource_type", "summary", "description", "authors", "organisation", "pub_year",
                "pub_month", "doi", "pmid", "isbn", "access", *self.term_field_names(), "note", "email",
                "not_duplicate"]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        identifiers = ("url", "doi", "pmid", "isbn")
        if not any(cleaned.get(name) for name in identifiers) and not any(n in self.errors for n in identifiers):
            self.add_error("url", "Enter a link, DOI, PubMed ID or ISBN, so the curators can find the resource")
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


def date_field(label: str, hint: str) -> forms.DateField:
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS, widget=DateInput(), help_text=hint,
        error_messages={"invalid": f"Enter {label.lower()} as a real date, like 27/03/2025"})


def quality_choices() -> list[tuple[str, OptionLabel]]:
    levels = [(level.value, OptionLabel(level.label, hint=QUALITY_MEANINGS[level])) for level in QUALITY_ORDER]
    unrated = OptionLabel("Not rated yet", hint="For a resource that is not evidence, or not yet appraised.")
    return [*levels, ("", unrated)]


class CurateForm(ResourceFieldsForm):
    """A curator's full edit: every field, the categories, the appraisal and freshness."""

    pub_day = forms.IntegerField(label="Day published", required=False, min_value=1, max_value=31,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                 error_messages={"invalid": "Enter the day as a number from 1 to 31",
                                                 "min_value": "Enter the day as a number from 1 to 31",
                                                 "max_value": "Enter the day as a number from 1 to 31"})
    licence = forms.CharField(max_length=120, required=False, help_text="For example, CC BY 4.0",
                              error_messages={"max_length": "The licence must be 120 characters or fewer"})
    study_design = forms.ChoiceField(choices=[("", "Not appraised yet"), *StudyDesign.choices], required=False,
                                     error_messages={"invalid_choice": "Choose a study design from the list"})
    quality = forms.ChoiceField(label="Quality of evidence", choices=quality_choices, required=False,
                                widget=forms.RadioSelect,
                                help_text="Readers see the meaning of the level beside the rating.",
                                error_messages={"invalid_choice": "Choose a quality rating from the list"})
    appraisal_rationale = forms.CharField(label="Why this rating?", required=False, max_length=5000,
                                          widget=forms.Textarea(attrs={"rows": 4}),
                                          help_text="Readers see this beside the rating. Say what the rating rests on.",
                                          error_messages={"max_length": "Keep the rationale to 5,000 characters"})
    last_checked = date_field("Date last checked", "When a curator last checked the link and the details.")
    review_due = date_field("Review due", "When it should next be checked.")
    is_example = forms.BooleanField(label="This is a hand-written example, not a real publication", required=False)
    source = forms.CharField(label="Where the record came from", max_length=200, required=False,
                             error_messages={"max_length": "The source must be 200 characters or fewer"})
    change_note = forms.CharField(label="What did you change?", required=False, max_length=1000,
                                  help_text="Kept in the history, for other curators.",
                                  error_messages={"max_length": "Keep the note to 1,000 characters"})

    def page_order(self) -> list[str]:
        return ["title", "url", "resource_type", "summary", "description", "authors", "organisation", "pub_day",
                "pub_month", "pub_year", "doi", "pmid", "isbn", "access", "licence", *self.term_field_names(),
                "study_design", "quality", "appraisal_rationale", "last_checked", "review_due", "is_example",
                "source", "change_note"]

    def resource_field_names(self) -> set[str]:
        return super().resource_field_names() | {"pub_day", "licence", "study_design", "quality",
                                                 "appraisal_rationale", "last_checked", "review_due",
                                                 "is_example", "source"}

    def clean(self):
        cleaned = super().clean()
        self._check_publication_date(cleaned)
        checked, due = cleaned.get("last_checked"), cleaned.get("review_due")
        if checked and due and due <= checked:
            self.add_error("review_due", "The review due date must be after the date it was last checked")
        return cleaned

    def _check_publication_date(self, cleaned) -> None:
        day, month, year = cleaned.get("pub_day"), cleaned.get("pub_month"), cleaned.get("pub_year")
        if not day or "pub_day" in self.errors:
            return
        if not month:
            self.add_error("pub_day", "Choose the month as well as the day")
            return
        try:
            datetime.date(year or 2000, month, day)  # a leap year, so 29 February passes without a year
        except ValueError:
            self.add_error("pub_day", f"{MONTHS[month - 1]} does not have {day} days. Enter a real date.")


def curate_initial(resource, vocabulary_trees) -> dict:
    """The edit form's starting values, from the resource as it is now."""
    initial = {name: getattr(resource, name) for name in CurateForm.base_fields if hasattr(resource, name)}
    initial["authors"] = "\n".join(resource.authors)
    tagged = set(resource.terms.values_list("pk", flat=True))
    for tree in vocabulary_trees:
        initial[f"terms_{tree.vocabulary.slug}"] = [n.term.pk for n in tree.flat() if n.term.pk in tagged]
    return initial


class RejectForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why is it not being added?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The person who suggested it will see this, so write it for them.",
                             error_messages={"required": "Give a reason, so the person who suggested it knows why",
                                             "max_length": "Keep the reason to 2,000 characters"})


class UnpublishForm(NHSFormMixin, forms.Form):
    note = forms.CharField(label="Why are you unpublishing it?", max_length=1000, required=False,
                           help_text="Kept in the history, for other curators.",
                           error_messages={"max_length": "Keep the note to 1,000 characters"})


def parent_choices(tree, *, blank_label: str) -> list[tuple]:
    # A select box cannot indent, so each level down is marked with dashes.
    return [("", blank_label), *[(n.term.pk, f"{'– ' * n.depth}{n.term.name}") for n in tree.flat()]]


class TermForm(NHSFormMixin, forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter a name for the term",
                                                           "max_length": "The name must be 120 characters or fewer"})
    parent = forms.TypedChoiceField(label="Put it under", coerce=int, empty_value=None, required=False,
                                    help_text="Leave as it is for a top-level term.",
                                    error_messages={"invalid_choice": "Choose a parent term from the list"})
    description = forms.CharField(required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="What the term covers, if the name alone could be unclear.",
                                  error_messages={"max_length": "Keep the description to 1,000 characters"})

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = parent_choices(tree, blank_label="Nothing: a top-level term")


class MergeForm(NHSFormMixin, forms.Form):
    target = forms.TypedChoiceField(label="Merge it into", coerce=int,
                                    error_messages={"required": "Choose the term to merge it into",
                                                    "invalid_choice": "Choose a term from the list"})
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, tree, source, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in parent_choices(tree, blank_label="Choose a term") if c[0] != source.pk]
        self.fields["target"].choices = choices

