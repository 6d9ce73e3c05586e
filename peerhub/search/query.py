"""The query language people expect, parsed once and rendered safely for each engine.

    plain words        every word must match (stemmed, either spelling)
    "exact phrase"     the words in this order
    a OR b             either
    -word / -"phrase"  must not match
    prefix*            any word starting with "prefix"

Whatever the input (stray quotes, brackets, operators, emoji, 10,000 characters), parsing
gives a Query made only of index terms (letters and digits), so nothing the user types
reaches the database's own query syntax."""

import re
from dataclasses import dataclass, field, replace

from peerhub.search.text import STOPWORDS, american, term, words

MAX_QUERY_CHARS = 500
MAX_ATOMS = 32
MIN_PREFIX_CHARS = 2  # a one-letter prefix would match almost everything
TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Atom:
    """Terms that must all match: next to each other in order when `adjacent` (a phrase or a
    hyphenated word), anywhere otherwise (a synonym's plain words). `words` is the text as the
    person wrote it, normalised, for restating and highlighting."""

    words: tuple[str, ...]
    terms: tuple[str, ...]
    prefix: bool = False
    adjacent: bool = True
    synonym: bool = False  # added by synonym expansion, not typed by the person

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Query:
    groups: list[list[Atom]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Atom] = field(default_factory=list)
    truncated: bool = False
    expanded: list[str] = field(default_factory=list)  # synonyms added, for "also searching for …"

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def positive_atoms(self) -> list[Atom]:
        return [atom for group in self.groups for atom in group]

    def any_word(self) -> "Query":
        """The same atoms with any group enough: the fallback for long questions, where
        requiring every word finds nothing."""
        return replace(self, groups=[self.positive_atoms()] if self.groups else [])


def _prefix_atom(raw_words: list[str]) -> Atom | None:
    stem = raw_words[-1]
    if len(stem) < MIN_PREFIX_CHARS:
        return _plain_atom(raw_words)
    # The index holds stems; "organis*" must reach "organiz", so the prefix gets the same spelling map.
    return Atom(tuple(raw_words), (american(stem),), prefix=True)


def _plain_atom(raw_words: list[str]) -> Atom | None:
    kept = [w for w in raw_words if w not in STOPWORDS]
    if not kept:
        return None
    return Atom(tuple(raw_words), tuple(term(w) for w in kept))


def _atom_from_word(raw: str) -> Atom | None:
    raw_words = words(raw)
    if not raw_words:
        return None
    if raw.endswith("*") and len(raw_words) == 1:
        return _prefix_atom(raw_words)
    return _plain_atom(raw_words)


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
            yield "atom", bool(negated), _plain_atom(words(phrase))


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


def show_atom(atom: Atom) -> str:
    text = " ".join(atom.words)
    return f"“{text}”" if atom.is_phrase else text + ("…" if atom.prefix else "")


def describe(query: Query) -> str:
    """The query restated in words, for 'You searched for …'."""
    parts = [" or ".join(show_atom(a) for a in group if not a.synonym) for group in query.groups]
    text = " and ".join(parts)
    if query.excluded:
        text += ", but not " + " or ".join(show_atom(a) for a in query.excluded)
    return text


def highlight_words(query: Query) -> tuple[set[str], tuple[str, ...]]:
    """Terms and prefixes whose words a snippet should mark (excluded words never match)."""
    exact = {t for atom in query.positive_atoms() if not atom.prefix for t in atom.terms}
    prefixes = tuple(atom.terms[0] for atom in query.positive_atoms() if atom.prefix)
    return exact, prefixes
