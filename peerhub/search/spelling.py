"""'Did you mean': a spelling suggestion drawn from the catalogue's own vocabulary (SearchWord,
kept in step by index writes), offered when a search finds few results."""

import re

from django.db.models.functions import Length

from peerhub.search.models import SearchWord
from peerhub.search.query import Query
from peerhub.search.text import normalise_text

MAX_CANDIDATES = 3_000  # the commonest words sharing the first letter and a similar length
MAX_WORDS_CHECKED = 4


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps counting one, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _closest(kind: str, word: str) -> str:
    limit = 1 if len(word) <= 4 else 2
    rows = (SearchWord.objects.filter(kind=kind, doc_count__gt=0, word__startswith=word[0])
            .annotate(length=Length("word")).filter(length__gte=len(word) - limit, length__lte=len(word) + limit)
            .order_by("-doc_count").values_list("word", "doc_count")[:MAX_CANDIDATES])
    scored = [(edit_distance(word, candidate, limit), -count, candidate) for candidate, count in rows]
    best = min((s for s in scored if s[0] <= limit), default=None)
    return best[2] if best else ""


def _unknown_words(kind: str, query: Query) -> list[str]:
    single = [a for a in query.positive_atoms() if not a.prefix and len(a.words) == 1 and len(a.terms) == 1]
    known = set(SearchWord.objects.filter(kind=kind, doc_count__gt=0, term__in=[a.terms[0] for a in single])
                .values_list("term", flat=True))
    return [a.words[0] for a in single if a.terms[0] not in known and a.words[0].isalpha()][:MAX_WORDS_CHECKED]


def suggest(kind: str, query: Query) -> str:
    """The query with each word the catalogue does not know replaced by its closest known word,
    or "" when there is nothing better to offer."""
    text = " ".join(" ".join(a.words) for a in query.positive_atoms() if not a.synonym)
    changed = False
    for word in _unknown_words(kind, query):
        better = _closest(kind, word)
        if better and better != word:
            text, changed = re.sub(rf"\b{re.escape(word)}\b", better, normalise_text(text)), True
    return text if changed else ""
