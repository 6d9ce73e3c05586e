"""Text analysis shared by indexing and querying, so that both engines behave alike.

Why in Python rather than in each database: SQLite and PostgreSQL fold accents, drop stop words
and stem differently (FTS5's porter is not PostgreSQL's Snowball). Here every word goes through
the same steps once; both engines then index and match the resulting terms verbatim (FTS5's
plain unicode61 tokenizer, PostgreSQL's 'simple' configuration):

    fold accents, lower case -> split into words -> drop stop words
    -> British spellings to one form (behaviour -> behavior) -> Snowball English stem
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

# Letters and digits; "_" splits words as it does in FTS5's unicode61 tokenizer.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD_CHARS = 60  # longer "words" are noise, and PostgreSQL rejects very long lexemes

# PostgreSQL's english.stop, word for word, so both engines ignore exactly the same words.
STOPWORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers "
    "herself it its itself they them their theirs themselves what which who whom this that these those am is are "
    "was were be been being have has had having do does did doing a an the and but if or because as until while "
    "of at by for with about against between into through during before after above below to from up down in out "
    "on off over under again further then once here there when where why how all any both each few more most "
    "other some such no nor not only own same so than too very s t can will just don should now".split()
)

# breame's list, less the pairs that are different words rather than two spellings of one.
DIFFERENT_WORDS = {"tyre", "tyres", "storey", "storeys", "kerb", "kerbs", "draught", "draughts", "cheque", "cheques"}
SPELLINGS = {uk: us for uk, us in BRITISH_ENGLISH_SPELLINGS.items() if uk not in DIFFERENT_WORDS}
# Rules for the medical and -isation words the list misses (haematology, paediatrics,
# hospitalisation, diarrhoea...). Each is anchored so that ordinary words are left alone.
SPELLING_RULES = [
    (re.compile(r"^(an|h|leuk|septic|isch|hypergly|hypogly|ur|tox)aem"), r"\1em"),
    (re.compile(r"^(orthop|p)aed"), r"\1ed"),
    (re.compile(r"^oe(soph|dem|str)"), r"e\1"),
    (re.compile(r"^foet"), "fet"),
    (re.compile(r"(rrh|pn)oea(l|s)?$"), r"\1ea\2"),
    (re.compile(r"isation(s|al)?$"), r"ization\1"),
]
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=4096)
def _is_combining(ch: str) -> bool:
    return unicodedata.combining(ch) != 0


def fold_accents(text: str) -> str:
    if text.isascii():
        return text  # nothing to fold: the common case, and a long abstract costs a pass per character
    decomposed = unicodedata.normalize("NFKD", text)
    # Only the text's distinct characters are looked at in Python (a few hundred, not one call per
    # character of a long abstract); str.translate then drops the combining marks in C.
    marks = {ord(ch): None for ch in set(decomposed) if _is_combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


def normalise_text(text: str) -> str:
    """Text with accents folded and in lower case."""
    return fold_accents(text or "").lower()


# ASCII text: every character but a letter or digit becomes a space, so str.split() finds the
# words WORD_RE finds (in C, several times faster than the regex over a long abstract).
ASCII_WORD_SPLIT = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def words(text: str) -> list[str]:
    """The words of a text as people wrote them, normalised (used to restate and highlight)."""
    text = normalise_text(text)
    found = text.translate(ASCII_WORD_SPLIT).split() if text.isascii() else WORD_RE.findall(text)
    if found and max(map(len, found)) > MAX_WORD_CHARS:  # rare: cut only when some word is too long
        return [w[:MAX_WORD_CHARS] for w in found]
    return found


@lru_cache(maxsize=200_000)
def american(word: str) -> str:
    """One spelling for words the UK and US spell differently (the US one, as the list has it)."""
    if word in SPELLINGS:
        return SPELLINGS[word]
    for pattern, replacement in SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """The index term for one normalised word: one spelling, then stemmed."""
    return _stemmer.stemWord(american(word))


# Each word seen so far -> its index term ("" for a stop word). A large import analyses about a
# million words, nearly all of them seen before: mapping them through this dict with map() runs
# in C, where a call to term() per word (even a cached one) was a large share of indexing.
TERM_CACHE_LIMIT = 500_000
_term_of: dict[str, str] = {}


def _learn(distinct: set[str]) -> dict[str, str]:
    """The word table, holding every word of distinct (a Python call for new words only)."""
    global _term_of
    table = _term_of
    new = distinct.difference(table)
    if len(table) + len(new) > TERM_CACHE_LIMIT:  # a bound on memory, never reached by one import
        # A fresh table, not clear(): another thread may be reading the old one for its own words.
        table = _term_of = {}
        new = distinct
    for word in new:
        table[word] = "" if word in STOPWORDS else term(word)
    return table


def terms_of_words(found: list[str], distinct: set[str] | None = None) -> list[str]:
    """term() of each normalised word, in order, stop words left out. `distinct`: set(found),
    when the caller has it already."""
    table = _learn(set(found) if distinct is None else distinct)
    return list(filter(None, map(table.__getitem__, found)))


def terms(text: str) -> list[str]:
    """The index terms of a text, in order, stop words left out."""
    return terms_of_words(words(text))


def analyse(text: str) -> str:
    """Text as it goes into the index: its terms joined by spaces."""
    return " ".join(terms(text))
