"""Writes to the search index. Modules call these inside their own write transaction, so the
index never disagrees with the records it describes (a database trigger also gives the search
state a new token in that transaction; see migrations 0005)."""

from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import F

from peerhub.core.bulk import insert_rows
from peerhub.search.maintenance import prepare_bulk_index
from peerhub.search.models import SearchEntry, SearchWord, Synonym
from peerhub.search.text import analyse, term, terms_of_words, words

FIELDS = ("title", "summary", "body", "extra")
MAX_LOGGED_QUERY_CHARS = 200


def _public_words(entry: SearchEntry | None) -> set[str]:
    """Index terms of a public entry (only public text may be suggested to searchers)."""
    if entry is None or not entry.is_public:
        return set()
    return set(" ".join(getattr(entry, name) for name in FIELDS).split())  # one split in C, not a loop per term


def _public_row_words(row: dict) -> set[str]:
    """_public_words of an entry given as a row (index_new_documents)."""
    return set(" ".join(row[name] for name in FIELDS).split()) if row["is_public"] else set()


def _update_vocabulary(kind: str, before: set[str], after: set[str], readable: dict[str, str]) -> None:
    gone = before - after
    if gone:
        words_gone = SearchWord.objects.filter(kind=kind, term__in=gone)
        words_gone.update(doc_count=F("doc_count") - 1)
        # A word no public record uses any more must not linger: it may be personal (a withdrawn story).
        words_gone.filter(doc_count__lte=0).delete()
    added = after - before
    existing = set(SearchWord.objects.filter(kind=kind, term__in=added).values_list("term", flat=True))
    SearchWord.objects.filter(kind=kind, term__in=existing).update(doc_count=F("doc_count") + 1)
    SearchWord.objects.bulk_create([SearchWord(kind=kind, term=t, word=readable.get(t, t)[:64], doc_count=1)
                                    for t in added - existing if len(t) <= 64])


def readable_words(*texts: str) -> dict[str, str]:
    """A word people would read for each term (its first spelling seen), for "did you mean"."""
    found: dict[str, str] = {}
    for text in texts:
        for word in words(text):
            found.setdefault(term(word), word)
    return found


@transaction.atomic
def index_document(kind: str, object_id, *, title: str, summary: str = "", body: str = "", extra: str = "",
                   is_public: bool, boost: float = 1.0, facets: tuple[str, ...] = ()) -> None:
    """Add or replace one record's entry. `facets` are keys such as "type:toolkit" that the
    module's filters and facet counts use."""
    before = SearchEntry.objects.filter(kind=kind, object_id=str(object_id)).first()
    texts = {"title": title, "summary": summary, "body": body, "extra": extra}
    entry, _ = SearchEntry.objects.update_or_create(
        kind=kind, object_id=str(object_id),
        defaults={**{name: analyse(text) for name, text in texts.items()}, "is_public": is_public,
                  "boost": boost, "facets": " ".join(facets)},
    )
    _update_vocabulary(kind, _public_words(before), _public_words(entry), readable_words(*texts.values()))


def _first_spellings(found: list[str], distinct: set[str], readable: dict[str, str], seen: set[str]) -> None:
    """readable.setdefault(term(w), w) for each word of found (whose set is distinct) in order,
    visiting only the words not in seen (a word seen before already gave its term a spelling, so
    skipping it changes nothing); seen then holds them too."""
    new = distinct.difference(seen)
    if not new:
        return
    seen.update(new)
    # Few new words: sort them by first place; many: walk the distinct words in order once.
    ordered = sorted(new, key=found.index) if len(new) <= 16 else [w for w in dict.fromkeys(found) if w in new]
    for word in ordered:
        readable.setdefault(term(word), word)


def _analysed(document: dict, seen: set[str] | None = None, *, spellings: bool = True
              ) -> tuple[dict[str, str], dict[str, str]]:
    """analyse() of each field and readable_words() of them all, from one pass over the words
    (folding accents is the slow part of indexing a long abstract, so it is done once). `seen`
    carries the words already given a spelling across a batch; without `spellings` (an entry
    that is not public) no spelling is looked for."""
    fields, readable, seen = {}, {}, set() if seen is None else seen
    for name in FIELDS:
        found = words(document.get(name, ""))
        distinct = set(found)
        fields[name] = " ".join(terms_of_words(found, distinct))
        if spellings:
            _first_spellings(found, distinct, readable, seen)
    return fields, readable


@transaction.atomic
def index_new_documents(kind: str, documents: list[dict], batch_size: int = 500) -> None:
    """index_document for many records that have no entry yet (a large import), in a few
    queries: one bulk INSERT of entries, and each public word's count raised once. Each dict
    holds index_document's arguments plus `object_id`."""
    entries, readable, seen = [], {}, set()
    for d in documents:
        fields, words_seen = _analysed(d, seen, spellings=d["is_public"])
        entries.append({"kind": kind, "object_id": str(d["object_id"]), "is_public": d["is_public"],
                        "boost": d.get("boost", 1.0), "facets": " ".join(d.get("facets", ())), **fields})
        for text_term, word in words_seen.items():
            readable.setdefault(text_term, word)
    prepare_bulk_index(len(entries))
    insert_rows(SearchEntry, entries, batch_size=batch_size)  # no model instance per entry
    _add_to_vocabulary(kind, entries, readable)


