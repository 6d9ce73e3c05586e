import pytest

from peerhub.whatmatters.demo import load_whatmatters_demo
from peerhub.whatmatters.models import Exercise, Source

pytestmark = pytest.mark.django_db


def test_it_loads_the_example_instrument_and_workshop_once_with_labelled_invented_answers():
    message = load_whatmatters_demo()
    assert "invented responses" in message
    exercises = Exercise.objects.order_by("title")
    assert [e.template for e in exercises] == ["workshop", "survey"]
    assert all("invented for the demo" in e.summary and e.results_public for e in exercises)
    assert {r.source for e in exercises for r in e.responses.all()} == {Source.IMPORT}
    assert load_whatmatters_demo() == "the example survey and workshop were already there"
    assert Exercise.objects.count() == 2
