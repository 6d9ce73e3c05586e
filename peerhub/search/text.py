"""Text normalisation shared by indexing and querying, so that both engines behave alike.

Why in Python rather than in each database: SQLite and PostgreSQL fold accents and handle
spellings differently; doing it once here gives the same behaviour on both."""

import re
import unicodedata

WORD_RE = re.compile(r"\w+", re.UNICODE)

# English words that carry no meaning in a search. Dropped from queries on both engines
# (PostgreSQL would drop them anyway; SQLite would match nearly everything).
STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were will with".split()
)


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_text(text: str) -> str:
    """Text as it goes into the index: accents folded, lower case."""
    return fold_accents(text or "").lower()


def words(text: str) -> list[str]:
    return WORD_RE.findall(normalise_text(text))
