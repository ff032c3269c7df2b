"""Newsroom operations on articles that span models: the workflow (publish,
back to draft, withdraw) and telling the others about it, previews,
revisions, image files, authors' pages."""

import datetime

import reversion
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Version
from taggit.models import Tag

from .events import article_published, article_updated, article_withdrawn
from .models import COPY_FIELDS, COPY_M2M_FIELDS, Article, Author, Section
from .selectors import revision_tag_ids

PREVIEW_SALT = "articles.preview"


def article_preview_token(*, article: Article) -> str:
    """A signed, expiring token for the article's preview link."""
    return signing.dumps(article.pk, salt=PREVIEW_SALT, compress=True)


def article_preview_resolve(*, token: str) -> Article | None:
    """The article a preview token was issued for, or None when the token is
    forged, tampered with or older than ARTICLE_PREVIEW_HOURS."""
    try:
        max_age = settings.ARTICLE_PREVIEW_HOURS * 3600
        pk = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Article.objects.filter(pk=pk).first()


@transaction.atomic
def article_revision_restore(*, article: Article, version: Version, user) -> Article:
    """Put a revision's copy, placement, tags and secondary sections back, as a
    new revision; the workflow (status, time, flags) is left as it is."""
    data = version.field_dict
    with reversion.create_revision():
        reversion.set_user(user)
        restored = version.revision.date_created
        reversion.set_comment(f"Restored the revision of {restored:%Y-%m-%d %H:%M}")
        for name in COPY_FIELDS:
            field = Article._meta.get_field(name)
            setattr(article, field.attname, data.get(field.name, data.get(field.attname)))
        article.last_changed_by = user
        article.save()
        for name in COPY_M2M_FIELDS:
            getattr(article, name).set(data.get(name, []))
        article.tags.set(Tag.objects.filter(pk__in=revision_tag_ids(version)))
    return article


# The workflow. Each step records who made it and the status change (the
# save writes the StatusChange); the save then announces it
# (article_public_announce, from articles/signals.py), whichever way it came:
# an admin action, the article form, a partner feed import, a script.

# What a workflow step writes when it saves only its own fields (an admin
# action must not overwrite an editor's copy saved meanwhile).
WORKFLOW_FIELDS = ["status", "published_at", "withdrawn_reason", "updated_at"]


def _workflow_save(*, article: Article, user, whole_row: bool) -> Article:
    article.last_changed_by = user if user is not None else article.last_changed_by
    if whole_row or article.pk is None:
        article.save()
    else:
        article.save(update_fields=WORKFLOW_FIELDS)
    return article


def article_publish(
    *, article: Article, user=None, immediately: bool = False, whole_row: bool = False
) -> Article:
    """Publish ``article`` at its publication time: a future one schedules it,
    none means now. ``immediately`` makes a missing or future time now ("Publish
    now"). Raises ValidationError (nothing saved) when the article cannot be
    published, e.g. another article of that day has its slug. ``whole_row``
    saves every field (the article form), not just the workflow's."""
    now = timezone.now()
    if article.published_at is None or (immediately and article.published_at > now):
        article.published_at = now
    article.status = Article.Status.PUBLISHED
    article.clean()
    return _workflow_save(article=article, user=user, whole_row=whole_row)


def article_return_to_draft(*, article: Article, user=None, whole_row: bool = False) -> Article:
    """Send ``article`` back to draft: off the public site if it was on it."""
    article.status = Article.Status.DRAFT
    return _workflow_save(article=article, user=user, whole_row=whole_row)


def article_withdraw(
    *, article: Article, reason: str, user=None, whole_row: bool = False
) -> Article:
    """Take ``article`` down: its address answers 410 Gone, partners get a kill
    notice. ``reason`` (kept in the newsroom only) is required."""
    if not reason.strip():
        raise ValueError("Say why the article is taken down.")
    article.status = Article.Status.WITHDRAWN
    article.withdrawn_reason = reason
    return _workflow_save(article=article, user=user, whole_row=whole_row)


