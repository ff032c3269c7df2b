from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.events import article_published, article_updated
from articles.models import Section

from .selectors import SECTION_CHOICES_KEY
from .services import ALERT_WINDOW
from .tasks import breaking_alert_send


@receiver([article_published, article_updated])
def alert_breaking_article(sender, article, using="default", **kwargs):
    """A breaking article that became public (published now, or its
    scheduled time reached), or a public one flagged breaking later, is
    alerted as soon as the change commits. Sending is idempotent, so a later
    change of the article sends nothing more."""
    if not article.is_breaking or article.published_at <= timezone.now() - ALERT_WINDOW:
        return
    transaction.on_commit(partial(breaking_alert_send.enqueue, article.pk), using=using)


@receiver([post_save, post_delete], sender=Section)
def section_changed(**kwargs):
    cache.delete(SECTION_CHOICES_KEY)
