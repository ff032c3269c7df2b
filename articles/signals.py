"""What a change does to the public pages (pagecache.py) and stored files.

An article change reaches the page cache only when the public can see it:
what a save or the clock did is announced (articles/events.py) and the
pages follow the announcement. A draft, an article in review or a scheduled
one not yet public changes nothing on any page (a schedule change only makes
the cache look up the next publication time again).
"""

from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from editions.models import Edition

from .events import article_published, article_updated, article_withdrawn
from .models import Article, Author, Correction, Image, Section, search_vectors_update
from .pagecache import (
    EVERY_PAGE,
    next_publication_forget,
    pages_invalidate,
    pages_invalidate_committed,
)
from .renditions import image_renditions_delete
from .selectors import article_page_keys, month_news_days_forget
from .services import article_public_announce, author_profile_ensure


def pages_changed(keys, *, purge=False, using="default"):
    """Invalidate now and once more when the transaction commits: a page
    rendered in between, from the data before the commit, is not kept."""
    keys = set(keys)
    pages_invalidate(keys, purge=purge)
    transaction.on_commit(partial(pages_invalidate_committed, keys, purge=purge), using=using)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, using="default", **kwargs):
    """Every save is announced (article_published, _updated, _withdrawn); one
    that leaves the article off the public site changes no page, but a
    schedule change makes the cache look up the next publication again."""
    if raw:
        return
    loaded_status = getattr(instance, "_loaded", {}).get("status")
    scheduling = Article.Status.PUBLISHED in (loaded_status, instance.status)
    if scheduling:
        next_publication_forget()
    if article_public_announce(article=instance, using=using) is None and scheduling:
        # Scheduled: partners may have it before the public (released to them).
        pages_changed({"api"}, using=using)


@receiver([article_published, article_updated, article_withdrawn])
def article_pages_changed(sender, signal, article, using="default", **kwargs):
    """Refresh the pages showing the article, and those it was on before the
    change; when it stops being public nothing of it may be served again."""
    loaded = getattr(article, "_loaded", {})
    keys = article_page_keys(
        article=article,
        section_ids=[loaded.get("section_id")],
        day=loaded.get("publication_date"),
    )
    if signal is article_withdrawn:
        # A page's list may now be shorter than any page number it had.
        pages_changed({*keys, EVERY_PAGE}, purge=True, using=using)
        month_news_days_forget(day=loaded.get("publication_date"), edition=article.edition_id)
    else:
        month_news_days_forget(day=article.publication_date, edition=article.edition_id)
        pages_changed(keys, using=using)


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
        # Its sitemap's lastmod.
        month_news_days_forget(day=article.publication_date, edition=article.edition_id)


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance, using="default", **kwargs):
    _article_relation_changed(instance, using=using)


@receiver([post_save, post_delete], sender=TaggedItem)
def tagged_item_changed(sender, instance, using="default", **kwargs):
    if instance.content_type.model_class() is Article:
        # An article is found by its tags' names.
        search_vectors_update(Article.objects.using(using).filter(pk=instance.object_id))
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


@receiver(m2m_changed, sender=Article.authors.through)
def article_authors_changed(sender, instance, action, pk_set, using="default", **kwargs):
    # An author taken off a public article: their page no longer lists it
    # (article_page_keys names only the authors it has now).
    if action in ("post_remove", "pre_clear") and isinstance(instance, Article):
        if action == "pre_clear":
            pk_set = set(instance.authors.values_list("pk", flat=True))
        if instance.is_public and pk_set:
            pages_changed({f"author-{pk}" for pk in pk_set}, using=using)


NAME_FIELDS = {"first_name", "last_name", "username"}


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def user_saved(sender, instance, created, raw=False, using="default", update_fields=None, **kwargs):
    """Every user gets an author profile (a byline links to it); a change of
    name refreshes their page and their bylines."""
    if raw:
        return
    if created:
        author_profile_ensure(user=instance)
    elif update_fields is None or NAME_FIELDS & set(update_fields):  # not each login
        pages_changed({f"author-{instance.pk}"}, using=using)


@receiver([post_save, post_delete], sender=Author)
def author_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        pages_changed({f"author-{instance.user_id}"}, using=using)


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, using="default", raw=False, created=False, **kwargs):
    if not (raw or created):  # renamed: its articles are found by the new name
        tagged = TaggedItem.objects.using(using).filter(
            tag=instance, content_type__app_label="articles", content_type__model="article"
        )
        search_vectors_update(
            Article.objects.using(using).filter(pk__in=tagged.values("object_id"))
        )


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, instance, using="default", raw=False, **kwargs):
    # The menu, the subscribe form and every page's header show sections.
    pages_changed({"sections", EVERY_PAGE}, using=using)
    if kwargs.get("signal") is post_save and not (raw or kwargs.get("created")):
        # Renamed or moved: its articles (and its children's, which are found
        # by their parent's name) are found by the new names.
        search_vectors_update(
            Article.objects.using(using).filter(
                models.Q(section=instance) | models.Q(section__parent=instance)
            )
        )


@receiver(pre_save, sender=Edition)
def edition_saving(sender, instance, using="default", raw=False, **kwargs):
    if not raw:
        old = Edition.objects.using(using).filter(pk=instance.pk).values("search_config")
        instance._search_config_before = old.first()


@receiver(post_save, sender=Edition)
def edition_saved(sender, instance, using="default", raw=False, **kwargs):
    # Another text search configuration: its articles are found by the
    # forms of words of that language from now on.
    before = getattr(instance, "_search_config_before", None)
    if before is not None and before["search_config"] != instance.search_config:
        search_vectors_update(Article.objects.using(using).filter(edition=instance))


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
