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


class FindForm(NHSFormMixin, forms.Form):
    where = forms.CharField(label="Postcode or town", max_length=100, required=False,
                            help_text="For example, LS1 4AP, LS1 or Leeds")
    radius = forms.TypedChoiceField(label="Distance", coerce=int, initial=DEFAULT_RADIUS_MILES, required=False,
                                    choices=[(m, f"Within {m} miles") for m in RADIUS_CHOICES_MILES])
    condition = forms.ChoiceField(label="Condition or experience", required=False)
    community = forms.ChoiceField(label="Community", required=False)
    format = forms.ChoiceField(label="Type of support", required=False)
    online_only = forms.BooleanField(label="Only show online and phone support", required=False)
    age = forms.IntegerField(label="Age of the person", min_value=0, max_value=120, required=False,
                             help_text="We will only show groups they can join")
    day = forms.ChoiceField(label="Day", required=False, choices=ANY + DAYS)
    after = forms.TimeField(label="Starting at or after", required=False, help_text="For example, 18:00",
                            input_formats=["%H:%M", "%H.%M", "%H:%M:%S"])
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = hub_term_groups()
        self.fields["condition"].choices = ANY + term_choices(groups, "condition")
        self.fields["community"].choices = ANY + term_choices(groups, "community")
        self.fields["format"].choices = ANY + term_choices(groups, *FORMAT_GROUPS)
