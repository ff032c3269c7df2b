"""What a change does to the public pages (pagecache.py) and stored files.

An article change reaches the page cache only when the public can see it: it
is public after the save, or was before it. A draft, an article in review or
a scheduled one not yet public changes nothing on any page (a schedule
change only makes the cache look up the next publication time again).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import TaggedItem

from .models import Article, Correction, Image, Section
from .pagecache import (
    EVERY_PAGE,
    next_publication_forget,
    pages_invalidate,
    pages_invalidate_committed,
)
from .renditions import image_renditions_delete
from .selectors import article_page_keys, month_news_days_forget


def pages_changed(keys, *, purge=False, using="default"):
    """Invalidate now and once more when the transaction commits: a page
    rendered in between, from the data before the commit, is not kept."""
    keys = set(keys)
    pages_invalidate(keys, purge=purge)
    transaction.on_commit(partial(pages_invalidate_committed, keys, purge=purge), using=using)


def _was_public(article: Article) -> bool:
    """Whether the row as it was loaded was public (it is now, if it was then)."""
    loaded = getattr(article, "_loaded", {})
    published_at = loaded.get("published_at")
    return (
        loaded.get("status") == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= timezone.now()
    )


def article_public_changed(article: Article, *, using="default") -> None:
    """Refresh the pages showing the article, if it is or was public."""
    loaded = getattr(article, "_loaded", {})
    if Article.Status.PUBLISHED in (loaded.get("status"), article.status):
        next_publication_forget()
    was, now = _was_public(article), article.is_public
    if not (was or now):
        if Article.Status.PUBLISHED in (loaded.get("status"), article.status):
            # Scheduled: partners may have it before the public (released to them).
            pages_changed({"api"}, using=using)
        return
    keys = article_page_keys(
        article=article,
        section_ids=[loaded.get("section_id")],
        day=loaded.get("publication_date"),
    )
    if now:
        month_news_days_forget(day=article.publication_date)
    if was and not now:
        # Withdrawn or unpublished: nothing of it may be served again, and a
        # page's list may now be shorter than any page number it had.
        pages_changed({*keys, EVERY_PAGE}, purge=True, using=using)
        month_news_days_forget(day=loaded.get("publication_date"))
    else:
        pages_changed(keys, using=using)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        article_public_changed(instance, using=using)


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, using="default", **kwargs):
    if instance.is_public:
        pages_changed({*article_page_keys(article=instance), EVERY_PAGE}, purge=True, using=using)


def _article_relation_changed(instance, using="default", **kwargs):
    """A tag, correction, secondary section or author of an article."""
    article = instance if isinstance(instance, Article) else None
    if article is None:
        article = Article.objects.filter(pk=getattr(instance, "article_id", None)).first()
    if article is not None and article.is_public:
        pages_changed(article_page_keys(article=article), using=using)


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance, using="default", **kwargs):
    _article_relation_changed(instance, using=using)


@receiver([post_save, post_delete], sender=TaggedItem)
def tagged_item_changed(sender, instance, using="default", **kwargs):
    if instance.content_type.model_class() is Article:
        article = Article.objects.filter(pk=instance.object_id).first()
        if article is not None and article.is_public:
            pages_changed(
                {*article_page_keys(article=article), f"tag-{instance.tag_id}"}, using=using
            )


for relation in (Article.secondary_sections.through, Article.authors.through):
    m2m_changed.connect(
        lambda instance, action, using="default", **kwargs: (
            _article_relation_changed(instance, using=using) if action.startswith("post_") else None
        ),
        sender=relation,
        weak=False,
        dispatch_uid=f"pages-{relation.__name__}",
    )


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, using="default", **kwargs):
    # The menu, the subscribe form and every page's header show sections.
    pages_changed({"sections", EVERY_PAGE}, using=using)


@receiver(post_save, sender=Image)
def image_saved(sender, instance, using="default", **kwargs):
    pages_changed({f"image-{instance.pk}"}, using=using)


# A signal rather than Image.delete(): the admin's bulk delete does not call it.
@receiver(post_delete, sender=Image)
def image_deleted(instance, using, **kwargs):
    image_id, storage, name = instance.pk, instance.file.storage, instance.file.name

    def delete_files():
        image_renditions_delete(image_id=image_id, storage=storage)
        if name:
            storage.delete(name)

    pages_changed({f"image-{image_id}"}, using=using)
    transaction.on_commit(delete_files, using=using, robust=True)
