"""Fixtures shared by the whole suite: the four personas, and browser settings.

The network is blocked for every test by pytest-socket (see pyproject: only loopback hosts are
allowed), so no test can reach the internet."""

import os
import shutil

import pytest

from peerhub.accounts.models import Role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside live-server tests

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct-horse-battery-staple"


def _make_user(django_user_model, email, role):
    return django_user_model.objects.create_user(
        email=email, password=PASSWORD, role=role, display_name=email.split("@")[0]
    )


@pytest.fixture
def contributor(db, django_user_model):
    return _make_user(django_user_model, "contributor@example.org", Role.CONTRIBUTOR)


@pytest.fixture
def professional(db, django_user_model):
    """A contributor an administrator has confirmed as a health or care professional."""
    user = _make_user(django_user_model, "professional@example.org", Role.CONTRIBUTOR)
    user.is_professional = True
    user.save(update_fields=["is_professional"])
    return user


@pytest.fixture
def other_contributor(db, django_user_model):
    return _make_user(django_user_model, "other@example.org", Role.CONTRIBUTOR)


@pytest.fixture
def curator(db, django_user_model):
    return _make_user(django_user_model, "curator@example.org", Role.CURATOR)


@pytest.fixture
def admin_user(db, django_user_model):
    return _make_user(django_user_model, "admin@example.org", Role.ADMIN)


@pytest.fixture
def personas(db, contributor, curator, admin_user):
    """visitor (None), contributor, curator, admin: for permission matrices."""
    return {"visitor": None, "contributor": contributor, "curator": curator, "admin": admin_user}


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (None for a visitor)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is required for the browser tests under CI=true (apt-get install chromium).")
        pytest.skip("SKIPPED: browser test needs Debian's chromium (apt-get install -y chromium).")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests (live-server browser tests) flush every table when they end, which
    also wipes the data that migrations install (the default taxonomy, seeded vocabularies and
    synonyms). So they run last of all, and serialised rollback restores that data at the start
    of each of them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
    items.sort(key=_is_transactional)  # stable: every other test keeps its place


def _reinstall_seed_data() -> None:
    """What the data migrations install, put back (each installer is idempotent)."""
    from uuid import uuid4

    from peerhub.directory.hub_taxonomy import install_hub_taxonomy
    from peerhub.directory.models import Taxonomy, TaxonomyTerm
    from peerhub.library.models import Term, Vocabulary
    from peerhub.library.taxonomy_install import install_default_taxonomy
    from peerhub.search.models import SearchState
    from peerhub.stories.default_topography import install_default_topography
    from peerhub.stories.models import TopographyTerm

    install_default_taxonomy(Vocabulary, Term)
    install_hub_taxonomy(Taxonomy, TaxonomyTerm, Term)
    install_default_topography(TopographyTerm)
    if not SearchState.objects.exists():
        SearchState.objects.create(token=uuid4().hex)


@pytest.fixture(autouse=True)
def _seed_data_for_transactional_tests(request):
    """Belt and braces for serialised rollback: a transactional test always starts with the
    seeded vocabularies, whatever ran before it."""
    if _is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        _reinstall_seed_data()
