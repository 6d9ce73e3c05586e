"""`peerhub bench relevance`: how well the hub's default search ranks answers to real consumer
health questions, against plain BM25 over the same documents in the same run.

Data (evaluation only, read in place, never copied into the repo): SHARED_DATA_DIR/eval/medquad-liveqa
with corpus.jsonl (MedQuAD answers), queries.jsonl (TREC LiveQA consumer questions) and qrels.tsv
(graded 0-3). The documents become published library resources in a scratch test database, each
question's own text (subject + " " + message, as a person typed it) goes through the library
search page's selector, and the first 10 results are scored with nDCG@10 (linear graded gains)
and recall@10 (grade >= 1 counts as relevant). Only questions with a relevant document count.

The baseline is rank_bm25's BM25Okapi (k1 1.5, b 0.75) over the documents' whole text with no
analysis beyond lower-cased word splitting: what a search box with no stemming, stop words,
spellings, synonyms or field weights would do."""

import csv
import json
import math
import re
import statistics
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from rank_bm25 import BM25Okapi

from peerhub.library.facets import SearchParams
from peerhub.library.selectors import search_resources
from peerhub.library.services import create_resources_in_bulk

K = 10
PLAIN_WORD_RE = re.compile(r"\w+")
ANSWER_RE = re.compile(r"^Question:\s*(?P<question>.*?)\nURL:\s*(?P<url>\S*)\s*\nAnswer:\s*(?P<answer>.*)\Z", re.S)


@dataclass
class EvalSet:
    documents: dict[str, str]  # corpus id -> text as published
    questions: dict[str, str]  # query id -> subject + " " + message
    grades: dict[str, dict[str, int]]  # query id -> corpus id -> grade


def add_arguments(parser):
    parser.add_argument("--data", type=Path, default=None,
                        help="folder with corpus.jsonl, queries.jsonl, qrels.tsv "
                             "(default SHARED_DATA_DIR/eval/medquad-liveqa)")


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_eval_set(folder: Path) -> EvalSet:
    documents = {row["id"]: row["text"] for row in _jsonl(folder / "corpus.jsonl")}
    questions = {row["id"]: f"{row['subject']} {row['message']}" for row in _jsonl(folder / "queries.jsonl")}
    grades: dict[str, dict[str, int]] = {}
    with (folder / "qrels.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            grades.setdefault(row["query_id"], {})[row["doc_id"]] = int(row["grade"])
    return EvalSet(documents, questions, grades)


def judged_questions(eval_set: EvalSet) -> list[str]:
    """Questions with at least one relevant document (others have no ideal ranking to compare with)."""
    return [qid for qid in eval_set.questions if any(g > 0 for g in eval_set.grades.get(qid, {}).values())]


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum(grades.get(doc, 0) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {doc for doc, g in grades.items() if g > 0}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def resource_fields(text: str) -> dict:
    """A MedQuAD record as a library resource: its question is the title, its answer the description."""
    found = ANSWER_RE.match(text)
    if found is None:
        return {"title": text[:200], "resource_type": "website", "description": text}
    return {"title": found["question"][:500], "url": found["url"][:1000], "resource_type": "website",
            "description": found["answer"], "source": "medquad"}


def load_library(documents: dict[str, str]) -> dict[int, str]:
    """Publish every document through the library's own bulk service; resource pk -> corpus id."""
    items = [(resource_fields(text), "") for text in documents.values()]
    resources = create_resources_in_bulk(items, actor=None, publish=True)
    return {resource.pk: doc_id for resource, doc_id in zip(resources, documents, strict=True)}


def hub_ranking(question: str, corpus_ids: dict[int, str]) -> list[str]:
    page = search_resources(SearchParams(q=question, per_page=K))
    return [corpus_ids[resource.pk] for resource in page.items]


def plain_words(text: str) -> list[str]:
    return PLAIN_WORD_RE.findall(text.lower())


class PlainBM25:
    """BM25 over lower-cased word splits of the whole text, nothing else."""

    def __init__(self, documents: dict[str, str]):
        self.ids = list(documents)
        self.model = BM25Okapi([plain_words(text) for text in documents.values()])

    def ranking(self, question: str) -> list[str]:
        scores = self.model.get_scores(plain_words(question))
        # Ties keep corpus order, so the ranking is the same on every run.
        best = sorted(range(len(self.ids)), key=lambda i: (-scores[i], i))[:K]
        return [self.ids[i] for i in best if scores[i] > 0]


@contextmanager
def scratch_database():
    """A throwaway database from Django's test machinery (in-memory on SQLite; on PostgreSQL a
    database named after the configured one, dropped afterwards). The dev database is untouched."""
    connection = connections["default"]
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{connection.settings_dict['NAME']}_bench_relevance"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _scores(rankings: dict[str, list[str]], eval_set: EvalSet) -> tuple[float, float]:
    ndcg = statistics.mean(ndcg_at(ranked, eval_set.grades[qid]) for qid, ranked in rankings.items())
    recall = statistics.mean(recall_at(ranked, eval_set.grades[qid]) for qid, ranked in rankings.items())
    return ndcg, recall


def evaluate(eval_set: EvalSet) -> dict[str, tuple[float, float]]:
    """{"hub": (nDCG@10, recall@10), "bm25": (...)} over the judged questions (run inside a scratch database)."""
    questions = judged_questions(eval_set)
    corpus_ids = load_library(eval_set.documents)
    baseline = PlainBM25(eval_set.documents)
    hub = {qid: hub_ranking(eval_set.questions[qid], corpus_ids) for qid in questions}
    bm25 = {qid: baseline.ranking(eval_set.questions[qid]) for qid in questions}
    return {"hub": _scores(hub, eval_set), "bm25": _scores(bm25, eval_set)}


def run(options, write):
    folder = options.get("data") or Path(settings.SHARED_DATA_DIR) / "eval" / "medquad-liveqa"
    eval_set = load_eval_set(folder)
    with scratch_database() as connection:
        write(f"Scratch database: {connection.vendor} {connection.settings_dict['NAME']}")
        figures = evaluate(eval_set)
    judged = len(judged_questions(eval_set))
    write(f"{len(eval_set.documents)} documents, {judged} questions with a relevant document "
          f"(of {len(eval_set.questions)}), graded gains 0-3")
    for name, label in (("hub", "hub default search"), ("bm25", "plain BM25 (rank_bm25)")):
        ndcg, recall = figures[name]
        write(f"  {label:<26} nDCG@{K} {ndcg:.4f}   recall@{K} {recall:.4f}")
    better = figures["hub"][0] >= figures["bm25"][0]
    write(f"  hub >= BM25 on nDCG@{K}: {'yes' if better else 'NO'}; "
          f"on recall@{K}: {'yes' if figures['hub'][1] >= figures['bm25'][1] else 'NO'}")
