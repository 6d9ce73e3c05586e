"""Forms for telling a story, moderating it and editing the topography vocabularies. Forms only
check and tidy what people typed; the services validate the whole story and save it."""

import uuid

from django import forms

from peerhub.core.forms import NHSFormMixin
from peerhub.library.forms import term_field
from peerhub.library.taxonomy import vocabulary_trees
from peerhub.stories.consent import CONSENT_STATEMENT, VISIBILITY_WORDS
from peerhub.stories.models import DIMENSION_ORDER, Dimension, Medium, TopographyTerm

TOPOGRAPHY_QUESTIONS = {
    Dimension.STORYTELLER: ("Who is telling the story?", "Choose the one that fits best."),
    Dimension.PURPOSE: ("Why are you telling it?", "Select all that apply."),
    Dimension.AUDIENCE: ("Who is it for?", "Select all that apply."),
    Dimension.OUTCOME: ("What change does the story seek, or what change has it seen?", "Select any that apply."),
    Dimension.ACTIONS: ("What would you like people to do after hearing it?", "Select any that apply."),
}
DETAIL_LABELS = {
    Dimension.STORYTELLER: ("About you, in your own words",
                            "For example, a condition you live with or a community you belong to. Do not include "
                            "your name here."),
    Dimension.PURPOSE: ("Anything else about why you are telling it", ""),
    Dimension.AUDIENCE: ("Anything else about who it is for", ""),
    Dimension.OUTCOME: ("The change, in your own words", ""),
    Dimension.ACTIONS: ("What you ask people to do, in your own words", ""),
}
YES_NO = [("yes", "Yes"), ("no", "No")]
HUB_VOCABULARIES = ["condition", "community"]


def _topography_field(dimension, terms) -> forms.Field:
    label, hint = TOPOGRAPHY_QUESTIONS[dimension]
    choices = [(t.pk, t.name) for t in terms]
    messages = {"invalid_choice": f"Choose from the {dimension.label.lower()} list. That one may have been "
                                  "removed since the page loaded.",
                "required": "Choose who is telling the story"}
    if dimension == Dimension.STORYTELLER:
        return forms.TypedChoiceField(label=label, help_text=hint, choices=choices, coerce=int,
                                      widget=forms.RadioSelect, error_messages=messages)
    return forms.TypedMultipleChoiceField(label=label, help_text=hint, choices=choices, coerce=int, required=False,
                                          widget=forms.CheckboxSelectMultiple, error_messages=messages)


