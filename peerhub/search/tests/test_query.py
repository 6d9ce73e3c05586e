from hypothesis import given, settings
from hypothesis import strategies as st

from peerhub.search.backends import PostgresBackend, SQLiteBackend
from peerhub.search.query import MAX_ATOMS, describe, parse


def test_it_keeps_stemmed_terms_beside_the_words_as_written():
    atom = parse("Behaviours").groups[0][0]
    assert atom.words == ("behaviours",) and atom.terms == ("behavior",)


def test_it_treats_a_prefix_with_the_spelling_map():
    atom = parse("organis*").groups[0][0]
    assert atom.prefix and atom.terms == ("organis",)
    assert parse("organisation*").groups[0][0].terms == ("organization",)


def test_it_falls_back_to_any_word_as_one_or_group():
    query = parse("peer mentoring -alcohol").any_word()
    assert [[a.terms for a in g] for g in query.groups] == [[("peer",), ("mentor",)]]
    assert [a.terms for a in query.excluded] == [("alcohol",)]


def test_it_reads_plain_words_as_and():
    query = parse("peer mentoring")
    assert [[a.words for a in g] for g in query.groups] == [[("peer",)], [("mentoring",)]]


def test_it_reads_phrases_or_exclusions_and_prefixes():
    query = parse('"peer support" OR mentoring -alcohol recov*')
    assert [[a.words for a in g] for g in query.groups] == [[("peer", "support"), ("mentoring",)], [("recov",)]]
    assert query.groups[1][0].prefix is True
    assert [a.words for a in query.excluded] == [("alcohol",)]


def test_it_drops_stop_words_and_punctuation():
    assert parse("the (( )) !!").is_empty
    assert [[a.words for a in g] for g in parse("the café").groups] == [[("cafe",)]]


def test_it_restates_the_query_in_words():
    assert describe(parse('"peer support" OR mentoring -alcohol')) == "“peer support” or mentoring, but not alcohol"


def test_it_caps_the_number_of_terms():
    query = parse(" ".join(f"word{i}" for i in range(100)))
    assert len(query.positive_atoms()) == MAX_ATOMS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_input_renders_to_word_tokens_only(text):
    query = parse(text)
    for rendered in (SQLiteBackend().render(query), PostgresBackend().render(query)):
        # Only our own syntax characters around word tokens: nothing the user typed as syntax.
        stripped = rendered
        syntax = (":*", '"', "(", ")", "*", " OR ", " AND ", " NOT ", "<->", "|", "&", "!", "'")
        for token in syntax:
            stripped = stripped.replace(token, " ")
        assert all(ch.isalnum() or ch in " _" for ch in stripped), rendered
