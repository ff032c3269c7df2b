from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, Section

from .selectors import SECTION_CHOICES_KEY
from .services import ALERT_WINDOW
from .tasks import breaking_alert_send


@receiver(post_save, sender=Article)
def alert_breaking_article(sender, instance, raw=False, **kwargs):
    """A breaking article saved public (published now, or flagged breaking
    later) is alerted as soon as the save commits. Scheduled ones become
    public without a save: the periodic breaking_alerts_send sends those.
    Sending is idempotent, so saving the article again sends nothing more."""
    if raw or not (instance.is_breaking and instance.is_public):
        return
    if instance.published_at <= timezone.now() - ALERT_WINDOW:
        return
    transaction.on_commit(partial(breaking_alert_send.enqueue, instance.pk))


@receiver([post_save, post_delete], sender=Section)
def section_changed(**kwargs):
    cache.delete(SECTION_CHOICES_KEY)
