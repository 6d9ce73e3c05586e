"""How well the import finds duplicates, measured on a real case: the CiteSource "gambling harms"
search, one search run in five databases (Criminal Justice Abstracts, Lens, PsycInfo, PubMed,
Scopus: 645 records), with many records found by more than one database.

The ground truth is built without the matcher:
1. records with the same DOI are the same work (DOIs are registry identifiers);
2. records whose normalised titles are exactly equal and whose years are equal are the same work,
   unless both have DOIs and they differ (that case is a correction notice titled like its letter:
   PubMed's record of 10.1136/bmj.m2832);
3. every other pair of records within two years of each other whose titles share at least half their
   words (Jaccard >= 0.5), or where one title is the start of the other, was read by hand (19 pairs).
   One pair is the same work (MANUAL_SAME: the Lens record has no DOI and the 2019 online-first
   year); the rest are different works (MANUAL_DIFFERENT), among them a 2021 preprint and its 2022
   journal article, kept apart because they are separate publications with their own DOIs.
Precision and recall are over pairs of records: a pair is "predicted" when the import puts both
records into the same catalogue record. Most true pairs share a DOI, which makes them easy; so the
title rule is also measured alone, by planning the import with every DOI and PMID removed."""

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

from peerhub.library.identifiers import normalise_title
from peerhub.library.importers.formats import read_file
from peerhub.library.importers.pipeline import plan_import

GAMBLING_HARMS = Path("data/references/ris-citesource-gambling-harms")
CRIMJUST, LENS, PSYCINFO, PUBMED, SCOPUS = (
    f"20221207_gambling-harms_{name}.ris" for name in ("crimjust_41", "lens_49", "psycinfo_124", "pubmed_176",
                                                        "scopus_255")
)
MANUAL_SAME = [((LENS, 14), (SCOPUS, 82))]
MANUAL_DIFFERENT = [
    ((LENS, 1), (SCOPUS, 10)),  # preprint (10.31234/osf.io/fu4mj) and its journal article
    ((SCOPUS, 193), (SCOPUS, 194)),  # two commentaries on the same paper, by different authors
    ((SCOPUS, 12), (SCOPUS, 82)),  # Marko 2022 and Gray 2021: both on gamblers' views of responsibility
    ((SCOPUS, 142), (SCOPUS, 164)),  # two papers by David et al. on public health advocacy
]


@dataclass
class Scores:
    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    unique_works: int
    catalogue_records: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def __str__(self) -> str:
        return (f"{self.records} records, {self.unique_works} distinct works by the ground truth, "
                f"{self.catalogue_records} after the import's deduplication; duplicate pairs: "
                f"{self.true_pairs} true, {self.predicted_pairs} predicted, {self.correct_pairs} correct; "
                f"precision {self.precision:.3f}, recall {self.recall:.3f}")


def _key(record) -> tuple[str, int]:
    return record.position.file, record.position.index


def _clusters(links: list[tuple], keys: list) -> list[set]:
    """Union-find over the links: the groups of keys that are one work."""
    parent = {key: key for key in keys}

    def root(key):
        while parent[key] != key:
            key = parent[key]
        return key

    for a, b in links:
        parent[root(a)] = root(b)
    groups: dict = {}
    for key in keys:
        groups.setdefault(root(key), set()).add(key)
    return list(groups.values())


def ground_truth_links(records) -> list[tuple]:
    links = []
    by_doi, by_title_year = {}, {}
    for record in records:
        if record.doi:
            by_doi.setdefault(record.doi, []).append(record)
        by_title_year.setdefault((normalise_title(record.title), record.year), []).append(record)
    for group in by_doi.values():
        links += [(_key(group[0]), _key(r)) for r in group[1:]]
    for group in by_title_year.values():
        links += [(_key(a), _key(b)) for a, b in itertools.combinations(group, 2)
                  if not (a.doi and b.doi and a.doi != b.doi)]
    return links + MANUAL_SAME


def pairs(clusters: list[set]) -> set[frozenset]:
    return {frozenset(pair) for cluster in clusters for pair in itertools.combinations(sorted(cluster), 2)}


def without_identifiers(records) -> list:
    return [replace(record, doi="", pmid="") for record in records]


def predicted_clusters(records) -> list[set]:
    """The import's own decision, planned but not written: records sharing a catalogue record."""
    groups: dict[int, set] = {}
    for outcome in plan_import(records).outcomes:
        owner = outcome.group if outcome.group is not None else outcome  # a refused record stands alone
        groups.setdefault(id(owner), set()).add((outcome.position.file, outcome.position.index))
    return list(groups.values())


def load_records(shared_dir) -> list:
    folder = Path(shared_dir) / GAMBLING_HARMS
    return [record for path in sorted(folder.glob("*.ris")) for record in read_file(path).records]


def evaluate_gambling_harms(shared_dir, *, titles_only: bool = False) -> Scores:
    """Needs the database (the plan looks the catalogue up); run it on an empty catalogue.
    titles_only: plan the import with DOIs and PMIDs removed, to measure the title rule alone."""
    records = load_records(shared_dir)
    truth = _clusters(ground_truth_links(records), [_key(r) for r in records])
    predicted = predicted_clusters(without_identifiers(records) if titles_only else records)
    true_pairs, predicted_pairs = pairs(truth), pairs(predicted)
    return Scores(len(records), len(true_pairs), len(predicted_pairs), len(true_pairs & predicted_pairs),
                  len(truth), len(predicted))
