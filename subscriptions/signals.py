from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from articles.events import article_published, article_updated
from articles.models import Section
from editions.selectors import editions_all

from .selectors import section_choices_key
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
    article_id = article.pk

    def alert_enqueue():
        breaking_alert_send.enqueue(article_id)

    # Robust: the queue down (RQ's Redis) must not turn the editor's saved
    # publish into an error page; breaking_alerts_send sends it later. (A
    # named function: Django's robust hooks log the hook's __qualname__,
    # which a functools.partial does not have.)
    transaction.on_commit(alert_enqueue, using=using, robust=True)


@receiver([post_save, post_delete], sender=Section)
def section_changed(instance, **kwargs):
    # Every edition's: a section may have moved to another edition.
    codes = {instance.edition_id, *(e.code for e in editions_all())}
    cache.delete_many([section_choices_key(code) for code in codes])
