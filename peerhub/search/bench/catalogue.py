"""A realistic catalogue for the search benchmarks, built from the real reference records in
SHARED_DATA_DIR/data/references: titles recombined from real title halves, summaries and
descriptions from real abstract sentences, real author names, real years, and facet values
(type, quality, access, taxonomy terms) drawn with fixed weights. Seeded, so every run builds
the same catalogue. Bulk-inserted straight into the tables (not through per-record services)."""

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import rispy
from django.conf import settings

from peerhub.search.text import analyse, words

SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
TYPES = {"research_study": 40, "systematic_review": 12, "evaluation_report": 10, "toolkit": 8, "training": 5,
         "policy": 5, "report": 12, "video_audio": 3, "website": 5}
QUALITIES = {"high": 10, "moderate": 25, "low": 25, "very_low": 10, "": 30}
ACCESS = {"free": 50, "registration": 10, "paywalled": 30, "": 10}


@dataclass
class Pool:
    """Pieces of real records, each with its index terms worked out once."""

    title_heads: list[tuple[str, str]] = field(default_factory=list)  # (text, analysed)
    title_tails: list[tuple[str, str]] = field(default_factory=list)
    sentences: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    readable: dict[str, str] = field(default_factory=dict)  # term -> a word people read


def _records(root: Path):
    for path in sorted(root.rglob("*.ris")):
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            try:
                yield from rispy.load(handle)
            except (ValueError, KeyError):
                continue  # a file rispy cannot read is left out, the rest still count


def _split_title(title: str) -> tuple[str, str] | None:
    parts = title.split()
    if len(parts) < 4:
        return None
    cut = len(parts) // 2
    return " ".join(parts[:cut]), " ".join(parts[cut:])


def _add_piece(pool_list, text: str, readable: dict) -> None:
    pool_list.append((text, analyse(text)))
    for word in words(text):
        readable.setdefault(analyse(word) or word, word)


def load_pool() -> Pool:
    pool, titles, sentences, authors = Pool(), set(), set(), set()
    for record in _records(Path(settings.SHARED_DATA_DIR) / "data" / "references"):
        titles.add((record.get("title") or record.get("primary_title") or "").strip().rstrip("."))
        sentences.update(s.strip() for s in SENTENCE_RE.split(record.get("abstract") or "") if len(s) > 40)
        authors.update(a.strip() for a in record.get("authors", []) if a.strip())
        year = str(record.get("year") or "")[:4]
        if year.isdigit():
            pool.years.append(int(year))
    for title in sorted(t for t in titles if t):
        halves = _split_title(title)
        if halves:
            _add_piece(pool.title_heads, halves[0], pool.readable)
            _add_piece(pool.title_tails, halves[1], pool.readable)
    for sentence in sorted(sentences):
        _add_piece(pool.sentences, sentence, pool.readable)
    for author in sorted(authors):
        _add_piece(pool.authors, author, pool.readable)
    return pool


@dataclass
class Doc:
    title: tuple[str, str]
    summary: tuple[str, str]
    description: tuple[str, str]
    authors: list[tuple[str, str]]
    year: int
    resource_type: str
    quality: str
    access: str
    term_ids: list[int]
    checked_days_ago: int


def _join(pieces) -> tuple[str, str]:
    return " ".join(p[0] for p in pieces), " ".join(p[1] for p in pieces)


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def make_doc(rng: random.Random, pool: Pool, term_ids: list[int]) -> Doc:
    head, tail = rng.choice(pool.title_heads), rng.choice(pool.title_tails)
    return Doc(
        title=_join([head, tail]),
        summary=_join(rng.sample(pool.sentences, rng.randint(1, 2))),
        description=_join(rng.sample(pool.sentences, rng.randint(3, 6))),
        authors=rng.sample(pool.authors, rng.randint(1, 5)),
        year=rng.choice(pool.years),
        resource_type=_weighted(rng, TYPES),
        quality=_weighted(rng, QUALITIES),
        access=_weighted(rng, ACCESS),
        term_ids=rng.sample(term_ids, rng.randint(1, 4)),
        checked_days_ago=rng.randint(0, 900),
    )


def vocabulary(counts: Counter, readable: dict) -> list[tuple[str, str, int]]:
    return [(t, readable.get(t, t)[:64], n) for t, n in counts.items() if len(t) <= 64]
