"""The what-matters journey in a real browser: an organiser builds a live workshop with a
best-worst question and a dot-voting board, three participants (one per group) answer from their
own browsers, the facilitator's screen updates without a reload, and the results page shows each
group's top six and the comparison. axe finds no serious or critical problems on any page."""

import pytest

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.whatmatters.models import Exercise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FACTORS = ["Quality of the service", "Better health", "Meeting people like me", "A doctor's recommendation",
           "Easy to get to", "Free to join"]
GROUPS = ["Used peer support", "Not used it", "Run a group"]


def _build_exercise(page, base):
    page.goto(f"{base}/what-matters/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Browser workshop")
    page.get_by_label("Live workshop").check()
    page.get_by_label("Smallest group to show in results").fill("1")
    page.get_by_role("button", name="Create the exercise").click()
    page.get_by_role("link", name="Change the factors").click()
    page.get_by_label("Factors or cards, one per line").fill("\n".join(FACTORS))
    assert_accessible(page)
    page.get_by_role("button", name="Save the factors").click()
    _add_question(page, "Single choice", "Which describes you?", options="\n".join(GROUPS), profile=True)
    _add_question(page, "Best-worst scaling (most and least important in sets)", "Most and least important?",
                  set_size="3")
    _add_question(page, "Dot voting over the cards", "Where should we start?", votes="3")
    page.get_by_role("button", name="Open for responses").click()
    assert_accessible(page)
    return Exercise.objects.get(title="Browser workshop")


def _add_question(page, kind, prompt, options="", profile=False, set_size=None, votes=None):
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Question", exact=True).fill(prompt)
    if options:
        page.get_by_label("Options, one per line").fill(options)
    if profile:
        page.get_by_label("This profile question defines the respondent groups").check()
    if set_size:
        page.get_by_label("Factors in each set (best-worst scaling)").fill(set_size)
    if votes:
        page.get_by_label("Votes each person has (dot voting)").fill(votes)
    assert_accessible(page)
    page.get_by_role("button", name="Add the question").click()


def _join(phone, base, code, group, check):
    phone.goto(f"{base}/what-matters/join/")
    if check:
        assert_accessible(phone)
    phone.get_by_label("Workshop code").fill(code.lower())
    phone.get_by_role("button", name="Join").click()
    phone.get_by_label(group).check()
    phone.get_by_label("I have read the information above and agree to take part").check()
    if check:
        assert_accessible(phone)
    phone.get_by_role("button", name="Join the workshop").click()
    phone.get_by_text("Wait for the facilitator").wait_for()


def _answer_best_worst(phone, person, sets, check):
    phone.get_by_role("link", name="Answer now").click(timeout=15000)
    if check:
        assert_accessible(phone)
    for index in range(sets):
        most = phone.get_by_role("group", name=f"Set {index + 1} of {sets}: which matters most?")
        least = phone.get_by_role("group", name=f"Set {index + 1} of {sets}: which matters least?")
        most.get_by_role("radio").nth(person % 3).check()
        least.get_by_role("radio").nth((person + 1) % 3).check()
    phone.get_by_role("button", name="Send my answer").click()
    phone.get_by_text("your answer is in").wait_for()


def _vote(phone, person):
    phone.get_by_role("link", name="Answer now").click(timeout=15000)
    phone.get_by_label(FACTORS[person], exact=True).fill("3")
    phone.get_by_role("button", name="Send my answer").click()
    phone.get_by_text("your answer is in").wait_for()


def test_a_live_workshop_from_building_to_results(page, browser, live_server, contributor):
    base = live_server.url
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    sign_in(page, base, contributor.email)
    exercise = _build_exercise(page, base)
    phones = [browser.new_context().new_page() for _ in GROUPS]
    for person, (phone, group) in enumerate(zip(phones, GROUPS, strict=True)):
        _join(phone, base, exercise.join_code, group, check=person == 0)
    page.goto(f"{base}/what-matters/{exercise.pk}/facilitate/")
    page.get_by_text("3 people have joined.").wait_for()
    page.get_by_role("button", name="Open the round: Most and least important?").click()
    page.evaluate("window.stillTheSamePage = true")  # a reload would lose this
    assert_accessible(page)
    sets = len(Exercise.objects.get(pk=exercise.pk).questions.get(kind="best_worst").design)
    for person, phone in enumerate(phones):
        _answer_best_worst(phone, person, sets, check=person == 0)
        page.get_by_text(f"{person + 1} {'has' if person == 0 else 'have'} answered this round.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    page.get_by_role("button", name="Open the round: Where should we start?").click()
    for person, phone in enumerate(phones):
        _vote(phone, person)
    page.get_by_text("3 have answered this round.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Close this round").click()
    page.goto(f"{base}/what-matters/{exercise.pk}/results/")
    page.get_by_role("heading", name="Each group's top six").first.wait_for()
    page.get_by_role("heading", name="Comparing the groups").first.wait_for()
    for group in GROUPS:
        assert page.get_by_role("heading", name=f"People who answered “{group}”").count() >= 1
    assert_accessible(page)
    assert not csp_errors, csp_errors
