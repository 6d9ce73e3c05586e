"""Taxonomy reads and writes: trees, adding, renaming, moving and merging terms."""

import pytest
from django.core.exceptions import ValidationError

from peerhub.audit.models import AuditEvent
from peerhub.library import taxonomy
from peerhub.library.facets import SearchParams
from peerhub.library.models import Term, Vocabulary
from peerhub.library.selectors import search_resources, term_lookup
from peerhub.library.tests.curation_helpers import a_published, term

pytestmark = pytest.mark.django_db


def condition():
    return Vocabulary.objects.get(slug="condition")


def test_the_trees_put_children_under_parents_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        trees = taxonomy.vocabulary_trees()
    tree = next(t for t in trees if t.vocabulary.slug == "condition")
    flat = [(node.term.name, node.depth) for node in tree.flat()]
    assert flat[:2] == [("Mental health", 0), ("Anxiety", 1)]
    assert ("Long-term physical conditions", 0) in flat


def test_the_trees_count_resources_per_term():
    a_published(terms=[term("anxiety")])
    tree = taxonomy.vocabulary_tree(condition())
    counts = {node.term.slug: node.term.resource_count for node in tree.flat()}
    assert counts["anxiety"] == 1 and counts["depression"] == 0


def test_it_adds_a_term_with_a_unique_slug_and_an_audit_event(curator):
    new = taxonomy.add_term(condition(), name="  Bipolar   disorder ", parent=term("mental-health"), actor=curator)
    assert (new.name, new.slug, new.parent) == ("Bipolar disorder", "bipolar-disorder", term("mental-health"))
    event = AuditEvent.objects.get(subject_type="library.term", subject_id=str(new.pk))
    assert (event.action, event.actor) == ("term added", curator)


def test_it_reuses_no_slug_of_a_merged_term(curator):
    merged = term("anxiety")
    taxonomy.merge_terms(merged, term("depression"), curator)
    new = taxonomy.add_term(condition(), name="Anxiety", actor=curator)
    assert new.slug == "anxiety-2"


def test_it_refuses_a_name_already_used_in_the_vocabulary(curator):
    with pytest.raises(ValidationError) as error:
        taxonomy.add_term(condition(), name="ANXIETY", actor=curator)
    assert error.value.message_dict["name"] == ["There is already a term called “ANXIETY” in Condition."]


def test_the_same_name_may_be_used_in_another_vocabulary(curator):
    taxonomy.add_term(Vocabulary.objects.get(slug="setting"), name="Anxiety", actor=curator)


def test_it_refuses_a_parent_from_another_vocabulary(curator):
    with pytest.raises(ValidationError) as error:
        taxonomy.add_term(condition(), name="Something", parent=term("men", "community"), actor=curator)
    assert "Choose a parent from the Condition list" in error.value.message_dict["parent"][0]


def test_it_renames_a_term_keeping_its_slug(curator):
    renamed = taxonomy.update_term(term("anxiety"), name="Anxiety disorders", parent=term("mental-health"),
                                   actor=curator)
    assert (renamed.name, renamed.slug) == ("Anxiety disorders", "anxiety")
    assert AuditEvent.objects.get(action="term edited").changes == {"name": ["Anxiety", "Anxiety disorders"]}


def test_it_moves_a_term_under_another_parent(curator):
    taxonomy.update_term(term("anxiety"), name="Anxiety", parent=term("long-term-physical-conditions"),
                         actor=curator)
    assert term("anxiety").parent == term("long-term-physical-conditions")


@pytest.mark.parametrize("new_parent", ["mental-health", "anxiety"])
def test_it_refuses_to_make_a_cycle(curator, new_parent):
    with pytest.raises(ValidationError) as error:
        taxonomy.update_term(term("mental-health"), name="Mental health", parent=term(new_parent), actor=curator)
    assert "cannot go under" in error.value.message_dict["parent"][0]
    assert term("mental-health").parent is None


