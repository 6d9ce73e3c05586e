"""One search index for the whole hub. Each module writes entries of its own `kind`
(library.resource now; directory and stories later) through peerhub.search.services.

The text columns hold normalised text (accents folded, spellings unified). The database's
own full-text index sits beside this table: an FTS5 virtual table on SQLite, a generated
weighted tsvector column on PostgreSQL (see migrations/0002)."""

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

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="unique_search_entry")]
        indexes = [models.Index(fields=["kind", "is_public"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
