"""Is this record one we already have, in the catalogue or earlier in the same import?

Rules, strongest first:
1. the same normalised DOI, or the same PubMed ID;
2. otherwise a near-identical normalised title (rapidfuzz ratio >= 0.93) published within a year
   of each other (online-first and issue years differ) with the same first-author surname.
Guards against false matches: different DOIs (or PMIDs) on both sides mean different works;
a correction, erratum, retraction or reply never matches the article it is about; titles with
different numbers ("Study 1", "Study 2"; "wave 3") are different works; titles of fewer than four
words ("Editorial", "Gambling harms") never match on title alone."""

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.db.models import Q
from rapidfuzz import fuzz, process

from peerhub.library.identifiers import normalise_doi, normalise_pmid, normalise_title
from peerhub.library.importers.names import surname_key, surnames_agree
from peerhub.library.importers.records import NormalisedRecord
from peerhub.library.models import Resource

NUMBER_RE = re.compile(r"\b\d+\b")
TITLE_SIMILARITY = 0.93
YEAR_TOLERANCE = 1
MIN_TITLE_WORDS = 4
NOTICE_RE = re.compile(
    r"^(erratum|errata|correction|corrigendum|retraction|retracted|reply|response to|comment on|commentary on"
    r"|expression of concern|notice of retraction)\b"
)


@dataclass(frozen=True)
class MatchKeys:
    doi: str
    pmid: str
    title: str  # normalised
    year: int | None
    surname: str  # of the first author, normalised; "" when unknown

    @cached_property  # computed once: a record is compared with many others
    def is_notice(self) -> bool:
        return bool(NOTICE_RE.match(self.title))

    @cached_property  # computed once: a record is compared with many others
    def words(self) -> int:
        return len(self.title.split())

    @cached_property  # computed once: a record is compared with many others
    def numbers(self) -> set[str]:
        return set(NUMBER_RE.findall(self.title))

    @cached_property  # computed once: looked for in up to three years, and added once
    def letters(self):
        return letter_counts(self.title)


def keys_for_record(record: NormalisedRecord) -> MatchKeys:
    surname = surname_key(record.authors[0]) if record.authors else ""
    return MatchKeys(normalise_doi(record.doi), normalise_pmid(record.pmid), normalise_title(record.title), record.year,
                     surname)


def keys_for_resource(resource: Resource) -> MatchKeys:
    surname = surname_key(resource.authors[0]) if resource.authors else ""
    title = resource.title_key or normalise_title(resource.title)
    return MatchKeys(resource.doi, resource.pmid, title, resource.pub_year, surname)


@dataclass
class Match:
    target: object
    reason: str


def _conflicting(a: MatchKeys, b: MatchKeys) -> bool:
    """Different registered identifiers, or one is a notice about the other: not the same work."""
    return bool(
        (a.doi and b.doi and a.doi != b.doi)
        or (a.pmid and b.pmid and a.pmid != b.pmid)
        or a.is_notice != b.is_notice
        or a.numbers != b.numbers
        or not surnames_agree(a.surname, b.surname)
    )


def title_similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b, score_cutoff=TITLE_SIMILARITY * 100) / 100


# Two titles whose lengths differ by more than this share of their summed length cannot reach the
# similarity bar: fuzz.ratio is at most 1 - |len a - len b| / (len a + len b) (= 0.93 at 0.07).
# The window is a little wider than that, so rounding can never leave a real match out.
LENGTH_SLACK = (1 - TITLE_SIMILARITY) + 0.01


# Normalised titles hold only these characters (identifiers.normalise_title).
TITLE_CHARACTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789 ", dtype=np.uint8)
SCREEN_FROM = 8  # from this many titles in the length window, screen them by letter counts first


def letter_counts(title: str) -> np.ndarray:
    """How often each character of TITLE_CHARACTERS occurs in a title. Any other character is
    left uncounted, which only weakens the screen's bound, never breaks it."""
    counts = np.bincount(np.frombuffer(title.encode("ascii", "replace"), dtype=np.uint8), minlength=128)
    return counts[TITLE_CHARACTERS].astype(np.int16)


