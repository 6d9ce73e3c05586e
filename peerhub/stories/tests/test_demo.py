"""The demo: clearly fictitious examples across storytellers and purposes, loaded once."""

import pytest
from django.core import mail

from peerhub.stories.demo import load_stories_demo
from peerhub.stories.models import Story, StoryStatus

pytestmark = pytest.mark.django_db


def test_it_loads_published_examples_marked_as_invented_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert load_stories_demo() == "6 example stories added"
    assert load_stories_demo() == "0 example stories added"
    stories = list(Story.objects.prefetch_related("terms"))
    assert all(s.is_example and s.status == StoryStatus.PUBLISHED and not s.is_named for s in stories)
    assert all(s.title.startswith("Example:") and "invented example" in s.body for s in stories)
    assert len({t.slug for s in stories for t in s.terms.all() if t.dimension == "storyteller"}) == 5
    assert len({t.slug for s in stories for t in s.terms.all() if t.dimension == "purpose"}) >= 5
    assert mail.outbox == []  # nobody is emailed about an invented story
    shared = [(s.visibility, s.open_data) for s in stories]
    assert shared.count(("signed_in", False)) == 1 and shared.count(("open", True)) == 5
