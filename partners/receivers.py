"""What the partners app does when the news changes: push the item to the
partners' webhooks (and ping the WebSub hub), after the change is committed.
Connected in PartnersConfig.ready() to the articles app's announcements
(articles/events.py)."""

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save

from articles.events import article_published, article_updated, article_withdrawn
from articles.models import Article, Correction

from .pushes import article_change_push


def _push_after_commit(article_id: int, using: str) -> None:
    def push():
        article_change_push(article_id=article_id)

    # Robust: a failure to push is logged, never the editor's error page;
    # the delivery log shows what was (not) sent. (A named function: Django
    # logs a failed robust hook by its __qualname__, which a partial has not.)
    transaction.on_commit(push, using=using, robust=True)


def article_announced(sender, article, using="default", **kwargs):
    """Published, changed while public, or withdrawn: partners hear of it."""
    _push_after_commit(article.pk, using)


def article_saved(sender, instance, using, raw=False, **kwargs):
    """What the public cannot see but partners may have: a scheduled article
    released to them ahead of its time, and its withdrawal before that time
    (the announcements above cover everything public)."""
    if raw or instance.is_public or instance.was_public or not instance.released_to_partners:
        return
    if instance.status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN):
        _push_after_commit(instance.pk, using)


def correction_saved(sender, instance, using, raw=False, **kwargs):
    if raw:
        return
    # A correction is a new version of the item for partners (ninjs and
    # NewsML count it), so the article's version counter moves on.
    Article.objects.using(using).filter(pk=instance.article_id).update(version=F("version") + 1)
    _push_after_commit(instance.article_id, using)


def connect() -> None:
    for name, signal in [
        ("published", article_published),
        ("updated", article_updated),
        ("withdrawn", article_withdrawn),
    ]:
        signal.connect(article_announced, dispatch_uid=f"partners-push-{name}")
    post_save.connect(article_saved, sender=Article, dispatch_uid="partners-push-article")
    post_save.connect(correction_saved, sender=Correction, dispatch_uid="partners-push-correction")
