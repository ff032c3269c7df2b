"""The model of a change to published copy waiting for review (issue 14):
imported by articles/models.py, services in articles/revisions.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingRevision(models.Model):
    """A Journalist's edit of a published article, waiting for an editor."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="pending_revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField()
    # The article's version the change was made on: older than the live one
    # means the live text changed since.
    base_version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["article"],
                name="pending_revision_waiting_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.article_id}: change by {self.author_id} ({self.status})"

    @property
    def is_stale(self) -> bool:
        """The live article changed after this change was made on it."""
        return self.base_version < self.article.version

    def form_initial(self) -> dict:
        """The change as the article form's initial values."""
        return dict(self.data)
