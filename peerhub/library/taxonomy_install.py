"""Installs the default taxonomy. Used by a data migration, so it works on historical models."""

from django.utils.text import slugify

from peerhub.library.default_taxonomy import DEFAULT_TAXONOMY


def _add_terms(Term, vocabulary, entries, parent=None):
    for order, entry in enumerate(entries):
        name, children = (entry, []) if isinstance(entry, str) else entry
        term, _ = Term.objects.get_or_create(
            vocabulary=vocabulary, slug=slugify(name)[:120],
            defaults={"name": name, "parent": parent, "order": order},
        )
        _add_terms(Term, vocabulary, children, parent=term)


def install_default_taxonomy(Vocabulary, Term) -> None:
    for order, (slug, name, question, entries) in enumerate(DEFAULT_TAXONOMY):
        vocabulary, _ = Vocabulary.objects.get_or_create(
            slug=slug, defaults={"name": name, "question": question, "order": order}
        )
        _add_terms(Term, vocabulary, entries)
