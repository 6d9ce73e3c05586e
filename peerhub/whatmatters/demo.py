"""The what-matters demo: the example survey instrument and the example workshop, each with
invented answers (clearly named as such) so the results pages have something to show.

The answers are simulated from made-up preferences, imported through the same CSV import
organisers use. They are not real data and say nothing about what people think."""

import csv
import io
import math
import random

from peerhub.accounts.demo import load_demo_users
from peerhub.whatmatters import answers as answer_rules
from peerhub.whatmatters import imports, services
from peerhub.whatmatters.models import Exercise, Kind, Status

DEMO_FILE = "invented-demo-answers.csv"
PEOPLE = {"survey": 90, "workshop": 36}
SEED = 7
NOTE = " The answers shown are invented for the demo; they are not real data."


def _organiser():
    return next(user for user in load_demo_users() if user.email == "curator@example.org")


def load_whatmatters_demo() -> str:
    """Create the example survey and workshop once (running it again changes nothing)."""
    organiser = _organiser()
    made = []
    for key in ("survey", "workshop"):
        if not Exercise.objects.filter(template=key, organiser=organiser, title__startswith="Demo: ").exists():
            made.append(_make(key, organiser))
    if not made:
        return "the example survey and workshop were already there"
    return ", ".join(f"“{e.title}” with {e.responses.count()} invented responses" for e in made)


def _make(key: str, organiser) -> Exercise:
    exercise = services.create_from_template(key, organiser=organiser)
    services.update_exercise(exercise, {"title": f"Demo: {exercise.title}", "summary": exercise.summary + NOTE,
                                        "results_public": True}, actor=organiser)
    services.set_status(exercise, Status.OPEN, actor=organiser)
    content = invented_answers(exercise, PEOPLE[key], random.Random(SEED))
    imports.import_responses(exercise, DEMO_FILE, content, actor=organiser)
    return exercise


def invented_answers(exercise: Exercise, people: int, rng: random.Random) -> bytes:
    """A CSV in the import layout: each invented person answers every question from made-up
    preferences that differ a little by group, plus noise."""
    questions, factors = list(exercise.questions.all()), list(exercise.factors.all())
    codes = [f.code for f in factors]
    columns = ["weight", *[c for q in questions for c in answer_rules.columns(q, codes)]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for _ in range(people):
        group = rng.randrange(len(questions[0].options))
        taste = {code: -i * 0.3 + (0.8 if (i + group) % 3 == 0 else 0) + rng.gauss(0, 0.7)
                 for i, code in enumerate(codes)}
        row = {"weight": f"{rng.uniform(0.6, 1.6):.3f}"}
        for question in questions:
            value = _invent(question, codes, taste, group, rng)
            row.update(answer_rules.to_cells(question, value, codes))
        writer.writerow(row)
    return out.getvalue().encode()


def _invent(question, codes, taste, group, rng):
    order = sorted(codes, key=lambda code: -(taste[code] + rng.gauss(0, 0.5)))
    if question.defines_groups:
        return question.options[group]
    if question.kind == Kind.BEST_WORST:
        return [{"best": min(s, key=order.index), "worst": max(s, key=order.index)} for s in question.design]
    if question.kind == Kind.RANKING:
        return order
    if question.kind == Kind.RATING:
        return min(question.scale_max, max(question.scale_min, round(3 + group * 0.5 + rng.gauss(0, 1))))
    if question.kind == Kind.SINGLE:
        return rng.choice(question.options)
    if question.kind == Kind.MULTIPLE:
        return [o for i, o in enumerate(question.options) if rng.random() < 0.3 + 0.2 * ((i + group) % 2)] or \
            [question.options[0]]
    if question.kind == Kind.DOTS:
        return {order[0]: question.votes - 2, order[1]: 1, order[2]: 1}
    return {code: "MSCW"[min(3, math.floor(order.index(code) / max(1, len(codes) / 4)))] for code in codes}
