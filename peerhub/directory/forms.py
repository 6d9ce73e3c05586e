"""Forms for the directory pages. They check types and ranges only; meaning (is this postcode
known? is the listing complete?) is decided by the finder and the services."""

from django import forms

from peerhub.core.forms import NHSFormMixin
from peerhub.directory.finder import DEFAULT_RADIUS_MILES, RADIUS_CHOICES_MILES
from peerhub.directory.listing import DAYS
from peerhub.directory.selectors import hub_term_groups

ANY = [("", "Any")]
FORMAT_GROUPS = ("leadership", "size")


def term_choices(groups: dict, *names) -> list[tuple[str, str]]:
    return [(t.code, t.name) for name in names for t in groups.get(name, [])]


def people_like_me_field() -> forms.CharField:
    """The reader's respondent group. A plain text field shown as a list: an unknown value
    (an old link, a typo) is not a form error; directory.matters says there are no results."""
    return forms.CharField(label="People like me", required=False, widget=forms.Select,
                           help_text="Show what matters most to people in this group, from published "
                                     "“what matters” results")


def offer_groups(form: forms.Form, groups) -> None:
    """Fill the group list, or leave the question out when no group has published results."""
    if groups:
        form.fields["group"].widget.choices = [("", "Choose a group")] + [(g, g) for g in groups]
    else:
        del form.fields["group"]


class PeopleLikeMeForm(NHSFormMixin, forms.Form):
    """The "people like me" choice on a listing page (GET, so the link can be shared)."""

    group = people_like_me_field()

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_groups(self, groups)


class FindForm(NHSFormMixin, forms.Form):
    where = forms.CharField(label="Postcode or town", max_length=100, required=False,
                            help_text="For example, LS1 4AP, LS1 or Leeds")
    radius = forms.TypedChoiceField(label="Distance", coerce=int, initial=DEFAULT_RADIUS_MILES, required=False,
                                    choices=[(m, f"Within {m} miles") for m in RADIUS_CHOICES_MILES])
    condition = forms.ChoiceField(label="Condition or experience", required=False,
                                  error_messages={"invalid_choice": "Choose a condition or experience from the list"})
    community = forms.ChoiceField(label="Community", required=False,
                                  error_messages={"invalid_choice": "Choose a community from the list"})
    format = forms.ChoiceField(label="Type of support", required=False,
                               error_messages={"invalid_choice": "Choose a type of support from the list"})
    online_only = forms.BooleanField(label="Only show online and phone support", required=False)
    age = forms.IntegerField(label="Age of the person", min_value=0, max_value=120, required=False,
                             help_text="We will only show groups they can join")
    day = forms.ChoiceField(label="Day", required=False, choices=ANY + DAYS,
                            error_messages={"invalid_choice": "Choose a day of the week from the list"})
    after = forms.TimeField(label="Starting at or after", required=False, help_text="For example, 18:00",
                            input_formats=["%H:%M", "%H.%M", "%H:%M:%S"])
    group = people_like_me_field()
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_groups(self, groups)
        terms = hub_term_groups()
        self.fields["condition"].choices = ANY + term_choices(terms, "condition")
        self.fields["community"].choices = ANY + term_choices(terms, "community")
        self.fields["format"].choices = ANY + term_choices(terms, *FORMAT_GROUPS)


# Provider listings ------------------------------------------------------------------------------

# Term groups a provider chooses from: (group code, form field, many allowed).
TERM_FIELDS = [("condition", "conditions", True), ("community", "communities", True),
               ("leadership", "leadership", False), ("size", "size", False), ("delivery", "delivery", True),
               ("referral", "referral", False), ("join-speed", "join_speed", False)]
CHARITY_NUMBER = r"^(SC0\d{5}|\d{6,8}(-\d{1,2})?)$"


def _text(label, max_length=255, required=False, help_text="", textarea=False):
    widget = forms.Textarea(attrs={"rows": 4}) if textarea else None
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text,
                           widget=widget)


