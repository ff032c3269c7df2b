"""Changes to published copy go through review: a Journalist's edit of a
published article is kept as a pending revision, and the live article stays
as it is until an editor publishes the change (through the same save as an
editor's own edit: history, version, pages, announcements) or discards it."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import parse_tags

from .diffs import TEXT_NAMES, text_diff
from .models import COPY_FIELDS, COPY_M2M_FIELDS, Article, Section
from .review_models import PendingRevision
from .selectors import field_readable
from .services import article_workflow_apply

# What a pending revision keeps: the copy and placement as the article form
# has them (ids for relations), its tags and the new tags typed in.
MANY_FIELDS = [*COPY_M2M_FIELDS, "tags"]
# Compared word by word.


def review_needed(article: Article | None, *, can_publish: bool) -> bool:
    """A change to this article by this user waits for an editor: it was
    published (public or scheduled) when loaded and the user cannot publish."""
    return (
        not can_publish
        and article is not None
        and article.pk is not None
        and getattr(article, "_loaded", {}).get("status") == Article.Status.PUBLISHED
    )


def _pk(value):
    return value.pk if isinstance(value, models.Model) else value


def copy_from_form(cleaned_data: dict) -> dict:
    """The copy, placement and tags an article form was submitted with."""
    data = {name: _pk(cleaned_data.get(name)) for name in COPY_FIELDS if name in cleaned_data}
    for name in MANY_FIELDS:
        if name in cleaned_data:
            data[name] = sorted(_pk(item) for item in cleaned_data[name] or [])
    data["new_tags"] = cleaned_data.get("new_tags", "").strip()
    if "body" in data:  # as a save would keep it
        data["body"] = Article._meta.get_field("body").sanitize(data["body"] or "")
    return data


def copy_of_article(article: Article) -> dict:
    """The same for the article as it is in the database."""
    data = {name: getattr(article, Article._meta.get_field(name).attname) for name in COPY_FIELDS}
    for name in COPY_M2M_FIELDS:
        data[name] = sorted(getattr(article, name).values_list("pk", flat=True))
    data["tags"] = sorted(article.tags.values_list("pk", flat=True))
    data["new_tags"] = ""
    return data


@transaction.atomic
def pending_revision_propose(*, article: Article, author, data: dict) -> PendingRevision | None:
    """Keep ``author``'s change to published ``article`` for review; the live
    row is not touched. One pending change per author and article: a second
    save replaces the first. None when the change is no change."""
    live = Article.objects.get(pk=article.pk)
    waiting = PendingRevision.objects.filter(
        article=live, author=author, status=PendingRevision.Status.PENDING
    ).first()
    if {**copy_of_article(live), **data} == copy_of_article(live):
        if waiting is not None:
            waiting.delete()
        return None
    revision = waiting or PendingRevision(article=live, author=author)
    revision.data = data
    revision.base_version = live.version
    revision.created_at = timezone.now()
    revision.save()
    return revision


def waiting_for_review():
    """Whether an article has a change waiting (for a queryset filter)."""
    return models.Exists(
        PendingRevision.objects.filter(
            article=models.OuterRef("pk"), status=PendingRevision.Status.PENDING
        )
    )


def pending_revisions_waiting(article: Article, *, author=None):
    revisions = article.pending_revisions.filter(status=PendingRevision.Status.PENDING)
    if author is not None:
        revisions = revisions.filter(author=author)
    return revisions.select_related("author")


def _decided(revision: PendingRevision, *, status, user) -> None:
    revision.status = status
    revision.decided_by = user
    revision.decided_at = timezone.now()
    revision.save(update_fields=["status", "decided_by", "decided_at"])


def _check_waiting(revision: PendingRevision) -> None:
    if revision.status != PendingRevision.Status.PENDING:
        raise ValidationError(
            "This change was already %(what)s.",
            params={"what": revision.get_status_display().lower()},
        )


@transaction.atomic
def pending_revision_publish(*, revision: PendingRevision, user) -> Article:
    """Put the change on the live article as an editor's edit of it: the same
    workflow save (version, history, pages, announcements), tags and
    secondary sections set after it, all in one revision of the history.
    Raises ValidationError (nothing saved) when it cannot go live now."""
    revision = PendingRevision.objects.select_for_update().get(pk=revision.pk)
    _check_waiting(revision)
    article = Article.objects.select_for_update(of=("self",)).get(pk=revision.article_id)
    data = revision.data
    if "section" in data and not Section.objects.filter(pk=data["section"]).exists():
        raise ValidationError("The section this change puts the article in no longer exists.")
    with reversion.create_revision():
        reversion.set_user(user)
        author = revision.author.get_username() if revision.author else "someone"
        reversion.set_comment(f"Published the change by {author} (reviewed)")
        for name in COPY_FIELDS:
            if name in data:
                field = Article._meta.get_field(name)
                value = data[name]
                if value is not None and field.is_relation:  # gone since: none
                    value = field.related_model.objects.filter(pk=value).values("pk").first()
                    value = value and value["pk"]
                setattr(article, field.attname, value)
        article.clean()  # the slug still free on its day, the section of its edition
        article_workflow_apply(article=article, user=user)
        for name in COPY_M2M_FIELDS:
            if name in data:
                related = Article._meta.get_field(name).related_model
                getattr(article, name).set(related.objects.filter(pk__in=data[name]))
        if "tags" in data:
            article.tags.set(Tag.objects.filter(pk__in=data["tags"]))
        if new_tags := parse_tags(data.get("new_tags", "")):
            article.tags.add(*new_tags)
        # As it is now, with its tags and sections.
        reversion.add_to_revision(article)
    _decided(revision, status=PendingRevision.Status.PUBLISHED, user=user)
    return article


@transaction.atomic
def pending_revision_discard(*, revision: PendingRevision, user) -> None:
    """Drop the change; the live article stays as it is."""
    revision = PendingRevision.objects.select_for_update().get(pk=revision.pk)
    _check_waiting(revision)
    _decided(revision, status=PendingRevision.Status.DISCARDED, user=user)


def _readable(name: str, data: dict) -> str:
    if name == "tags":
        names = set(
            Tag.objects.filter(pk__in=data.get("tags") or []).values_list("name", flat=True)
        )
        return ", ".join(sorted(names | set(parse_tags(data.get("new_tags", "")))))
    return field_readable(Article._meta.get_field(name), data.get(name))


def pending_revision_diff(*, revision: PendingRevision, article: Article) -> list[dict]:
    """What the change would change on the live article, field by field: a
    word diff of the headline, lead and rendered body, before and after
    (names, not ids) for the rest."""
    live, proposed = copy_of_article(article), {**copy_of_article(article), **revision.data}
    changes = []
    for name in TEXT_NAMES:
        if live[name] != proposed[name]:
            changes.append(
                {
                    "name": name,
                    "field": Article._meta.get_field(name).verbose_name,
                    "diff": text_diff(name, live[name], proposed[name]),
                }
            )
    others = [name for name in [*COPY_FIELDS, *MANY_FIELDS] if name not in TEXT_NAMES]
    for name in others:
        before, after = _readable(name, live), _readable(name, proposed)
        if before != after:
            label = "tags" if name == "tags" else Article._meta.get_field(name).verbose_name
            changes.append({"name": name, "field": label, "before": before, "after": after})
    return changes
