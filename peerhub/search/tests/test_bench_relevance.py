"""`peerhub bench relevance`: the metrics, the MedQuAD record mapping, the plain BM25 baseline, and
an evaluation end to end on a tiny made-up set (the real data is read only by the benchmark)."""

import json

import pytest

from peerhub.search.bench.relevance import (
    EvalSet,
    PlainBM25,
    evaluate,
    judged_questions,
    load_eval_set,
    ndcg_at,
    recall_at,
    resource_fields,
)

RECORD = "Question: What is asthma?\nURL: https://example.org/asthma\nAnswer: Asthma narrows the airways.\nMore."


def test_ndcg_is_one_for_the_ideal_order_and_lower_when_swapped():
    grades = {"a": 3, "b": 1}
    assert ndcg_at(["a", "b"], grades) == pytest.approx(1.0)
    assert ndcg_at(["b", "a"], grades) < 1.0
    assert ndcg_at(["x", "y"], grades) == 0.0


def test_ndcg_only_counts_the_first_ten():
    assert ndcg_at([f"x{i}" for i in range(10)] + ["a"], {"a": 2}) == 0.0


def test_recall_counts_relevant_documents_found_in_the_first_ten():
    assert recall_at(["a", "x", "c"], {"a": 1, "b": 2, "c": 3, "d": 0}) == pytest.approx(2 / 3)


def test_a_record_becomes_a_resource_with_its_question_as_title_and_answer_as_description():
    fields = resource_fields(RECORD)
    assert fields["title"] == "What is asthma?" and fields["url"] == "https://example.org/asthma"
    assert fields["description"] == "Asthma narrows the airways.\nMore."


def test_plain_bm25_ranks_by_shared_words_and_leaves_out_documents_sharing_none():
    baseline = PlainBM25({"1": "Asthma inhalers", "2": "Diabetes diet", "3": "asthma in children and asthma"})
    assert baseline.ranking("ASTHMA children") == ["3", "1"]


def test_it_reads_the_three_files_and_keeps_only_questions_with_a_relevant_document(tmp_path):
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"id": "d1", "text": RECORD}) + "\n")
    (tmp_path / "queries.jsonl").write_text(
        "\n".join(json.dumps({"id": q, "subject": "Asthma", "message": "help", "summary": ""}) for q in "12"))
    (tmp_path / "qrels.tsv").write_text("query_id\tdoc_id\tgrade\n1\td1\t2\n2\td1\t0\n")
    eval_set = load_eval_set(tmp_path)
    assert eval_set.questions["1"] == "Asthma help" and eval_set.grades["1"] == {"d1": 2}
    assert judged_questions(eval_set) == ["1"]


def test_the_evaluation_scores_the_hub_and_bm25_on_the_same_questions(db):
    documents = {
        "d1": "Question: What is asthma?\nURL: https://example.org/1\nAnswer: Asthma narrows the airways.",
        "d2": "Question: What is diabetes?\nURL: https://example.org/2\nAnswer: Diabetes raises blood sugar.",
        # Unrelated records, so that BM25's idf of a word found in one document is above zero.
        "d3": "Question: What is gout?\nURL: https://example.org/3\nAnswer: Gout inflames joints.",
        "d4": "Question: What is eczema?\nURL: https://example.org/4\nAnswer: Eczema dries skin.",
    }
    eval_set = EvalSet(documents, {"q1": "asthma my son wheezes", "q2": "sugar diabetes"},
                       {"q1": {"d1": 3}, "q2": {"d2": 1}})
    figures = evaluate(eval_set)
    assert figures["hub"] == (pytest.approx(1.0), pytest.approx(1.0))
    assert figures["bm25"] == (pytest.approx(1.0), pytest.approx(1.0))
