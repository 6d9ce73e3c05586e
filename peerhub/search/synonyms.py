"""Query expansion with the curators' synonyms: a word or phrase from a synonym group becomes an
OR of the whole group, so "COPD" also finds "chronic obstructive pulmonary disease"."""

from dataclasses import replace

from peerhub.search.query import Atom, Query
from peerhub.search.text import words

MAX_SYNONYM_WORDS = 6


def _group_for(found_terms: tuple[str, ...], groups) -> list[tuple[tuple[str, ...], str]] | None:
    return next((group for group in groups if any(t == found_terms for t, _text in group)), None)


def _alternatives(group, found_terms) -> list[Atom]:
    return [Atom(tuple(words(text)), t, synonym=True) for t, text in group if t != found_terms]


def _plain_run(query_groups, start: int, length: int) -> tuple[str, ...] | None:
    """The terms of `length` consecutive plain one-word groups from `start`, or None."""
    run = query_groups[start:start + length]
    if len(run) < length or any(len(g) != 1 or g[0].prefix or g[0].synonym or len(g[0].terms) != 1 for g in run):
        return None
    return tuple(g[0].terms[0] for g in run)


def _expand_run(query_groups, start: int, groups):
    """(new OR group, groups consumed) for the longest run of plain words naming a synonym."""
    for length in range(min(MAX_SYNONYM_WORDS, len(query_groups) - start), 1, -1):
        found = _plain_run(query_groups, start, length)
        group = _group_for(found, groups) if found else None
        if group:
            written = tuple(w for g in query_groups[start:start + length] for w in g[0].words)
            # The person's own words stay an AND of words (not a phrase), as they typed them.
            return [Atom(written, found, adjacent=False), *_alternatives(group, found)], length
    return None, 1


def _expand_group(or_group: list[Atom], groups) -> list[Atom]:
    expanded = list(or_group)
    for atom in or_group:
        group = None if atom.prefix else _group_for(atom.terms, groups)
        if group:
            expanded += [a for a in _alternatives(group, atom.terms) if a not in expanded]
    return expanded


def expand(query: Query, groups) -> Query:
    if not groups:
        return query
    result, index = [], 0
    while index < len(query.groups):
        run, used = _expand_run(query.groups, index, groups)
        result.append(run or _expand_group(query.groups[index], groups))
        index += used
    added = [" ".join(a.words) for g in result for a in g if a.synonym]
    return replace(query, groups=result, expanded=added)
