"""The taxonomy as curators see and change it: reads (the trees of terms) and writes (add, edit,
merge). Every write is audit-logged with subject type "library.term"; a merge also records the
change on each resource it re-tags, so no resource's history has a gap."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.text import slugify

from peerhub.audit.services import record_event
from peerhub.library.models import Resource, Term, Vocabulary
from peerhub.library.services import SUBJECT as RESOURCE_SUBJECT
from peerhub.library.services import snapshot as resource_snapshot

SUBJECT = "library.term"


# Reads ---------------------------------------------------------------------------------------

@dataclass
class TermNode:
    term: Term
    depth: int
    parent: Term | None = None
    children: list["TermNode"] = field(default_factory=list)


@dataclass
class VocabularyTree:
    vocabulary: Vocabulary
    roots: list[TermNode]

    def flat(self) -> list[TermNode]:
        """Every node, each parent followed by its children (the order of a checkbox list)."""
        found, stack = [], list(reversed(self.roots))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found


def _build_nodes(parent: Term | None, depth: int, by_parent: dict) -> list[TermNode]:
    nodes = []
    for term in by_parent.get(parent.pk if parent else None, []):
        node = TermNode(term, depth, parent)
        node.children = _build_nodes(term, depth + 1, by_parent)
        nodes.append(node)
    return nodes


def _tree(vocabulary: Vocabulary, terms: list[Term]) -> VocabularyTree:
    by_parent: dict[int | None, list[Term]] = {}
    for term in terms:
        by_parent.setdefault(term.parent_id, []).append(term)
    return VocabularyTree(vocabulary, _build_nodes(None, 0, by_parent))


def vocabulary_trees(slugs: list[str] | None = None) -> list[VocabularyTree]:
    """The live (not merged) terms of each vocabulary as trees, with how many resources carry
    each term. Two queries whatever the size of the taxonomy."""
    vocabularies = Vocabulary.objects.all()
    if slugs is not None:
        vocabularies = vocabularies.filter(slug__in=slugs)
    terms = (
        Term.objects.filter(merged_into__isnull=True, vocabulary__in=vocabularies)
        .annotate(resource_count=Count("resources"))
        .order_by("order", "name")
    )
    by_vocabulary: dict[int, list[Term]] = {}
    for term in terms:
        by_vocabulary.setdefault(term.vocabulary_id, []).append(term)
    return [_tree(v, by_vocabulary.get(v.pk, [])) for v in vocabularies]


def vocabulary_tree(vocabulary: Vocabulary) -> VocabularyTree:
    return vocabulary_trees([vocabulary.slug])[0]


def vocabulary_by_slug(slug: str) -> Vocabulary | None:
    return Vocabulary.objects.filter(slug=slug).first()


def live_term(pk) -> Term | None:
    """A term curators can still change; a merged term is hidden, so it is reported missing."""
    return Term.objects.filter(pk=pk, merged_into__isnull=True).select_related("vocabulary", "parent").first()


def live_terms_of(vocabulary: Vocabulary):
    return Term.objects.filter(vocabulary=vocabulary, merged_into__isnull=True)


def term_names(term_ids) -> dict[int, str]:
    """Names of terms, merged ones included (history shows what a resource was tagged with)."""
    return dict(Term.objects.filter(pk__in=term_ids).values_list("pk", "name"))


# Writes --------------------------------------------------------------------------------------

def term_snapshot(term: Term) -> dict:
    return {
        "name": term.name, "slug": term.slug, "description": term.description,
        "vocabulary": term.vocabulary.slug, "parent": term.parent_id, "merged_into": term.merged_into_id,
    }


def _record(term: Term, action: str, before: dict, actor, note: str = "") -> None:
    record_event(subject_type=SUBJECT, subject_id=term.pk, action=action, actor=actor,
                 before=before, after=term_snapshot(term), note=note)


def _check_name_free(vocabulary: Vocabulary, name: str, exclude_pk=None) -> None:
    clash = live_terms_of(vocabulary).filter(name__iexact=name).exclude(pk=exclude_pk).exists()
    if clash:
        raise ValidationError({"name": f"There is already a term called “{name}” in {vocabulary.name}."})


def _unique_slug(vocabulary: Vocabulary, name: str) -> str:
    # Merged terms keep their slugs, so a new term may need a suffix.
    base = slugify(name)[:110] or "term"
    taken = set(Term.objects.filter(vocabulary=vocabulary, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_parent(term: Term | None, vocabulary: Vocabulary, parent: Term | None) -> None:
    if parent is None:
        return
    if parent.vocabulary_id != vocabulary.pk or parent.merged_into_id:
        raise ValidationError({"parent": f"Choose a parent from the {vocabulary.name} list."})
    if term is not None and _is_within(parent, term):
        raise ValidationError({"parent": (
            f"“{term.name}” cannot go under “{parent.name}”, because “{parent.name}” is "
            f"{'the same term' if parent.pk == term.pk else 'inside it'}. Choose another parent."
        )})


def _is_within(candidate: Term, ancestor: Term) -> bool:
    """True when candidate is ancestor itself or somewhere below it."""
    seen = set()
    node = candidate
    while node is not None and node.pk not in seen:
        if node.pk == ancestor.pk:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter a name for the term."})
    return name


@transaction.atomic
def add_term(vocabulary: Vocabulary, *, name: str, parent: Term | None = None, description: str = "",
             actor) -> Term:
    name = _clean_name(name)
    _check_name_free(vocabulary, name)
    _check_parent(None, vocabulary, parent)
    siblings = live_terms_of(vocabulary).filter(parent=parent).count()
    term = Term.objects.create(vocabulary=vocabulary, parent=parent, name=name, slug=_unique_slug(vocabulary, name),
                               description=description.strip(), order=siblings)
    _record(term, "term added", {}, actor)
    return term


@transaction.atomic
def update_term(term: Term, *, name: str, parent: Term | None, description: str = "", actor) -> Term:
    """Rename, move or re-describe a term. The slug stays, so saved searches and links keep working."""
    name = _clean_name(name)
    _check_name_free(term.vocabulary, name, exclude_pk=term.pk)
    _check_parent(term, term.vocabulary, parent)
    before = term_snapshot(term)
    term.name, term.parent, term.description = name, parent, description.strip()
    term.save()
    _record(term, "term edited", before, actor)
    return term


def _check_mergeable(source: Term, target: Term) -> None:
    if source.pk == target.pk:
        raise ValidationError({"target": "Choose a different term to merge into."})
    if source.vocabulary_id != target.vocabulary_id:
        raise ValidationError({"target": f"Choose a term from the {source.vocabulary.name} list."})
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError({"target": "That term has already been merged. Choose another."})


def _lift_out_of(source: Term, target: Term) -> None:
    # Merging a parent into one of its own descendants: the target first takes the source's
    # place, otherwise moving the source's children under it could make a loop.
    if _is_within(target, source):
        target.parent = source.parent
        target.save(update_fields=["parent"])


def _retag_resources(source: Term, target: Term, actor, note: str) -> None:
    through = Resource.terms.through
    resources = list(Resource.objects.filter(terms=source).order_by("pk"))
    befores = {r.pk: resource_snapshot(r) for r in resources}
    already = set(through.objects.filter(term=target).values_list("resource_id", flat=True))
    through.objects.bulk_create([through(resource_id=r.pk, term=target) for r in resources if r.pk not in already])
    through.objects.filter(term=source).delete()
    for resource in resources:
        before = befores[resource.pk]
        after = {**before, "terms": sorted({*before["terms"], target.pk} - {source.pk})}
        record_event(subject_type=RESOURCE_SUBJECT, subject_id=resource.pk, action="term merged", actor=actor,
                     before=before, after=after, note=note)


@transaction.atomic
def merge_terms(source: Term, target: Term, actor) -> Term:
    """Fold source into target: every resource tagged with source is tagged with target
    instead, source's children move under target, and source is hidden (merged_into)."""
    _check_mergeable(source, target)
    note = f"“{source.name}” merged into “{target.name}”"
    _lift_out_of(source, target)
    _retag_resources(source, target, actor, note)
    before = term_snapshot(source)
    source.children.exclude(pk=target.pk).update(parent=target)
    # Terms merged into source earlier now point straight at target: one step always reaches a live term.
    Term.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into, source.parent = target, None
    source.save(update_fields=["merged_into", "parent"])
    _record(source, "term merged", before, actor, note)
    return target


def merge_summary(source: Term) -> dict:
    """What a merge of this term would change, for the confirmation page."""
    return Term.objects.filter(pk=source.pk).aggregate(
        resources=Count("resources", distinct=True),
        children=Count("children", filter=Q(children__merged_into__isnull=True), distinct=True),
    )
