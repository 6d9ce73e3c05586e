"""NHS.UK-styled forms. Any form that mixes in NHSFormMixin renders with `{{ form }}` as NHS.UK
design system markup: an error summary, labels, hints, field errors and styled inputs."""

from django import forms
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    forms.Textarea: "nhsuk-textarea",
    forms.Select: "nhsuk-select",
    forms.SelectMultiple: "nhsuk-select",
    forms.CheckboxInput: "nhsuk-checkboxes__input",
    forms.CheckboxSelectMultiple: "nhsuk-checkboxes__input",
    forms.RadioSelect: "nhsuk-radios__input",
    forms.FileInput: "nhsuk-file-upload",
}


class NHSFormRenderer(TemplatesSetting):
    form_template_name = "includes/nhsuk_form.html"
    field_template_name = "includes/nhsuk_field.html"


class NHSFormMixin:
    """Adds the design system's classes to widgets and error state to invalid fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next((c for w, c in WIDGET_CLASSES.items() if isinstance(field.widget, w)), "nhsuk-input")
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " " + widget.attrs["class"].split()[0] + "--error"
                widget.attrs["aria-invalid"] = "true"
