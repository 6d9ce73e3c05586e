"""Forms for building exercises and answering them. They only turn posted fields into values;
the rules for what is valid live in answers.py and services.py, which these forms call."""

from django import forms

from peerhub.core.forms import NHSFormMixin
from peerhub.whatmatters import answers as answer_rules
from peerhub.whatmatters import services
from peerhub.whatmatters.instruments import TEMPLATE_CHOICES
from peerhub.whatmatters.models import Exercise, Kind, Question
from peerhub.whatmatters.tokens import new_form_token

MAX_UPLOAD = 5 * 1024 * 1024


class TokenMixin(forms.Form):
    """An idempotency token per rendered form, so sending the same form twice is detected."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = new_form_token()


class ExerciseForm(NHSFormMixin, forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["title", "summary", "mode", "consent_text", "min_group_size", "results_public"]
        labels = {
            "summary": "What the exercise is about",
            "consent_text": "Information and consent shown to people before they answer",
            "min_group_size": "Smallest group to show in results",
            "results_public": "Publish the results for everyone to see",
        }
        help_texts = {
            "mode": "An online survey has a public link. A live workshop has a short code people type on their phones.",
            "min_group_size": "Groups with fewer people are not shown separately, so nobody can be identified. "
                              "The usual threshold is 10.",
        }
        widgets = {"mode": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 3})}


class TemplateForm(NHSFormMixin, forms.Form):
    template = forms.ChoiceField(label="Start from", choices=TEMPLATE_CHOICES, widget=forms.RadioSelect)


class FactorsForm(NHSFormMixin, forms.Form):
    factors = forms.CharField(
        label="Factors or cards, one per line", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="To put cards under a heading, start the line with the heading and a vertical bar, "
                  "for example: Access | Make it easy to find a group.",
    )

    def clean_factors(self):
        rows = services.parse_factor_lines(self.cleaned_data["factors"])
        try:
            services.check_factor_rows(rows)
        except services.ExerciseError as error:
            raise forms.ValidationError(str(error)) from None
        return rows


class QuestionForm(NHSFormMixin, forms.ModelForm):
    options_text = forms.CharField(
        label="Options, one per line", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single and multiple choice questions only.",
    )

    class Meta:
        model = Question
        fields = ["kind", "prompt", "help_text", "defines_groups", "scale_min", "scale_max", "scale_low_label",
                  "scale_high_label", "votes", "set_size"]
        labels = {
            "kind": "Type of question", "prompt": "Question", "help_text": "Hint (optional)",
            "defines_groups": "This profile question defines the respondent groups",
            "scale_min": "Scale starts at", "scale_max": "Scale ends at",
            "scale_low_label": "Label for the bottom of the scale", "scale_high_label": "Label for the top",
            "votes": "Votes each person has (dot voting)", "set_size": "Factors in each set (best-worst scaling)",
        }
        help_texts = {"defines_groups": "Single choice only. Results are shown for each answer to it."}
        widgets = {"kind": forms.RadioSelect, "help_text": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        data["options"] = [line.strip() for line in data.get("options_text", "").splitlines() if line.strip()]
        if len(set(data["options"])) != len(data["options"]):
            raise forms.ValidationError("List each option once.")
        try:
            services.check_question(data)
        except services.ExerciseError as error:
            raise forms.ValidationError(str(error)) from None
        return data


class ConsentForm(NHSFormMixin, TokenMixin):
    consent = forms.BooleanField(
        label="I have read the information above and agree to take part",
        error_messages={"required": "Confirm that you have read the information and agree to take part."},
    )


class JoinForm(NHSFormMixin, forms.Form):
    code = forms.CharField(label="Workshop code", max_length=12, help_text="The 6-character code on the screen.")


class ImportForm(NHSFormMixin, forms.Form):
    file = forms.FileField(label="Survey data (CSV)", help_text="One row per respondent. Up to 5 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 5 MB. Split it into smaller files.")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a CSV file (its name ends in .csv).")
        return upload


def _factor_label(factor) -> str:
    return f"{factor.area}: {factor.label}" if factor.area else factor.label


class AnswerForm(NHSFormMixin, TokenMixin):
    """The fields for one question (or one best-worst set); `value` is the answer in stored form."""

    def __init__(self, *args, question: Question, factors: list, set_index: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question, self.factors, self.set_index = question, factors, set_index
        self.codes = [f.code for f in factors]
        FIELD_BUILDERS[question.kind](self)

    def _radio(self, name, label, choices, error):
        self.fields[name] = forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                                              error_messages={"required": error, "invalid_choice": error})
        self.fields[name].widget.attrs["class"] = "nhsuk-radios__input"

    def _sets(self) -> list[int]:
        return list(range(len(self.question.design))) if self.set_index is None else [self.set_index]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.value = self._checked(VALUE_READERS[self.question.kind](self, data))
        except answer_rules.AnswerError as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def _checked(self, value):
        if self.question.kind == Kind.BEST_WORST:
            checked = [answer_rules.clean_choice(self.question, i, choice) for i, choice in zip(self._sets(), value,
                                                                                                   strict=True)]
            return checked[0] if self.set_index is not None else checked
        return answer_rules.clean_answer(self.question, value, self.codes)


def _single_fields(form):
    choices = [(option, option) for option in form.question.options]
    form._radio("answer", form.question.prompt, choices, "Choose one option.")
    form.fields["answer"].help_text = form.question.help_text


def _multiple_fields(form):
    form.fields["answer"] = forms.MultipleChoiceField(
        label=form.question.prompt, help_text=form.question.help_text, widget=forms.CheckboxSelectMultiple,
        choices=[(option, option) for option in form.question.options],
        error_messages={"required": "Choose at least one option."},
    )
    form.fields["answer"].widget.attrs["class"] = "nhsuk-checkboxes__input"


def _rating_fields(form):
    q = form.question
    ends = {q.scale_min: q.scale_low_label, q.scale_max: q.scale_high_label}
    choices = [(str(n), f"{n} – {ends[n]}" if ends.get(n) else str(n)) for n in range(q.scale_min, q.scale_max + 1)]
    form._radio("answer", q.prompt, choices, f"Choose a number from {q.scale_min} to {q.scale_max}.")
    form.fields["answer"].help_text = q.help_text


def _ranking_fields(form):
    places = [("", "Choose a position")] + [(str(n), str(n)) for n in range(1, len(form.factors) + 1)]
    for factor in form.factors:
        form.fields[f"place_{factor.code}"] = forms.ChoiceField(
            label=_factor_label(factor), choices=places,
            error_messages={"required": f"Give “{factor.label[:60]}” a position."},
        )
        form.fields[f"place_{factor.code}"].widget.attrs["class"] = "nhsuk-select"


def _best_worst_fields(form):
    labels = {f.code: _factor_label(f) for f in form.factors}
    total = len(form.question.design)
    for index in form._sets():
        choices = [(code, labels[code]) for code in form.question.design[index]]
        where = f"Set {index + 1} of {total}"
        form._radio(f"best_{index}", f"{where}: which matters most?", choices,
                    f"{where}: choose which matters most.")
        form._radio(f"worst_{index}", f"{where}: which matters least?", choices,
                    f"{where}: choose which matters least.")


def _dots_fields(form):
    for factor in form.factors:
        form.fields[f"votes_{factor.code}"] = forms.IntegerField(
            label=_factor_label(factor), min_value=0, max_value=form.question.votes, initial=0,
            error_messages={"invalid": "Enter a whole number of votes, such as 2.",
                            "min_value": "Votes cannot be below 0.",
                            "max_value": f"You have {form.question.votes} votes in all."},
        )
        form.fields[f"votes_{factor.code}"].widget.attrs.update({"inputmode": "numeric", "class": "nhsuk-input "
                                                                 "nhsuk-input--width-2"})


def _moscow_fields(form):
    choices = list(answer_rules.MOSCOW.items())
    for factor in form.factors:
        form._radio(f"sort_{factor.code}", _factor_label(factor), choices,
                    f"Sort “{factor.label[:60]}” as must, should, could or won't have.")


FIELD_BUILDERS = {
    Kind.SINGLE: _single_fields, Kind.MULTIPLE: _multiple_fields, Kind.RATING: _rating_fields,
    Kind.RANKING: _ranking_fields, Kind.BEST_WORST: _best_worst_fields, Kind.DOTS: _dots_fields,
    Kind.MOSCOW: _moscow_fields,
}


def _ranking_value(form, data):
    places = {code: int(data[f"place_{code}"]) for code in form.codes}
    taken = [code for code in form.codes if list(places.values()).count(places[code]) > 1]
    if taken:
        raise answer_rules.AnswerError(f"Give each factor a different position: position {places[taken[0]]} "
                                       "is used more than once.")
    return sorted(form.codes, key=places.get)


VALUE_READERS = {
    Kind.SINGLE: lambda form, data: data["answer"],
    Kind.MULTIPLE: lambda form, data: list(data["answer"]),
    Kind.RATING: lambda form, data: int(data["answer"]),
    Kind.RANKING: _ranking_value,
    Kind.BEST_WORST: lambda form, data: [{"best": data[f"best_{i}"], "worst": data[f"worst_{i}"]}
                                         for i in form._sets()],
    Kind.DOTS: lambda form, data: {code: data[f"votes_{code}"] or 0 for code in form.codes},
    Kind.MOSCOW: lambda form, data: {code: data[f"sort_{code}"] for code in form.codes},
}


class ProfileForm(ConsentForm):
    """Joining a live workshop: the profile questions (which group you are in), then consent."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        consent = self.fields.pop("consent")
        for question in questions:
            self.fields[question.key] = forms.ChoiceField(
                label=question.prompt, help_text=question.help_text, widget=forms.RadioSelect,
                choices=[(o, o) for o in question.options], error_messages={"required": "Choose one option."},
            )
            self.fields[question.key].widget.attrs["class"] = "nhsuk-radios__input"
        self.fields["consent"] = consent

    def profile(self) -> dict:
        return {q.key: self.cleaned_data[q.key] for q in self.questions}
