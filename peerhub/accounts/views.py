"""Account pages: sign in and out, sign up and confirm, dashboard, API tokens, and user
management for administrators. Views only translate between HTTP and the selectors/services."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from peerhub.accounts import selectors, services
from peerhub.accounts.forms import ApiTokenForm, EmailAuthenticationForm, SignupForm, UserAdminForm
from peerhub.accounts.models import Role
from peerhub.core.permissions import get_user_for_admin, require_admin
from peerhub.library.selectors import submissions_of

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

# What a person sees for each reason a confirmation link cannot be used: title, message, status.
CONFIRMATION_PROBLEMS = {
    "expired": ("This link has expired", f"Confirmation links work for {selectors.CONFIRM_MAX_AGE.days} days. "
                "Create your account again with the same email address and we will send you a new link.", 400),
    "invalid": ("This link does not work", "Check that you copied the whole link from the email. If it still "
                "does not work, create your account again to get a new link.", 400),
    "used": ("Your account is already confirmed", "You can sign in with your email address and password.", 200),
}


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = round(settings.AXES_COOLOFF_TIME * 60)
        return context


@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    if request.method != "POST":
        return render(request, "accounts/signup.html", {"form": SignupForm()})
    ip_address = get_client_ip_address(request)
    if selectors.signup_limit_reached(ip_address):
        return render(request, "accounts/signup_limited.html", status=429)
    form = SignupForm(request.POST)
    if form.is_valid() and _register(form, ip_address):
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def _register(form, ip_address) -> bool:
    services.note_signup_attempt(ip_address)
    data = form.cleaned_data
    try:
        services.register_user(email=data["email"], display_name=data["display_name"], password=data["password1"])
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"days": selectors.CONFIRM_MAX_AGE.days})


def _confirmation_problem(request, problem):
    title, message, status = CONFIRMATION_PROBLEMS[problem.kind]
    context = {"title": title, "message": message, "kind": problem.kind}
    return render(request, "accounts/confirm_problem.html", context, status=status)


@never_cache
def confirm(request, token):
    """GET shows a button; POST activates. Mail scanners that open links cannot confirm an
    account, and nobody can be signed in to someone else's account by a forged link."""
    try:
        if request.method != "POST":
            selectors.user_for_confirmation(token)
            return render(request, "accounts/confirm.html")
        user = services.confirm_account(token)
    except selectors.ConfirmationProblem as problem:
        return _confirmation_problem(request, problem)
    login(request, user, backend=SESSION_BACKEND)
    messages.success(request, "Your account is confirmed and you are signed in.")
    return redirect("accounts:dashboard")


@login_required
def dashboard(request):
    context = {
        "role_label": Role(request.user.role).label,
        "submissions": submissions_of(request.user),
    }
    return render(request, "accounts/dashboard.html", context)


def _tokens_page(request, form, new_raw_token=""):
    context = {"form": form, "tokens": selectors.api_tokens_of(request.user), "new_raw_token": new_raw_token}
    return render(request, "accounts/tokens.html", context)


@never_cache  # the page may show a new token's raw value, which must not be kept anywhere
@login_required
def tokens(request):
    if request.method != "POST":
        return _tokens_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form)
    try:
        _token, raw = services.create_api_token(request.user, form.cleaned_data["name"])
    except ValidationError as error:
        form.add_error(None, error)
        return _tokens_page(request, form)
    return _tokens_page(request, ApiTokenForm(), new_raw_token=raw)


@require_POST
@login_required
def token_revoke(request, pk):
    services.revoke_api_token(request.user, pk)
    messages.success(request, "The token is revoked. Programs using it can no longer sign in with it.")
    return redirect("accounts:tokens")


@login_required
def users(request):
    require_admin(request.user)
    query = request.GET.get("q", "").strip()[:254]
    page = selectors.users_page(query, request.GET.get("page"))
    return render(request, "accounts/users.html", {"page": page, "query": query})


@login_required
def user_edit(request, pk):
    account = get_user_for_admin(request.user, pk)
    status = selectors.account_status(account)
    if request.method != "POST":
        initial = {"role": account.role, "status": status, "is_professional": account.is_professional}
        form = UserAdminForm(initial=initial, current_status=status)
        return _user_edit_page(request, account, form)
    form = UserAdminForm(request.POST, current_status=status)
    if form.is_valid() and _update_user(request, account, form):
        messages.success(request, f"Saved the changes to {account.email}.")
        return redirect("accounts:users")
    return _user_edit_page(request, account, form)


def _update_user(request, account, form) -> bool:
    try:
        services.update_user(request.user, account, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _user_edit_page(request, account, form):
    return render(request, "accounts/user_edit.html", {"account": account, "form": form})
