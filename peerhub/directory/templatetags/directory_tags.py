from django import template

from peerhub.directory.finder import checked_in_words
from peerhub.directory.selectors import is_stale as stale

register = template.Library()


@register.filter
def terms_for(attributes: dict, service_id) -> list:
    """The hub terms a listing card shows (its format and needs, not its internal grouping)."""
    return [a.taxonomy_term for a in attributes.get(service_id, []) if ":" in a.taxonomy_term.code]


@register.filter
def checked_words(service) -> str:
    return checked_in_words(service)


@register.filter
def is_stale(service) -> bool:
    return stale(service)


@register.filter
def facts_for(card_facts: dict, service_id) -> list:
    """What a results card says about each factor that matters to the reader (directory.matters)."""
    return card_facts.get(service_id, [])