class ListingForm(NHSFormMixin, forms.Form):
    """Everything people need to know about a group. Whether the listing is complete (a venue
    unless online only, a known postcode) is decided by directory.submissions."""

    organisation_name = _text("Name of your organisation", required=True)
    organisation_description = _text("About your organisation", 2000, True, "One or two sentences.", True)
    charity_number = forms.RegexField(label="Registered charity number", regex=CHARITY_NUMBER, required=False,
                                      error_messages={"invalid": "Enter a charity number like 1234567 or SC012345."})
    name = _text("Name of the group or service", required=True)
    description = _text("What happens at the group", 4000, True, "What a first session is like, in plain English.",
                        True)
    conditions = forms.MultipleChoiceField(label="Conditions or experiences it is for", required=False,
                                           widget=forms.CheckboxSelectMultiple)
    communities = forms.MultipleChoiceField(label="Communities it is for", required=False,
                                            widget=forms.CheckboxSelectMultiple)
    minimum_age = forms.IntegerField(label="Youngest age", min_value=0, max_value=120, required=False)
    maximum_age = forms.IntegerField(label="Oldest age", min_value=0, max_value=120, required=False)
    leadership = forms.ChoiceField(label="Who leads it", widget=forms.RadioSelect)
    size = forms.ChoiceField(label="Group or one-to-one", widget=forms.RadioSelect)
    delivery = forms.MultipleChoiceField(label="How people take part", widget=forms.CheckboxSelectMultiple)
    referral = forms.ChoiceField(label="How to join", widget=forms.RadioSelect)
    join_speed = forms.ChoiceField(label="How quickly people can join", widget=forms.RadioSelect)
    cost = _text("Cost", help_text="For example, Free, or £2 a session")
    days = forms.MultipleChoiceField(label="Days it meets", choices=DAYS, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    opens_at = forms.TimeField(label="Starts at", required=False, help_text="For example, 18:30",
                               input_formats=["%H:%M", "%H.%M"])
    closes_at = forms.TimeField(label="Ends at", required=False, help_text="For example, 20:00",
                                input_formats=["%H:%M", "%H.%M"])
    schedule_description = _text("When it meets, in words", help_text="For example, Every other Tuesday")
    online_only = forms.BooleanField(label="Online or by phone only: there is no venue", required=False)
    venue_name = _text("Venue name")
    address_1 = _text("Street address")
    city = _text("Town or city", 120)
    county = _text("County", 120)
    postcode = _text("Postcode", 10, help_text="We use it to show the group to people nearby")
    accessibility = _text("Accessibility", 2000, help_text="Step-free access, hearing loop, toilets, parking",
                          textarea=True)
    languages = _text("Languages", help_text="Separate languages with commas, for example English, Welsh")
    email = forms.EmailField(label="Contact email", help_text="We send a yearly 'is this still right?' check here")
    phone = forms.RegexField(label="Contact phone", regex=r"^\+?[0-9 ()-]{7,20}$", required=False,
                             error_messages={"invalid": "Enter a phone number like 0113 496 0000."})
    url = forms.URLField(label="Website", max_length=1000, required=False, assume_scheme="https")
    note = _text("Anything the curator should know", 2000, textarea=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = hub_term_groups()
        for group, name, _ in TERM_FIELDS:
            self.fields[name].choices = term_choices(groups, group)

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "The oldest age must be the same as or more than the youngest age.")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", "The end time must be after the start time.")
        return data

    def listing(self) -> dict:
        """The flat listing (directory.listing's shape) from the cleaned form."""
        data = dict(self.cleaned_data)
        terms = []
        for _, name, many in TERM_FIELDS:
            value = data.pop(name)
            terms += value if many else [value]
        data.pop("note")
        data["terms"] = sorted(terms)
        data["opens_at"] = data["opens_at"].strftime("%H:%M") if data["opens_at"] else ""
        data["closes_at"] = data["closes_at"].strftime("%H:%M") if data["closes_at"] else ""
        return data


def listing_initial(listing: dict) -> dict:
    """Form values from a flat listing: the hub terms are split back into their groups."""
    initial = {key: value for key, value in listing.items() if key != "terms"}
    codes = listing.get("terms") or []
    for group, name, many in TERM_FIELDS:
        chosen = [c for c in codes if c.startswith(f"{group}:")]
        initial[name] = chosen if many else next(iter(chosen), "")
    return initial


class RejectForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why is it not accepted?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="The provider sees this, so say what to change.")


class ImportForm(NHSFormMixin, forms.Form):
    feed_file = forms.FileField(label="Upload a feed file", required=False,
                                help_text="ORUK JSON (.json) or ORUK CSV tables in a .zip file")
    feed_url = forms.URLField(label="Or read a feed from a web address", required=False, max_length=1000,
                              assume_scheme="https", help_text="An ORUK 3.0 API's services address, for example "
                              "https://example.org/oruk/services")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("feed_file") and not data.get("feed_url"):
            raise forms.ValidationError("Choose a feed file to upload, or enter the web address of a feed.")
        if data.get("feed_file") and data.get("feed_url"):
            raise forms.ValidationError("Upload a file or enter a web address, not both: import one feed at a time.")
        return data
