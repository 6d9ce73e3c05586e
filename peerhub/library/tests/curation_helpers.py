"""Small builders shared by the submission and curation tests (plain functions, not fixtures,
so other test modules' fixtures cannot clash with them)."""

from peerhub.library import services
from peerhub.library.models import Term


def a_submission(title="Peer support groups for new parents", *, submitter=None, email="visitor@example.org",
                 **fields):
    data = {"title": title, "resource_type": "research_study", "url": "https://example.org/parents", **fields}
    return services.submit_resource(data, submitter=submitter, submitter_email="" if submitter else email)


def a_published(title="Peer mentoring in diabetes care", *, actor=None, terms=(), **fields):
    data = {"title": title, "resource_type": "report", "summary": "What peer mentors did and what changed.",
            **fields}
    return services.create_resource(data, actor=actor, terms=terms, publish=True)


def term(slug, vocabulary="condition") -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def submit_form_data(**changes) -> dict:
    """A complete, valid suggestion as the form posts it."""
    data = {
        "title": "Walking together: a peer support evaluation",
        "url": "https://www.example.org/walking-together",
        "resource_type": "evaluation_report",
        "summary": "How a walking group run by peers helped people with long-term conditions.",
        "description": "",
        "authors": "Smith J\nPatel R",
        "organisation": "Example Trust",
        "pub_year": "2023",
        "pub_month": "5",
        "doi": "",
        "pmid": "",
        "isbn": "",
        "access": "free",
        "note": "Found it at a conference.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