def article_workflow_apply(*, article: Article, user=None) -> Article:
    """Save an article edited as a whole (the article form), through the
    workflow step its new status asks for."""
    if article.pk is not None and article.status == getattr(article, "_loaded", {}).get("status"):
        return _workflow_save(article=article, user=user, whole_row=True)
    match article.status:
        case Article.Status.PUBLISHED:
            return article_publish(article=article, user=user, whole_row=True)
        case Article.Status.DRAFT:
            return article_return_to_draft(article=article, user=user, whole_row=True)
        case Article.Status.WITHDRAWN:
            return article_withdraw(
                article=article, reason=article.withdrawn_reason, user=user, whole_row=True
            )
    return _workflow_save(article=article, user=user, whole_row=True)


@transaction.atomic
def article_translation_start(*, original: Article, edition: str, user) -> tuple[Article, bool]:
    """A draft in ``edition`` translating ``original`` (its headline, lead and
    body to start from, in the section of the same slug there), linked to the
    original of its translation group; or the translation that edition has
    already (the original itself when it is in ``edition``), with False.
    Raises ValueError when there is no section to put it in."""
    root = original.translation_of or original
    if root.edition_id == edition:
        return root, False
    if existing := root.translations.filter(edition=edition).first():
        return existing, False
    sections = Section.objects.filter(edition=edition)
    section = (
        sections.filter(slug=root.section.slug).first()
        or sections.filter(parent=None).first()
        or sections.first()
    )
    if section is None:
        raise ValueError("That edition has no sections to put the translation in.")
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Translation of the {root.edition_id} original started")
        draft = Article(
            edition_id=edition,
            headline=root.headline,
            slug=root.slug,
            lead=root.lead,
            body=root.body,
            dateline_place=root.dateline_place,
            section=section,
            status=Article.Status.DRAFT,
            translation_of=root,
            translated_version=root.version,
            last_changed_by=user,
        )
        draft.save()
        draft.authors.add(user)
    return draft, True


def article_public_announce(*, article: Article, using: str = "default") -> Signal | None:
    """Tell the other apps what a save, or the clock, did to ``article``:
    ``article_published`` when it became public, ``article_withdrawn`` when it
    stopped being public, each exactly once (the ``announced_public`` flag is
    compared and set in the database, so two saves or a save and the
    scheduler at once send one), and ``article_updated`` when a public
    article changed. Returns the signal sent, if any."""
    public = article.is_public
    if article.__dict__.get("announced_public") != public or article.was_public != public:
        flipped = (
            Article.objects.using(using)
            .filter(pk=article.pk, announced_public=not public)
            .update(announced_public=public)
        )
        article.announced_public = public
        if flipped:
            signal = article_published if public else article_withdrawn
            signal.send(sender=Article, article=article, using=using)
            return signal
    if public:
        article_updated.send(sender=Article, article=article, using=using)
        return article_updated
    return None


def article_publications_announce(*, now: datetime.datetime | None = None) -> int:
    """Announce the scheduled articles whose time has come (no save marks that
    moment); run every minute. Returns how many were announced."""
    due = Article.objects.published().filter(announced_public=False).order_by("published_at")
    if now is not None:
        due = due.filter(published_at__lte=now)
    announced = 0
    for article in due.select_related("section"):
        with transaction.atomic():
            announced += article_public_announce(article=article) is article_published
    return announced


def author_slug(*, name: str, username: str, taken) -> str:
    """A free slug for an author's page: their name ("anna-kovalenko"), else
    their user name, then "-2", "-3"... while ``taken(slug)`` says it is used."""
    base = (slugify(name) or slugify(username) or "author")[:140]
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def author_profile_ensure(*, user) -> Author:
    """The user's author profile, made with a free slug if they have none."""
    author = Author.objects.filter(user=user).first()
    if author is None:
        slug = author_slug(
            name=user.get_full_name(),
            username=user.get_username(),
            taken=lambda candidate: Author.objects.filter(slug=candidate).exists(),
        )
        author = Author.objects.create(user=user, slug=slug)
    return author
