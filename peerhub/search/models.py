"""One search index for the whole hub. Each module writes entries of its own `kind`
(library.resource now; directory and stories later) through peerhub.search.services.

The text columns hold analysed terms (see text.analyse): accents folded, stop words dropped,
one spelling, stemmed. The database's own full-text index sits beside this table: an FTS5
virtual table on SQLite, a generated weighted tsvector column on PostgreSQL (migrations 0003)."""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True, help_text="Authors, organisation, identifiers")
    is_public = models.BooleanField(default=False)
    boost = models.FloatField(default=1.0, help_text="Gentle multiplier for quality and freshness")
    facets = models.TextField(blank=True, help_text="Facet keys such as type:toolkit term:12, space-separated")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")]
        indexes = [models.Index(fields=["kind", "is_public"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"


class SearchState(models.Model):
    """One row whose token changes in every transaction that writes to the index or the
    synonyms. Each process keeps its facet bitmaps and synonyms for one token and reloads when
    it differs; a random token (not a counter) stays correct when a transaction rolls back."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class Synonym(models.Model):
    """Words and phrases that mean the same to people searching the hub, one per line of
    `phrases`. A search for any of them also finds the others."""

    phrases = models.TextField(help_text="One word or phrase per line")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phrases"]

    def __str__(self):
        return " / ".join(self.phrase_list())

    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class SearchWord(models.Model):
    """The public catalogue's own vocabulary: each index term, a word people would read for it,
    and how many public entries contain it. Kept in step by index writes; it feeds "did you mean"."""

    kind = models.CharField(max_length=40)
    term = models.CharField(max_length=64)
    word = models.CharField(max_length=64)
    doc_count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="unique_search_word")]
        indexes = [models.Index(fields=["kind", "word"])]

    def __str__(self):
        return self.word


class QueryDay(models.Model):
    """Searches per normalised query text per day. Nothing else: no IP address, no user, no time
    of day, so the figures cannot be traced back to a person."""

    kind = models.CharField(max_length=40)
    day = models.DateField()
    query = models.CharField(max_length=200)
    searches = models.IntegerField(default=0)
    empty_searches = models.IntegerField(default=0, help_text="Searches that found nothing")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day", "query"], name="unique_query_day")]

    def __str__(self):
        return f"{self.day} {self.query}"
