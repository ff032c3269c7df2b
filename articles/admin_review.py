"""Review of changes to published copy in the article admin (issue 14): a
Journalist's save of a published article becomes a pending revision
(articles/revisions.py), which editors compare and publish or discard."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .forms import newsroom_time
from .images import image_save
from .models import Image
from .review_models import PendingRevision
from .revisions import (
    copy_from_form,
    pending_revision_diff,
    pending_revision_discard,
    pending_revision_propose,
    pending_revision_publish,
    pending_revisions_waiting,
    review_needed,
)

WAITING_MESSAGE = (
    "Your change is waiting for an editor's review. The live article stays as it is "
    "until an editor publishes it."
)


class PendingReviewMixin:
    """On top of ArticleAdmin (articles/admin.py): what a Journalist saves on
    a published article is kept for review instead of saved; editors compare,
    publish or discard it here."""

    change_form_template = "admin/articles/article/change_form_review.html"

    def _own_pending(self, request, obj):
        """The user's own change waiting on ``obj``, when their saves of it go
        to review (the form then shows their text, not the live one)."""
        if not review_needed(obj, can_publish=self.has_publish_permission(request)):
            return None
        cache = request.__dict__.setdefault("_own_pending", {})
        if obj.pk not in cache:
            cache[obj.pk] = pending_revisions_waiting(obj, author=request.user).first()
        return cache[obj.pk]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        pending = self._own_pending(request, obj)
        if pending is None:
            return form

        class WithPendingChange(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**pending.form_initial(), **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return WithPendingChange

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            can_publish = self.has_publish_permission(request)
            context["pending_mine"] = self._own_pending(request, obj)
            context["pending_revisions"] = (
                list(pending_revisions_waiting(obj)) if can_publish else []
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            proposed = article.pending_revisions.select_related("author", "decided_by")
            extra_context = {"proposed_changes": list(proposed), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        if not (change and review_needed(obj, can_publish=self.has_publish_permission(request))):
            return super().save_model(request, obj, form, change)
        data = copy_from_form(form.cleaned_data)
        if upload := form.cleaned_data.get("new_image"):
            # Stored now (no page shows it), used when the change is published.
            image = Image(
                file=upload,
                alt_text=form.cleaned_data["new_image_alt"].strip(),
                caption=form.cleaned_data["new_image_caption"],
                credit=form.cleaned_data["new_image_credit"],
            )
            data["main_image"] = image_save(image=image).pk
        request.pending_revision = pending_revision_propose(
            article=obj, author=request.user, data=data
        )
        request.kept_for_review = True

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "kept_for_review", False):
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "kept_for_review", False):
            return "Proposed a change for review."  # the formsets were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "kept_for_review", False):
            if request.pending_revision is None:
                return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if not getattr(request, "kept_for_review", False):
            return super().response_change(request, obj)
        if request.pending_revision is None:
            self.message_user(
                request, "Nothing changed: the live article stays as it is.", messages.INFO
            )
        else:
            self.message_user(request, WAITING_MESSAGE, messages.INFO)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    # Compare, publish, discard.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/pending/<int:revision_id>/",
                view(self.pending_view),
                name="articles_article_pending",
            ),
            path(
                "<path:object_id>/pending/<int:revision_id>/<str:decision>/",
                view(self.pending_decide_view),
                name="articles_article_pending_decide",
            ),
            *super().get_urls(),
        ]

    def _pending(self, request, object_id, revision_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.pending_revisions, pk=revision_id)
        revision.article = article
        return article, revision

    def pending_view(self, request, object_id, revision_id):
        article, revision = self._pending(request, object_id, revision_id)
        waiting = revision.status == PendingRevision.Status.PENDING
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change waiting for review: {article}",
            "opts": self.opts,
            "original": article,
            "revision": revision,
            "proposed_at": newsroom_time(revision.created_at),
            "changes": pending_revision_diff(revision=revision, article=article),
            "can_decide": self.has_publish_permission(request) and waiting,
            "can_withdraw": revision.author_id == request.user.pk and waiting,
        }
        return TemplateResponse(request, "admin/articles/article/pending_revision.html", context)

    def pending_decide_view(self, request, object_id, revision_id, decision):
        if request.method != "POST":
            raise PermissionDenied
        if decision not in ("publish", "discard"):
            raise Http404
        article, revision = self._pending(request, object_id, revision_id)
        # Editors decide; the change's author may withdraw it.
        own = revision.author_id == request.user.pk and decision == "discard"
        if not (self.has_publish_permission(request) or own):
            raise PermissionDenied
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        who = revision.author.get_username() if revision.author else "someone"
        try:
            if decision == "publish":
                pending_revision_publish(revision=revision, user=request.user)
                self.message_user(request, f"Published the change by {who}.", messages.SUCCESS)
            else:
                pending_revision_discard(revision=revision, user=request.user)
                done = "Withdrew your change" if own else f"Discarded the change by {who}"
                self.message_user(request, f"{done}; the live article is as it was.")
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_pending", args=[article.pk, revision.pk])
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
