"""Newsroom operations on articles that span models: previews, revisions,
authors' pages."""

import reversion
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.text import slugify
from reversion.models import Version
from taggit.models import Tag

from .models import Article, Author
from .selectors import REVISION_FIELDS, REVISION_M2M_FIELDS, revision_tag_ids

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
        for name in REVISION_FIELDS:
            field = Article._meta.get_field(name)
            setattr(article, field.attname, data.get(field.name, data.get(field.attname)))
        article.last_changed_by = user
        article.save()
        for name in REVISION_M2M_FIELDS:
            getattr(article, name).set(data.get(name, []))
        article.tags.set(Tag.objects.filter(pk__in=revision_tag_ids(version)))
    return article


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
