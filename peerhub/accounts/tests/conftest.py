"""Shared fixtures for the accounts tests."""

import time

import pytest
from django.core.cache import cache

from peerhub.accounts.forms import signed_form_timestamp

STRONG_PASSWORD = "lantern-orchard-meadow-42"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The sign-up rate limit lives in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signup_data():
    """A sign-up as a person sends it: the form was shown ten seconds ago, honeypot empty."""

    def build(email="new.person@example.org", **changes):
        data = {
            "email": email,
            "display_name": "New Person",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
            "website": "",
            "started": signed_form_timestamp(time.time() - 10),
        }
        return {**data, **changes}

    return build
