"""The faster text analysis (accents folded with str.translate, words cut only when one is too
long, each distinct word's readable form taken once, vocabulary counted with Counter) gives
exactly what the plain versions below, the code it replaced, gave."""

import random
import unicodedata

import pytest

from peerhub.search import services
from peerhub.search.text import MAX_WORD_CHARS, STOPWORDS, WORD_RE, fold_accents, term, words

SAMPLES = [
    "", "Peer support", "The Café's supporting groups", "ME/CFS", "behaviour haematology diarrhoea",
    "Ærøskøbing naïve coöperate façade résumé São Paulo Łódź Dvořák İstanbul ß ﬁnance ½ ²",
    "Ελληνικά κείμενα με τόνους", "Русский текст с ударе́нием", "中文 日本語のテキスト 한국어",
    "x" * 200 + " short " + "y" * 61, "snake_case_words and_more", "e\u0301 a\u0300 o\u0308 combining marks",
    "Hospitalisation of paediatric oesophageal foetal anaemia: a meta-analysis (n = 1,234)",
    "\u00a0non\u2011breaking\u00a0spaces and em\u2014dashes…", "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ", "ǅemal ǈubljana",
]


def old_fold_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def old_words(text: str) -> list[str]:
    return [w[:MAX_WORD_CHARS] for w in WORD_RE.findall(old_fold_accents(text or "").lower())]


def old_analysed(document: dict) -> tuple[dict, dict]:
    fields, readable = {}, {}
    for name in services.FIELDS:
        found = old_words(document.get(name, ""))
        fields[name] = " ".join(term(w) for w in found if w not in STOPWORDS)
        for word in found:
            readable.setdefault(term(word), word)
    return fields, readable


def varied_texts(count: int = 300) -> list[str]:
    rng = random.Random(7)
    pieces = [w for sample in SAMPLES for w in sample.split()] + sorted(STOPWORDS)[:40]
    return SAMPLES + [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def test_folding_and_words_equal_the_plain_versions():
    for text in varied_texts():
        assert fold_accents(text) == old_fold_accents(text)
        assert words(text) == old_words(text)


def test_document_analysis_equals_the_plain_version():
    texts = varied_texts()
    for i in range(0, len(texts) - 4, 4):
        document = dict(zip(services.FIELDS, texts[i:i + 4], strict=True))
        fields, readable = services._analysed(document)
        old_fields, old_readable = old_analysed(document)
        assert fields == old_fields
        assert readable == old_readable  # the same first spelling of each term


@pytest.mark.django_db
def test_bulk_indexing_equals_one_by_one_indexing():
    from peerhub.search.models import SearchEntry, SearchWord

    texts = varied_texts(60)
    documents = [{"object_id": i, "title": texts[i], "summary": texts[i + 1], "body": texts[i + 2],
                  "extra": texts[i + 3], "is_public": i % 3 != 0} for i in range(0, 56)]
    for d in documents:
        services.index_document("one", d["object_id"], title=d["title"], summary=d["summary"], body=d["body"],
                                extra=d["extra"], is_public=d["is_public"])
    services.index_new_documents("bulk", documents[:20])
    services.index_new_documents("bulk", documents[20:])

    def entries(kind):
        return list(SearchEntry.objects.filter(kind=kind).order_by("object_id")
                    .values_list("object_id", "title", "summary", "body", "extra", "is_public"))

    def vocabulary(kind):
        return set(SearchWord.objects.filter(kind=kind).values_list("term", "word", "doc_count"))

    assert entries("bulk") == entries("one") and vocabulary("bulk") == vocabulary("one")


def test_terms_are_the_same_whatever_the_word_cache_holds(monkeypatch):
    from peerhub.search import text

    expected = [[term(w) for w in old_words(t) if w not in STOPWORDS] for t in varied_texts(80)]
    assert [text.terms(t) for t in varied_texts(80)] == expected
    monkeypatch.setattr(text, "TERM_CACHE_LIMIT", 5)  # cleared again and again
    assert [text.terms(t) for t in varied_texts(80)] == expected
    assert len(text._term_of) <= max(5, max(len(set(old_words(t))) for t in varied_texts(80)))


def test_ascii_text_is_split_into_the_words_the_pattern_finds():
    ascii_text = "".join(chr(c) for c in range(128)) * 3 + " under_score tab\tsplit 3.5mg x-ray O'Neill"
    assert words(ascii_text) == WORD_RE.findall(ascii_text.lower())


def test_terms_stay_whole_while_other_threads_fill_and_renew_the_word_cache(monkeypatch):
    import threading

    from peerhub.search import text

    monkeypatch.setattr(text, "TERM_CACHE_LIMIT", 50)  # renewed again and again by the threads
    texts = varied_texts(200)
    expected = [[term(w) for w in old_words(t) if w not in STOPWORDS] for t in texts]
    failures = []

    def analyse_all():
        for _ in range(5):
            try:
                if [text.terms(t) for t in texts] != expected:
                    failures.append("different terms")
            except Exception as error:  # noqa: BLE001  (a KeyError here is what the test is for)
                failures.append(repr(error))

    threads = [threading.Thread(target=analyse_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
