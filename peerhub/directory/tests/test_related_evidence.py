"""A listing page shows the evidence library's published resources about the same condition
or the same kind of peer support, and nothing unpublished or unrelated."""

import pytest
from django.urls import reverse

from peerhub.directory.models import Service
from peerhub.library.models import Term
from peerhub.library.services import create_resource

PERSONAS = ["visitor", "contributor", "curator", "admin"]


def resource(title: str, *terms: Term, publish: bool = True):
    return create_resource({"title": title, "resource_type": "report", "summary": "What helped."}, actor=None,
                           terms=terms, publish=publish)


def library_term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


@pytest.fixture
def evidence(demo):
    resource("Hearing voices groups: what members value", library_term("condition", "psychosis"))
    resource("Peer-led groups for long-term conditions", library_term("format", "peer-led"))
    resource("Diabetes buddies in primary care", library_term("condition", "diabetes"))
    resource("Draft: psychosis peer support review", library_term("condition", "psychosis"), publish=False)


def related_titles(html: str) -> str:
    return html.split("<h2>Related evidence</h2>", 1)[1] if "<h2>Related evidence</h2>" in html else ""


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_listing_shows_published_evidence_on_its_condition_and_format(client_for, personas, evidence, persona):
    service = Service.objects.get(name="Leeds Hearing Voices Group")  # psychosis, peer-led group
    related = related_titles(client_for(personas[persona]).get(reverse("directory:detail", args=[service.id]))
                             .content.decode())
    assert "Hearing voices groups: what members value" in related
    assert "Peer-led groups for long-term conditions" in related
    assert "Diabetes buddies in primary care" not in related
    assert "Draft: psychosis peer support review" not in related


def test_a_listing_with_no_related_evidence_has_no_section(client, evidence):
    service = Service.objects.get(name="Cardiff Young Carers Meet-up")  # professionally facilitated, no condition
    html = client.get(reverse("directory:detail", args=[service.id])).content.decode()
    assert "Related evidence" not in html


def test_the_related_evidence_links_to_the_library(client, evidence):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    html = client.get(reverse("directory:detail", args=[service.id])).content.decode()
    assert 'href="/library/' in related_titles(html)


def local_support(html: str) -> str:
    heading = "<h2>Local peer support on this topic</h2>"
    return html.split(heading, 1)[1].split("</ul>", 1)[0] if heading in html else ""


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_library_resource_shows_the_services_on_its_condition(client_for, personas, demo, persona):
    about_psychosis = resource("Hearing voices groups: what members value", library_term("condition", "psychosis"))
    html = client_for(personas[persona]).get(about_psychosis.get_absolute_url()).content.decode()
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    assert reverse("directory:detail", args=[service.id]) in local_support(html)
    assert "Cardiff Young Carers Meet-up" not in local_support(html)


def test_a_library_resource_on_an_unserved_topic_has_no_local_support_section(client, demo):
    about_hiv = resource("Living well with HIV: peer mentors", library_term("condition", "hiv"))
    assert local_support(client.get(about_hiv.get_absolute_url()).content.decode()) == ""
