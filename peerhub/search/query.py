"""The query language people expect, parsed once and rendered safely for each engine.

    plain words        every word must match (stemmed)
    "exact phrase"     the words in this order
    a OR b             either
    -word / -"phrase"  must not match
    prefix*            any word starting with "prefix"

Whatever the input (stray quotes, brackets, operators, emoji, 10,000 characters), parsing
gives a Query made only of plain word tokens, so nothing the user types reaches the
database's own query syntax."""

import re
from dataclasses import dataclass, field

from peerhub.search.text import STOPWORDS, words

MAX_QUERY_CHARS = 500
MAX_ATOMS = 32
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Atom:
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Query:
    groups: list[list[Atom]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Atom] = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def positive_atoms(self) -> list[Atom]:
        return [atom for group in self.groups for atom in group]


def _atom_from_word(raw: str) -> Atom | None:
    prefix = raw.endswith("*")
    tokens = words(raw)
    if not tokens:
        return None
    if len(tokens) == 1 and not prefix and tokens[0] in STOPWORDS:
        return None
    if prefix and len(tokens[-1]) < 2:
        prefix = False  # a one-letter prefix would match almost everything
    return Atom(tuple(tokens), prefix=prefix and len(tokens) == 1)


def _atom_from_phrase(raw: str) -> Atom | None:
    tokens = words(raw)
    return Atom(tuple(tokens)) if tokens else None


def _tokens(text: str):
    """Yield (kind, negated, atom) for each piece of the input."""
    for negated, phrase, bare in TOKEN_RE.findall(text):
        if bare:
            if bare == "OR":
                yield "or", False, None
                continue
            negated, bare = (True, bare[1:]) if bare.startswith("-") and len(bare) > 1 else (False, bare)
            yield "atom", negated, _atom_from_word(bare)
        else:
            yield "atom", bool(negated), _atom_from_phrase(phrase)


def parse(text: str) -> Query:
    text = text or ""
    query = Query(truncated=len(text) > MAX_QUERY_CHARS)
    pending_or = False
    for kind, negated, atom in _tokens(text[:MAX_QUERY_CHARS]):
        if kind == "or":
            pending_or = bool(query.groups)
            continue
        if atom is None or len(query.positive_atoms()) + len(query.excluded) >= MAX_ATOMS:
            continue
        if negated:
            query.excluded.append(atom)
        elif pending_or:
            query.groups[-1].append(atom)
        else:
            query.groups.append([atom])
        pending_or = False
    return query


def describe(query: Query) -> str:
    """The query restated in words, for 'You searched for …'."""

    def show(atom: Atom) -> str:
        text = " ".join(atom.words)
        return f"“{text}”" if atom.is_phrase else text + ("…" if atom.prefix else "")

    parts = [" or ".join(show(a) for a in group) for group in query.groups]
    text = " and ".join(parts)
    if query.excluded:
        text += ", but not " + " or ".join(show(a) for a in query.excluded)
    return text
