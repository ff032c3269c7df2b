"""What the partners app does when the news changes: push the item to the
partners' webhooks (and ping the WebSub hub), after the change is committed.
Connected in PartnersConfig.ready()."""

from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save

from articles.models import Article, Correction

from .services import article_change_push


def _push_after_commit(article_id: int, using: str) -> None:
    # Robust: a failure to push is logged, never the editor's error page;
    # the delivery log shows what was (not) sent.
    transaction.on_commit(
        partial(article_change_push, article_id=article_id), using=using, robust=True
    )


def _may_reach_partners(article: Article) -> bool:
    """Whether a save can change what partners have (drafts, and scheduled
    articles not released to them, cannot); article_change_push decides."""
    if article.status == Article.Status.WITHDRAWN:
        return True
    return article.status == Article.Status.PUBLISHED and (
        article.is_public or article.released_to_partners
    )


def article_saved(sender, instance, using, raw=False, **kwargs):
    if not raw and _may_reach_partners(instance):
        _push_after_commit(instance.pk, using)


def correction_saved(sender, instance, using, raw=False, **kwargs):
    if raw:
        return
    # A correction is a new version of the item for partners (ninjs and
    # NewsML count it), so the article's version counter moves on.
    Article.objects.using(using).filter(pk=instance.article_id).update(version=F("version") + 1)
    _push_after_commit(instance.article_id, using)


def connect() -> None:
    post_save.connect(article_saved, sender=Article, dispatch_uid="partners-push-article")
    post_save.connect(correction_saved, sender=Correction, dispatch_uid="partners-push-correction")
