"""Forms for signing in, signing up, API tokens and user management. They check input only;
the services decide what happens next."""

import time

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import get_default_password_validators, validate_password
from django.core import signing
from django.core.exceptions import ValidationError

from peerhub.accounts.models import Role, User
from peerhub.accounts.selectors import AccountStatus
from peerhub.core.forms import NHSFormMixin

FORM_TIMESTAMP_SALT = "peerhub.accounts.signup-form"
FASTEST_HUMAN_SECONDS = 3  # nobody types an email address and two passwords faster than this
FORM_LIFETIME_SECONDS = 24 * 60 * 60


def signed_form_timestamp(issued_at: float | None = None) -> str:
    """When the sign-up form was shown, signed so a bot cannot fake an older time."""
    return signing.dumps(issued_at if issued_at is not None else time.time(), salt=FORM_TIMESTAMP_SALT)


def form_timestamp_problem(value: str) -> str:
    """Why a signed form timestamp is unacceptable, or "" when it is fine."""
    try:
        issued_at = float(signing.loads(value, salt=FORM_TIMESTAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "We could not check this form. Send it again."
    age = time.time() - issued_at
    if age < FASTEST_HUMAN_SECONDS:
        return "You sent the form too quickly. Wait a few seconds, then send it again."
    if age > FORM_LIFETIME_SECONDS:
        return "This form was open for more than a day, so it has expired. Send it again."
    return ""


class FreshTimestampInput(forms.HiddenInput):
    """Always renders a new timestamp, so a re-shown form can be sent again."""

    def format_value(self, value):
        return signed_form_timestamp()


class NeverFilledTextInput(forms.TextInput):
    """The honeypot never shows a value back, so a person whose browser autofilled it can
    simply send the form again."""

    def format_value(self, value):
        return None


def minimum_password_length() -> int:
    lengths = [v.min_length for v in get_default_password_validators() if hasattr(v, "min_length")]
    return max(lengths, default=8)


class EmailAuthenticationForm(NHSFormMixin, AuthenticationForm):
    """Django's sign-in form; the field keeps the name `username` because django-axes reads it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password. If you have just created an account, "
        "confirm it first using the link in the email we sent you.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "username", "class": "nhsuk-input", "spellcheck": "false", "maxlength": 254}
        )
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"

    def clean_username(self):
        # Addresses are stored in lower case, so sign-in must not depend on how they are typed.
        return self.cleaned_data["username"].strip().lower()


class SignupForm(NHSFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send a link to this address to confirm it is yours.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address", "invalid": "Enter an email address in the "
                        "correct format, like name@example.org"},
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=150,
        required=False,
        help_text="Shown at the top of the page when you are signed in. If you leave it empty, we show your "
        "email address.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type your password again to confirm it"},
    )
    # Bot resistance without a CAPTCHA: people never see this field, many bots fill it in.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=NeverFilledTextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=FreshTimestampInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = (
            f"Use at least {minimum_password_length()} characters. Do not use a common password, only numbers, "
            "or something like your email address."
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_display_name(self):
        return self.cleaned_data["display_name"].strip()

    def clean(self):
        cleaned = super().clean()
        self._check_not_automated(cleaned)
        self._check_passwords(cleaned)
        return cleaned

    def _check_not_automated(self, cleaned):
        if cleaned.get("website"):
            self.add_error(None, "We could not accept this form because a hidden field was filled in, which "
                           "automated programs do. If you are a person, send the form again.")
        problem = form_timestamp_problem(cleaned.get("started") or "")
        if problem:
            self.add_error(None, problem)

    def _check_passwords(self, cleaned):
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match. Type the same password twice.")
        if password1:
            candidate = User(email=cleaned.get("email", ""), display_name=cleaned.get("display_name", ""))
            try:
                validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)


class ApiTokenForm(NHSFormMixin, forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="Say what the token is for, so you can recognise it later. For example: reference manager import.",
        error_messages={"required": "Enter a name for the token"},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name for the token")
        return name


class UserAdminForm(NHSFormMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Role.choices,
        widget=forms.RadioSelect,
        help_text="Curators review submissions. Administrators also manage people's accounts.",
        error_messages={"required": "Choose a role", "invalid_choice": "Choose one of the roles listed"},
    )
    status = forms.ChoiceField(
        label="Account status",
        widget=forms.RadioSelect,
        help_text="A deactivated account cannot sign in or use its API tokens.",
        error_messages={"required": "Choose an account status", "invalid_choice": "Choose one of the statuses listed"},
    )
    is_professional = forms.BooleanField(
        label="Confirmed health or care professional", required=False,
        help_text="Tick only after checking their professional role (for example with their employer or "
                  "registration body). They can then read stories shared only with professionals.",
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        # An account waiting for email confirmation can stay so; no other account can go back to it.
        choices = [(s.value, s.label) for s in AccountStatus if s != AccountStatus.PENDING]
        if current_status == AccountStatus.PENDING:
            choices.insert(0, (AccountStatus.PENDING.value, AccountStatus.PENDING.label))
        self.fields["status"].choices = choices
