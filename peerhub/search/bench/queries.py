"""The fixed query mix: common and rare words, 2-3 word queries, phrases and operators, each with
0-2 facet filters, drawn with a fixed seed from the catalogue's own words and titles."""

import random

from peerhub.library.facets import SearchParams
from peerhub.library.models import Term
from peerhub.library.services import SEARCH_KIND
from peerhub.search.bench.catalogue import ACCESS, QUALITIES, TYPES, Pool
from peerhub.search.models import SearchWord
from peerhub.search.text import STOPWORDS, words

SEED = 7
MIX = {"common word": 50, "rare word": 40, "two or three words": 60, "phrase": 40, "operators": 30}
FILTER_VOCABULARIES = ["condition", "community", "format", "setting"]


def _content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and w.isalpha() and len(w) > 2]


def _words_by_frequency() -> tuple[list[str], list[str]]:
    rows = SearchWord.objects.filter(kind=SEARCH_KIND).order_by("-doc_count").values_list("word", "doc_count")
    alpha = [(w, n) for w, n in rows[:20_000] if w.isalpha() and len(w) > 3]
    total = max(n for _w, n in alpha)
    common = [w for w, _n in alpha[:150]]
    rare = [w for w, n in alpha if 3 <= n <= max(5, total // 2000)]
    return common, rare


def _run(rng: random.Random, pool: Pool, length: int) -> str:
    while True:
        found = _content_words(rng.choice(pool.title_heads + pool.title_tails)[0])
        if len(found) >= length:
            start = rng.randrange(len(found) - length + 1)
            return " ".join(found[start:start + length])


def _operators(rng: random.Random, common: list[str], rare: list[str], pool: Pool) -> str:
    shape = rng.randrange(3)
    if shape == 0:
        return f"{rng.choice(rare)} OR {rng.choice(rare)}"
    if shape == 1:
        return f"{_run(rng, pool, 2)} -{rng.choice(common)}"
    return rng.choice(common)[:4] + "*"


def _text(rng, kind: str, pool: Pool, common, rare) -> str:
    if kind == "common word":
        return rng.choice(common)
    if kind == "rare word":
        return rng.choice(rare)
    if kind == "two or three words":
        return _run(rng, pool, rng.choice([2, 3]))
    if kind == "phrase":
        return f'"{_run(rng, pool, 2)}"'
    return _operators(rng, common, rare, pool)


def _add_filter(rng: random.Random, params: SearchParams, terms_by_vocab: dict) -> None:
    choice = rng.randrange(5)
    if choice == 0:
        params.choices["type"] = rng.choice(list(TYPES))
    elif choice == 1:
        params.choices["quality"] = rng.choice([q for q in QUALITIES if q])
    elif choice == 2:
        params.choices["access"] = rng.choice([a for a in ACCESS if a])
    elif choice == 3:
        params.year_from = rng.choice([2000, 2010, 2015, 2020])
    else:
        vocab = rng.choice([v for v in FILTER_VOCABULARIES if terms_by_vocab.get(v)])
        params.terms.setdefault(vocab, []).append(rng.choice(terms_by_vocab[vocab]))


def query_mix(pool: Pool) -> list[tuple[str, SearchParams]]:
    """(kind of query, parameters), in a fixed order."""
    rng = random.Random(SEED)
    common, rare = _words_by_frequency()
    terms_by_vocab: dict[str, list[str]] = {}
    for vocab, slug in Term.objects.filter(merged_into__isnull=True).values_list("vocabulary__slug", "slug"):
        terms_by_vocab.setdefault(vocab, []).append(slug)
    mix = []
    for kind, count in MIX.items():
        for _ in range(count):
            params = SearchParams(q=_text(rng, kind, pool, common, rare))
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                _add_filter(rng, params, terms_by_vocab)
            mix.append((kind, params))
    return mix