class _TitlesByLength:
    """One year's titles kept in order of length, each with its place in the year's entries, so
    a title is compared (by rapidfuzz, in C) only with those of a length that could reach the
    similarity bar: a large import holds thousands of titles a year, and comparing each new
    title with all of them was most of the time spent deduplicating.

    Within that window, titles are screened first by how many of each character they hold: each
    character inserted or deleted changes one count by one, so two titles whose counts differ by
    more than the edits the bar allows (7% of their summed length) cannot pass it, and rapidfuzz
    only sees the rest. The screen is exact: it drops no title that could pass. Lengths and
    counts are numpy arrays in the same order, so a window is a view, screened in a few calls."""

    def __init__(self):
        self.titles: list[str] = []
        self.places: list[int] = []
        self.sizes: list[int] = []  # the lengths again, for bisect (faster than numpy for one value)
        self.lengths = np.zeros(16, dtype=np.int64)
        self.counts = np.zeros((16, len(TITLE_CHARACTERS)), dtype=np.int16)

    def add(self, title: str, place: int, letters: np.ndarray | None = None) -> None:
        size = len(self.titles)
        if size == len(self.lengths):  # doubled when full: amortised O(1) growth
            self.lengths = np.concatenate([self.lengths, np.zeros_like(self.lengths)])
            self.counts = np.concatenate([self.counts, np.zeros_like(self.counts)])
        at = bisect.bisect_right(self.sizes, len(title))
        self.lengths[at + 1:size + 1] = self.lengths[at:size]  # numpy copies overlapping slices safely
        self.counts[at + 1:size + 1] = self.counts[at:size]
        self.lengths[at] = len(title)
        self.counts[at] = letter_counts(title) if letters is None else letters
        self.titles.insert(at, title)
        self.places.insert(at, place)
        self.sizes.insert(at, len(title))

    def _window(self, size: int) -> tuple[int, int]:
        low = bisect.bisect_left(self.sizes, size * (1 - LENGTH_SLACK) / (1 + LENGTH_SLACK) - 1)
        return low, bisect.bisect_right(self.sizes, size * (1 + LENGTH_SLACK) / (1 - LENGTH_SLACK) + 1)

    def _screened(self, title: str, letters: np.ndarray | None, low: int, high: int) -> list[int]:
        """Positions (in length order) of the window's titles whose letter counts allow a match."""
        if high - low < SCREEN_FROM:
            return list(range(low, high))
        letters = letter_counts(title) if letters is None else letters
        differences = np.abs(self.counts[low:high] - letters).sum(axis=1)
        allowed = (1 - TITLE_SIMILARITY) * (len(title) + self.lengths[low:high]) + 1  # +1: float slack
        return (np.flatnonzero(differences <= allowed) + low).tolist()

    def similar(self, title: str, letters: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(place, score) of every title passing the similarity bar, in the order added: the
        very hits, and order, of process.extract over all of them sorted by index. `letters`:
        letter_counts(title), when the caller keeps it."""
        positions = self._screened(title, letters, *self._window(len(title)))
        hits = process.extract(title, [self.titles[at] for at in positions], scorer=fuzz.ratio,
                               score_cutoff=TITLE_SIMILARITY * 100, limit=None)
        return sorted((self.places[positions[index]], score) for _title, score, index in hits)


@dataclass
class DuplicateIndex:
    """Everything already seen (catalogue records and earlier records of the import), by key."""

    by_doi: dict = field(default_factory=dict)
    by_pmid: dict = field(default_factory=dict)
    by_year: dict = field(default_factory=dict)
    by_title: dict = field(default_factory=dict)
    titles_by_year: dict = field(default_factory=dict)  # year -> _TitlesByLength of by_year's titles

    def add(self, keys: MatchKeys, target) -> None:
        if keys.doi:
            self.by_doi.setdefault(keys.doi, target)
        if keys.pmid:
            self.by_pmid.setdefault(keys.pmid, target)
        entries = self.by_year.setdefault(keys.year, [])
        self.titles_by_year.setdefault(keys.year, _TitlesByLength()).add(keys.title, len(entries), keys.letters)
        entries.append((keys, target))
        self.by_title.setdefault(keys.title, []).append((keys, target))

    def find(self, keys: MatchKeys) -> Match | None:
        if keys.doi and keys.doi in self.by_doi:
            return Match(self.by_doi[keys.doi], f"the same DOI ({keys.doi})")
        if keys.pmid and keys.pmid in self.by_pmid:
            return Match(self.by_pmid[keys.pmid], f"the same PubMed ID ({keys.pmid})")
        return self._title_match(keys) if keys.words >= MIN_TITLE_WORDS else None

    def _undated(self, keys: MatchKeys) -> list[tuple[MatchKeys, object, float]]:
        # Without a year on one side, only the very same title by a named first author can match.
        return [(k, t, 1.0) for k, t in self.by_title.get(keys.title, [])
                if (k.year is None or keys.year is None) and keys.surname and k.surname]

    def _similar_in_year(self, keys: MatchKeys, year: int) -> list[tuple[MatchKeys, object, float]]:
        """That year's entries whose title passes the similarity bar, in the order they were
        added. rapidfuzz compares the whole year's titles in C: a large import holds thousands
        a year, and a Python loop over them was most of its time."""
        entries, titles = self.by_year.get(year, []), self.titles_by_year.get(year)
        hits = titles.similar(keys.title, keys.letters) if titles else []
        return [(*entries[index], score / 100) for index, score in hits]

    def _candidates(self, keys: MatchKeys) -> list[tuple[MatchKeys, object, float]]:
        """(keys, target, similarity) of every entry similar enough to be looked at closely."""
        if keys.year is None:
            return self._undated(keys)
        years = range(keys.year - YEAR_TOLERANCE, keys.year + YEAR_TOLERANCE + 1)
        return self._undated(keys) + [hit for year in years for hit in self._similar_in_year(keys, year)]

    def _title_match(self, keys: MatchKeys) -> Match | None:
        best, best_score = None, 0.0
        for other, target, score in self._candidates(keys):
            if score <= best_score or other.words < MIN_TITLE_WORDS or _conflicting(keys, other):
                continue
            best, best_score = target, score
        if best is None:
            return None
        return Match(best, f"a near-identical title (similarity {best_score:.2f}), year and first author")


def catalogue_candidates(keys: list[MatchKeys]) -> list[Resource]:
    """The catalogue records that could match any record of the import, fetched in one query."""
    years = {k.year + d for k in keys if k.year for d in range(-YEAR_TOLERANCE, YEAR_TOLERANCE + 1)}
    query = (
        Q(doi__in={k.doi for k in keys if k.doi})
        | Q(pmid__in={k.pmid for k in keys if k.pmid})
        | Q(title_key__in={k.title for k in keys if k.title})
        | Q(pub_year__in=years)
    )
    return list(Resource.objects.filter(query).order_by("pk"))
