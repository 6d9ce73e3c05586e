"""Curator forms for the search engine, rendered as NHS.UK design system markup."""

from django import forms

from peerhub.core.forms import NHSFormMixin
from peerhub.search.text import terms

MAX_PHRASES = 20


class SynonymForm(NHSFormMixin, forms.Form):
    phrases = forms.CharField(
        label="Words and phrases that mean the same",
        help_text="One per line, for example “peer support” and “peer mentoring”. A search for any of them finds all.",
        widget=forms.Textarea(attrs={"rows": 6}), max_length=2000,
        error_messages={"required": "Enter at least two words or phrases, one per line",
                        "max_length": "Keep the list to 2,000 characters"},
    )

    def clean_phrases(self):
        lines = [line.strip() for line in self.cleaned_data["phrases"].splitlines() if line.strip()]
        if len(lines) < 2:
            raise forms.ValidationError("Enter at least two words or phrases, one per line")
        if len(lines) > MAX_PHRASES:
            raise forms.ValidationError(f"Enter {MAX_PHRASES} words or phrases or fewer")
        searchable = [line for line in lines if terms(line)]
        if len(searchable) < len(lines):
            raise forms.ValidationError("Each line needs a word that can be searched for, not only words like “the”")
        return "\n".join(lines)