class TopographyFieldsMixin:
    """A field per dimension (its vocabulary) and a free-text field beside each, plus the
    hub's conditions and communities. `keep` lists retired terms a story already carries.
    It sits between NHSFormMixin and Form, so the design system classes reach these fields too."""

    def __init__(self, *args, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_topography_fields(keep)

    def add_topography_fields(self, keep=()):
        keep_ids = {t.pk for t in keep}
        terms = [t for t in TopographyTerm.objects.order_by("position") if t.is_active or t.pk in keep_ids]
        for dimension in DIMENSION_ORDER:
            self.fields[str(dimension)] = _topography_field(dimension, [t for t in terms if t.dimension == dimension])
            label, hint = DETAIL_LABELS[dimension]
            self.fields[f"{dimension}_detail"] = forms.CharField(
                label=label, help_text=hint, required=False, max_length=500,
                error_messages={"max_length": "Keep this to 500 characters or fewer"})
        for tree in vocabulary_trees(HUB_VOCABULARIES):
            self.fields[tree.vocabulary.slug] = term_field(tree)
            self.fields[tree.vocabulary.slug].label = f"{tree.vocabulary.question} (optional)"

    def topography_term_ids(self) -> list[int]:
        chosen = []
        for dimension in DIMENSION_ORDER:
            value = self.cleaned_data.get(str(dimension))
            chosen += value if isinstance(value, list) else ([value] if value else [])
        return chosen

    def topography_terms(self) -> list[TopographyTerm]:
        return list(TopographyTerm.objects.filter(pk__in=self.topography_term_ids()))

    def hub_term_ids(self) -> list[int]:
        return sorted({pk for v in HUB_VOCABULARIES for pk in self.cleaned_data.get(v, [])})

    def detail_data(self) -> dict:
        return {f"{d}_detail": self.cleaned_data.get(f"{d}_detail", "").strip() for d in DIMENSION_ORDER}


class StoryContentMixin(forms.Form):
    title = forms.CharField(max_length=200, help_text="A few words that sum up your story.",
                            error_messages={"required": "Enter a title for your story",
                                            "max_length": "The title must be 200 characters or fewer"})
    body = forms.CharField(label="Your story", widget=forms.Textarea(attrs={"rows": 12}), max_length=30000,
                           help_text="Tell it in your own words. Please leave out names, addresses and other "
                                     "details that could identify you or other people.",
                           error_messages={"required": "Enter your story",
                                           "max_length": "Your story must be 30,000 characters or fewer"})
    medium = forms.ChoiceField(label="Is there a video, audio recording, book or event?", choices=Medium.choices,
                               widget=forms.RadioSelect, initial=Medium.WRITTEN,
                               error_messages={"required": "Choose what kind of story it is"})
    media_url = forms.URLField(label="Link to it", required=False, max_length=1000, assume_scheme="https",
                               help_text="We link to it; we never play it on this site. Needed for a video or "
                                         "recording.",
                               error_messages={"invalid": "Enter a web address in the right format, like "
                                                          "https://www.example.org/my-story"})
    transcript = forms.CharField(label="Transcript or summary", required=False, max_length=60000,
                                 widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text="Needed for a video or recording, so everyone can follow it.",
                                 error_messages={"max_length": "The transcript must be 60,000 characters or fewer"})

    def content_data(self) -> dict:
        fields = ["title", "body", "medium", "media_url", "transcript"]
        return {name: (self.cleaned_data.get(name) or "").strip() for name in fields}


class StorySubmissionForm(NHSFormMixin, TopographyFieldsMixin, StoryContentMixin):
    visibility = forms.ChoiceField(label="Who may read your story?", widget=forms.RadioSelect,
                                   choices=[(k, v[0].upper() + v[1:]) for k, v in VISIBILITY_WORDS.items()],
                                   error_messages={"required": "Choose who may read your story"})
    named = forms.ChoiceField(label="Should your name be shown with your story?", widget=forms.RadioSelect,
                              choices=[("no", "No, keep me anonymous"), ("yes", "Yes, show my name")],
                              error_messages={"required": "Choose whether to show your name"})
    storyteller_name = forms.CharField(label="The name to show", required=False, max_length=120,
                                       help_text="Only if you chose to be named.")
    open_data = forms.ChoiceField(label="May your story be included in open data that anyone can download?",
                                  widget=forms.RadioSelect, choices=YES_NO,
                                  help_text="Open data helps researchers and commissioners. It only ever includes "
                                            "stories published openly, never your email address.",
                                  error_messages={"required": "Choose whether your story may be in open data"})
    under_16 = forms.ChoiceField(label="Are you under 16?", widget=forms.RadioSelect, choices=YES_NO,
                                 error_messages={"required": "Tell us whether you are under 16"})
    guardian_name = forms.CharField(label="Name of your parent or guardian", required=False, max_length=120,
                                    help_text="If you are under 16, a parent or guardian must agree to you "
                                              "sharing your story. A moderator will check before it is published.")
    email = forms.EmailField(label="Your email address", max_length=254,
                             help_text="We send you a private link to withdraw your story. We never show or share "
                                       "your email address.",
                             error_messages={"required": "Enter your email address",
                                             "invalid": "Enter an email address in the right format, like "
                                                        "name@example.com"})
    consent = forms.BooleanField(label="I agree", help_text=CONSENT_STATEMENT,
                                 error_messages={"required": "Tick to agree, so we can keep and publish your story"})
    send_as_is = forms.BooleanField(required=False, label="Send my story as it is. I understand a moderator will "
                                                          "remove personal details before publishing.")

    def story_data(self) -> dict:
        data = {**self.content_data(), **self.detail_data()}
        data.update(visibility=self.cleaned_data["visibility"], is_named=self.cleaned_data["named"] == "yes",
                    storyteller_name=self.cleaned_data["storyteller_name"].strip(),
                    open_data=self.cleaned_data["open_data"] == "yes", under_16=self.cleaned_data["under_16"] == "yes",
                    guardian_name=self.cleaned_data["guardian_name"].strip(), email=self.cleaned_data["email"].lower())
        return data


def _resource_ids(raw: str) -> list[int]:
    return [int(part) for part in raw.replace(",", " ").split()] if raw.strip() else []


class StoryEditForm(NHSFormMixin, TopographyFieldsMixin, StoryContentMixin):
    """The moderator's edit: the content, the topography, and links to the library and the directory."""

    storyteller_name = forms.CharField(label="Name shown (for named stories)", required=False, max_length=120)
    resources = forms.CharField(label="Library resources (optional)", required=False,
                                help_text="Numbers of related library resources, separated by spaces, like 12 40.")
    services = forms.CharField(label="Directory listings (optional)", required=False, widget=forms.Textarea(
        attrs={"rows": 2}), help_text="Service ids from the directory, one per line.")
    note = forms.CharField(label="Note for the history (optional)", required=False, max_length=500)

    def __init__(self, *args, story=None, **kwargs):
        super().__init__(*args, keep=story.terms.all() if story else (), **kwargs)

    def clean_resources(self):
        from peerhub.library.models import Resource

        raw = self.cleaned_data["resources"]
        if not all(part.isascii() and part.isdigit() and len(part) <= 12 for part in raw.replace(",", " ").split()):
            raise forms.ValidationError("Give resource numbers only, separated by spaces, like 12 40")
        ids = _resource_ids(raw)
        missing = sorted(set(ids) - set(Resource.objects.filter(pk__in=ids).values_list("pk", flat=True)))
        if missing:
            raise forms.ValidationError(f"There is no library resource numbered {', '.join(map(str, missing))}")
        return ids

    def clean_services(self):
        from peerhub.stories.selectors import service_exists

        found = []
        for line in self.cleaned_data["services"].split():
            try:
                service_id = uuid.UUID(line)
            except ValueError:
                raise forms.ValidationError(f"“{line[:40]}” is not a service id. Copy it from the listing's page.") \
                    from None
            if not service_exists(service_id):
                raise forms.ValidationError(f"There is no directory listing with the id {service_id}.")
            found.append(str(service_id))
        return found

    def story_data(self) -> dict:
        return {**self.content_data(), **self.detail_data(),
                "storyteller_name": self.cleaned_data["storyteller_name"].strip()}


def edit_initial(story) -> dict:
    initial = {name: getattr(story, name) for name in ["title", "body", "medium", "media_url", "transcript",
                                                        "storyteller_name"]}
    for dimension in DIMENSION_ORDER:
        ids = [t.pk for t in story.terms.all() if t.dimension == dimension]
        initial[str(dimension)] = (ids[0] if ids else None) if dimension == Dimension.STORYTELLER else ids
        initial[f"{dimension}_detail"] = getattr(story, f"{dimension}_detail")
    for vocabulary in HUB_VOCABULARIES:
        initial[vocabulary] = [t.pk for t in story.hub_terms.all() if t.vocabulary.slug == vocabulary]
    initial["resources"] = " ".join(str(pk) for pk in story.resources.values_list("pk", flat=True))
    initial["services"] = "\n".join(story.service_ids)
    return initial


class PublishForm(NHSFormMixin, forms.Form):
    safety_reviewed = forms.BooleanField(required=False, label="I have reviewed the mentions of crisis, self-harm "
                                                               "or abuse, and it is safe to publish with signposting")
    personal_data_checked = forms.BooleanField(required=False, label="I have checked the flagged details and they "
                                                                     "cannot identify anyone")


class ReasonForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "Give a reason, so other moderators know why"})


class TopographyTermForm(NHSFormMixin, forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the term's name",
                                                            "max_length": "The name must be 120 characters or fewer"})
    description = forms.CharField(required=False, max_length=300, help_text="Optional: when to use this term.")
    is_active = forms.BooleanField(required=False, initial=True, label="Offer this term on new stories",
                                   help_text="Untick to retire it. Stories that carry it keep it.")