# While set (see vocabulary_counted_once), {kind: (counts, readable)} waiting to be written.
_waiting_vocabulary: ContextVar[dict | None] = ContextVar("waiting_vocabulary", default=None)


@contextmanager
def vocabulary_counted_once():
    """Inside this block, index_new_documents leaves the vocabulary's counts to its end and then
    raises each word's count once. A large import indexes its records in batches, and raising
    the same thousands of words' counts after every batch (a row update each) cost more than
    the rest of its indexing. Use it inside the transaction that indexes."""
    waiting: dict = {}
    token = _waiting_vocabulary.set(waiting)
    try:
        yield
        for kind, (counts, readable) in waiting.items():
            _write_vocabulary(kind, counts, readable)
    finally:
        _waiting_vocabulary.reset(token)


def _add_to_vocabulary(kind: str, entries: list[dict], readable: dict[str, str]) -> None:
    """Raise each public word's document count by the number of new public entries holding it,
    now or, inside vocabulary_counted_once, at the end of that block."""
    counts: Counter[str] = Counter()
    for entry in entries:
        counts.update(_public_row_words(entry))  # Counter counts an iterable in C
    waiting = _waiting_vocabulary.get()
    if waiting is None:
        _write_vocabulary(kind, counts, readable)
        return
    kept_counts, kept_readable = waiting.setdefault(kind, (Counter(), {}))
    kept_counts.update(counts)
    for text_term, word in readable.items():
        kept_readable.setdefault(text_term, word)


def _write_vocabulary(kind: str, counts: Counter, readable: dict[str, str]) -> None:
    """The existing rows locked, then raised together (_raise_counts; Django's bulk_update builds a
    CASE per row, far slower for thousands of words); new words inserted."""
    wanted = [t for t in counts if len(t) <= 64]
    existing = _locked_word_ids(kind, wanted)
    _raise_counts([(counts[t], pk) for t, pk in existing.items()])
    insert_rows(SearchWord, [{"kind": kind, "term": t, "word": readable.get(t, t)[:64], "doc_count": counts[t]}
                             for t in wanted if t not in existing])


def _locked_word_ids(kind: str, wanted: list[str]) -> dict[str, int]:
    """{term: id} of the wanted terms already in the vocabulary, their rows locked (FOR UPDATE
    where the database has it), as SearchWord.objects.select_for_update().filter(kind=kind,
    term__in=...) would fetch them, in plain SQL: dozens of chunks per import, and building each
    ORM query cost more than running it."""
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter: no limit on parameters to chunk for
            cursor.execute(f"SELECT term, id FROM {table} WHERE kind = %s AND term = ANY(%s::text[]){lock}",
                           [kind, wanted])
            return dict(cursor.fetchall())
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            places = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT term, id FROM {table} WHERE kind = %s AND term IN ({places}){lock}", [kind, *chunk])
            found.update(cursor.fetchall())
    return found


def _raise_counts(rows: list[tuple[int, int]]) -> None:
    """doc_count += n for each (n, id). PostgreSQL takes them all in one statement over two
    arrays: executemany there still costs one round of the protocol per word, thousands per
    import. SQLite runs in the process, where executemany is already cheap."""
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} AS w SET doc_count = w.doc_count + v.n "
                           "FROM unnest(%s::integer[], %s::bigint[]) AS v(n, id) WHERE w.id = v.id",
                           [[n for n, _pk in rows], [pk for _n, pk in rows]])
        else:
            cursor.executemany(f"UPDATE {table} SET doc_count = doc_count + %s WHERE id = %s", rows)


@transaction.atomic
def remove_document(kind: str, object_id) -> None:
    entry = SearchEntry.objects.filter(kind=kind, object_id=str(object_id)).first()
    if entry is not None:
        _update_vocabulary(kind, _public_words(entry), set(), {})
        entry.delete()


@transaction.atomic
def remove_kind(kind: str) -> int:
    SearchWord.objects.filter(kind=kind).delete()
    deleted, _ = SearchEntry.objects.filter(kind=kind).delete()
    return deleted


# Synonyms -------------------------------------------------------------------------------------

def _clean_phrases(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(dict.fromkeys(line for line in lines if line))


def save_synonym(phrases: str, synonym: Synonym | None = None) -> Synonym:
    synonym = synonym or Synonym()
    synonym.phrases = _clean_phrases(phrases)
    synonym.save()
    return synonym


def delete_synonym(synonym: Synonym) -> None:
    synonym.delete()


# Analytics ------------------------------------------------------------------------------------

def normalise_query(text: str) -> str:
    """The query as analytics keep it: words only, lower case, accents folded, so "Peer  Support!"
    and "peer support" count as one, and nothing but the words is stored."""
    return " ".join(words(text))[:MAX_LOGGED_QUERY_CHARS]


UPSERT_SQL = (
    "INSERT INTO search_queryday (kind, day, query, searches, empty_searches) VALUES (%s, %s, %s, 1, %s) "
    "ON CONFLICT (kind, day, query) DO UPDATE SET searches = search_queryday.searches + 1, "
    "empty_searches = search_queryday.empty_searches + excluded.empty_searches"
)


def record_search(kind: str, text: str, found: int, day) -> None:
    """Count one search for the day in one statement: the day's row is inserted or added to."""
    query = normalise_query(text)
    if query:
        with connection.cursor() as cursor:
            cursor.execute(UPSERT_SQL, [kind, day, query, int(not found)])
