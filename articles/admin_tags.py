"""The tags admin, per desk: a journalist or editor sees the tags their
editions use (and the unused ones), and renames, deletes or merges only a
tag no other desk's article carries; whoever works on every desk sees and
changes them all."""

import taggit.admin  # registers taggit's admin first: ours replaces it
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from taggit.models import Tag, TaggedItem

from editions.selectors import editions_all, editions_of_request

from .models import Article


def _every_desk(request) -> bool:
    return {e.code for e in editions_all()} <= set(editions_of_request(request))


def _tags_of_articles(articles):
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=articles.values("pk"),
    ).values("tag_id")


admin.site.unregister(Tag)


@admin.register(Tag)
class DeskTagAdmin(taggit.admin.TagAdmin):
    def get_queryset(self, request):
        tags = super().get_queryset(request)
        if _every_desk(request):
            return tags
        desks = editions_of_request(request)
        mine = _tags_of_articles(Article.objects.filter(edition__in=desks))
        return tags.filter(Q(pk__in=mine) | ~Q(pk__in=TaggedItem.objects.values("tag_id")))

    def _only_on_my_desks(self, request, tag) -> bool:
        if tag is None or _every_desk(request):
            return True
        desks = editions_of_request(request)
        others = _tags_of_articles(Article.objects.exclude(edition__in=desks))
        return not others.filter(tag_id=tag.pk).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._only_on_my_desks(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._only_on_my_desks(request, obj)

    def get_inlines(self, request, obj):
        # The tagged items name other desks' articles too.
        return super().get_inlines(request, obj) if _every_desk(request) else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _every_desk(request):
            actions.pop("render_tag_form", None)  # see merge_tags_view
        return actions

    def merge_tags_view(self, request):
        if not _every_desk(request):
            raise PermissionDenied  # merging reaches other desks' tags
        return super().merge_tags_view(request)
