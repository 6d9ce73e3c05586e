"""The saved-search form. It only checks and tidies what was typed; services do the saving."""

from django import forms

from peerhub.core.forms import NHSFormMixin
from peerhub.freshness.models import ResultFormat, SavedSearch, Schedule, Source

QUERY_HINTS = {
    Source.EUROPEPMC: "Europe PMC search syntax, for example: \"peer support\" AND (mental OR wellbeing)",
    Source.PUBMED: "PubMed search syntax, for example: peer support[tiab] AND carers[tiab]",
    Source.CROSSREF: "Words to search for, or a list of DOIs (one per line) to fetch those works",
    Source.OPENALEX: "Words to search for, for example: peer support workers",
}


class SavedSearchForm(NHSFormMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Name", help_text="A short name curators will recognise",
                           error_messages={"required": "Enter a name for the saved search."})
    source = forms.ChoiceField(label="Where to search", choices=Source.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose where to search.",
                                               "invalid_choice": "Choose one of the sources listed."})
    query = forms.CharField(
        max_length=1000, label="Search", widget=forms.Textarea(attrs={"rows": 3}),
        help_text=" ".join(f"{Source(s).label}: {hint}." for s, hint in QUERY_HINTS.items()),
        error_messages={"required": "Enter what to search for.",
                        "max_length": "The search must be 1,000 characters or fewer."},
    )
    schedule = forms.ChoiceField(label="How often to run it", choices=Schedule.choices, widget=forms.RadioSelect,
                                 initial=Schedule.OFF,
                                 error_messages={"required": "Choose how often to run the search.",
                                                 "invalid_choice": "Choose one of the schedules listed."})
    max_records = forms.IntegerField(
        label="Most records per run", min_value=1, max_value=1000, initial=100,
        help_text="Between 1 and 1,000. New records wait in the curator queue for review.",
        error_messages={"required": "Enter the most records one run may bring in.",
                        "invalid": "Enter a whole number, like 100.",
                        "min_value": "Enter a number between 1 and 1,000.",
                        "max_value": "Enter a number between 1 and 1,000."},
    )

    result_format = forms.ChoiceField(
        label="Europe PMC result format", choices=ResultFormat.choices, widget=forms.RadioSelect,
        initial=ResultFormat.JSON, required=False,
        help_text="Only Europe PMC searches use this; every format brings in the same records.",
        error_messages={"invalid_choice": "Choose one of the result formats listed."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_records"].widget.attrs["class"] += " nhsuk-input--width-4"

    def clean_result_format(self) -> str:
        return self.cleaned_data.get("result_format") or ResultFormat.JSON


def initial_for(search: SavedSearch) -> dict:
    return {name: getattr(search, name) for name in ("name", "source", "query", "schedule", "max_records",
                                                  "result_format")}
