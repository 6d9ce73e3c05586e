"""The audit history: who changed what, when, with the field-level difference and a full
snapshot of the record afterwards (so any earlier version can be restored)."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    subject_type = models.CharField(max_length=60, help_text="e.g. library.resource")
    subject_id = models.CharField(max_length=64)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_label = models.CharField(max_length=254, help_text="Who acted, kept if the account is deleted")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")
    snapshot = models.JSONField(default=dict, help_text="The record's fields after this event")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]

    def __str__(self):
        return f"{self.action} {self.subject_type}:{self.subject_id} by {self.actor_label}"