def test_a_merge_keeps_every_tagged_resource_and_hides_the_source(curator):
    source, target = term("anxiety"), term("depression")
    both = a_published("Tagged with both", terms=[source, target])
    only_source = a_published("Tagged with the source", terms=[source])
    only_target = a_published("Tagged with the target", terms=[target])
    tagged_before = {both.pk, only_source.pk, only_target.pk}
    taxonomy.merge_terms(source, target, curator)
    assert set(target.resources.values_list("pk", flat=True)) == tagged_before
    assert term("anxiety").merged_into == target
    assert not term("anxiety").resources.exists()
    assert ("condition", "anxiety") not in term_lookup()
    assert "anxiety" not in {n.term.slug for n in taxonomy.vocabulary_tree(condition()).flat()}


def test_a_merge_records_the_term_and_each_resource_history(curator):
    source, target = term("anxiety"), term("depression")
    resource = a_published(terms=[source])
    taxonomy.merge_terms(source, target, curator)
    term_event = AuditEvent.objects.get(subject_type="library.term", action="term merged")
    assert term_event.changes["merged_into"] == [None, target.pk]
    resource_event = AuditEvent.objects.get(subject_type="library.resource", subject_id=str(resource.pk),
                                            action="term merged")
    assert resource_event.changes == {"terms": [[source.pk], [target.pk]]}
    assert resource_event.snapshot["title"] == resource.title


def test_a_merge_moves_children_to_the_target(curator):
    mental_health, physical = term("mental-health"), term("long-term-physical-conditions")
    children = set(mental_health.children.values_list("pk", flat=True))
    taxonomy.merge_terms(mental_health, physical, curator)
    assert children <= set(term("long-term-physical-conditions").children.values_list("pk", flat=True))


def test_a_merge_into_a_child_makes_no_loop(curator):
    parent, child = term("mental-health"), term("anxiety")
    taxonomy.merge_terms(parent, child, curator)
    child.refresh_from_db()
    assert child.parent is None
    assert term("depression").parent == child


def test_a_search_filter_on_a_merge_target_finds_the_resources_of_the_source(curator):
    resource = a_published("Anxiety peer groups", terms=[term("anxiety")])
    taxonomy.merge_terms(term("anxiety"), term("depression"), curator)
    page = search_resources(SearchParams(terms={"condition": ["depression"]}))
    assert [r.pk for r in page.items] == [resource.pk]


@pytest.mark.parametrize(("source", "target", "message"), [
    ("anxiety", "anxiety", "Choose a different term"),
    ("anxiety", ("men", "community"), "Choose a term from the Condition list"),
])
def test_it_refuses_a_merge_that_makes_no_sense(curator, source, target, message):
    target_term = term(*target) if isinstance(target, tuple) else term(target)
    with pytest.raises(ValidationError, match=message):
        taxonomy.merge_terms(term(source), target_term, curator)


def test_it_refuses_to_merge_an_already_merged_term(curator):
    source = term("anxiety")
    taxonomy.merge_terms(source, term("depression"), curator)
    with pytest.raises(ValidationError, match="already been merged"):
        taxonomy.merge_terms(Term.objects.get(pk=source.pk), term("psychosis"), curator)


def test_the_merge_summary_counts_resources_and_live_children():
    a_published(terms=[term("mental-health")])
    summary = taxonomy.merge_summary(term("mental-health"))
    assert summary == {"resources": 1, "children": 7}


def test_the_taxonomy_kept_between_searches_follows_every_write_at_once(curator):
    before = term_lookup()
    assert term_lookup() is before  # kept: no rebuild while nothing changes
    added = taxonomy.add_term(condition(), name="Tinnitus", actor=curator)
    assert ("condition", added.slug) in term_lookup()
    taxonomy.update_term(added, name="Ringing in the ears", parent=None, actor=curator)
    assert term_lookup()[("condition", added.slug)].name == "Ringing in the ears"
    Term.objects.filter(pk=added.pk).update(name="Changed outside the services")  # any write path
    assert term_lookup()[("condition", added.slug)].name == "Changed outside the services"
