import logging

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from js_asset import Media
from reversion.models import Version
from taggit.models import Tag
from taggit.utils import parse_tags

from editions.selectors import editions_of_user

from .admin_review import PendingReviewMixin
from .forms import ArticleAdminForm, ImageAdminForm, newsroom_time
from .images import image_save
from .models import EDITOR_ONLY_FIELDS, Article, Author, Correction, Image, Section
from .revisions import waiting_for_review
from .selectors import article_revision_diff
from .services import (
    article_preview_token,
    article_publish,
    article_return_to_draft,
    article_revision_restore,
    article_workflow_apply,
)

logger = logging.getLogger(__name__)

STORAGE_DOWN = (
    "The photo could not be stored: the media storage is not answering. Nothing was "
    "saved; upload the photo again in a minute."
)


class StorageErrorsAsFormErrors:
    """A media storage that fails while a form is saved (the bucket is down,
    the disk is full: an ``OSError`` from the storage) is a form error on
    ``storage_error_field``, not an error page: the save's transaction is
    rolled back and the form is shown again with what the editor typed."""

    storage_error_field = "file"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError:
            if request.method != "POST":
                raise
            logger.exception("media storage failed while saving %s", self.model.__name__)
            request.media_storage_failed = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not getattr(request, "media_storage_failed", False):
            return form
        field = self.storage_error_field

        class StorageFailed(form):
            def clean(self):
                cleaned_data = super().clean()
                self.add_error(field, STORAGE_DOWN)
                return cleaned_data

        return StorageFailed


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "slug"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_search_results(self, request, queryset, search_term):
        # Chosen in a form (autocomplete): the sections of the user's desks.
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(edition__in=editions_of_user(request.user))
        return super().get_search_results(request, queryset, search_term)


def image_thumbnail(image, width=160):
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" class="np-thumb">',
        image.thumbnail_url,
        image.alt_text,
        width,
    )


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Authors' pages. Every user has one (made with the user), so there is
    nothing to add or delete here; the name is the user's."""

    list_display = ["__str__", "role", "slug"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "slug", "role"]
    list_select_related = ["user"]
    fields = ["user", "slug", "role", "photo"]
    readonly_fields = ["user"]
    autocomplete_fields = ["photo"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Image)
class ImageAdmin(StorageErrorsAsFormErrors, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit"]
    readonly_fields = ["thumbnail", "focal_point", "width", "height"]
    fieldsets = [
        (None, {"fields": ["file", "alt_text", "caption", "credit", ("width", "height")]}),
        (
            "Focal point",
            {
                "fields": ["focal_point", ("focal_x", "focal_y")],
                "description": "Crops of the photo (the cards on the home page) keep this "
                "point in frame. Click on the photo, or type the position.",
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-focal-point.js"]

    def save_model(self, request, obj, form, change):
        image_save(image=obj)

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        return image_thumbnail(obj, width=120)

    @admin.display(description="Photo")
    def focal_point(self, obj):
        if obj is None or not obj.file:
            return "Save the photo first, then click on it here."
        # A mid-sized rendition: the original may be tens of megabytes.
        made = obj.renditions()
        preview = next((r for r in made if r.width >= 640), made[-1] if made else obj.largest)
        return format_html(
            '<div class="np-focal" data-focal-picker>'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="np-focal__marker" hidden></span></div>',
            preview.url,
            obj.alt_text,
            preview.width,
            preview.height,
        )


class QuickFilter(admin.SimpleListFilter):
    """The newsroom's everyday views of the article list."""

    title = "quick view"
    parameter_name = "view"

    def lookups(self, request, model_admin):
        return [
            ("mine", "My drafts"),
            ("review", "Waiting for review"),
            ("scheduled", "Scheduled"),
            ("today", "Published today"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case "mine":
                return queryset.filter(status=Article.Status.DRAFT, authors=request.user)
            case "review":  # and published ones with a change waiting (issue 14)
                return queryset.filter(Q(status=Article.Status.IN_REVIEW) | waiting_for_review())
            case "scheduled":
                return queryset.scheduled()
            case "today":
                return queryset.published().filter(publication_date=timezone.localdate(now))
        return queryset


class SectionListFilter(admin.RelatedFieldListFilter):
    """Sections named with their parent, read in one query."""

    def field_choices(self, field, request, model_admin):
        return [(section.pk, str(section)) for section in Section.objects.select_related("parent")]


class CorrectionInline(admin.StackedInline):
    """Corrections are added by editors and shown under the article's text."""

    model = Correction
    extra = 0
    fields = ["created_at", "text"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("articles.publish_article")

    def has_delete_permission(self, request, obj=None):
        return False  # a correction is part of the public record


class ArticleAdmin(StorageErrorsAsFormErrors, admin.ModelAdmin):
    form = ArticleAdminForm
    storage_error_field = "new_image"
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "source",
        "is_breaking",
        "is_top_story",
    ]
    list_filter = [
        QuickFilter,
        "status",
        ("section", SectionListFilter),
        "source",
        "is_breaking",
        "is_top_story",
    ]
    list_select_related = ["section__parent", "source"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "lead", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "secondary_sections", "source", "main_image", "authors"]
    actions = ["publish_now", "send_back_to_draft"]
    inlines = [CorrectionInline]
    save_on_top = True
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-image-chooser.js"]

    fieldsets = [
        (None, {"fields": ["headline", "slug", "lead", "body"]}),
        (
            "Placement",
            {
                "fields": [
                    "dateline_place",
                    "section",
                    "secondary_sections",
                    "tags",
                    "new_tags",
                ]
            },
        ),
        (
            "Main image",
            {
                "fields": [
                    "main_image",
                    "main_image_preview",
                    "new_image",
                    "new_image_alt",
                    "new_image_caption",
                    "new_image_credit",
                ]
            },
        ),
        ("Credits", {"fields": ["authors", "source", "via_agencies"]}),
        (
            "Publication",
            {
                "fields": [
                    "workflow",
                    "status",
                    *EDITOR_ONLY_FIELDS,
                    "preview_link",
                    "lock_version",
                ]
            },
        ),
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        readonly = ["main_image_preview", "workflow", "preview_link"]
        if not self.has_publish_permission(request):
            readonly += EDITOR_ONLY_FIELDS
            if obj is not None and obj.status not in (
                Article.Status.DRAFT,
                Article.Status.IN_REVIEW,
            ):
                readonly.append("status")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = self.has_publish_permission(request)
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return forms.ModelMultipleChoiceField(
                queryset=Tag.objects.all(),
                required=False,
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
                help_text="Start typing to find existing tags.",
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "main_image":
            # Picked up by admin-image-chooser.js: thumbnails in the results
            # and a live preview of the choice.
            formfield.widget.widget.attrs["data-image-chooser"] = ""
        return formfield

    @admin.display(description="Current image")
    def main_image_preview(self, obj):
        return image_thumbnail(obj.main_image if obj else None, width=240)

    @admin.display(description="Workflow")
    def workflow(self, obj):
        if obj is None or obj.pk is None:
            return "New article"
        if obj.is_scheduled:
            state = "Scheduled for " + newsroom_time(obj.published_at)
        else:
            state = obj.get_status_display()
        who = obj.last_changed_by.get_username() if obj.last_changed_by else "—"
        when = newsroom_time(obj.updated_at)
        return f"{state} · last changed by {who} on {when}"

    def view_on_site(self, obj):
        """The public page once readers can see it, the preview until then (a
        draft may have no publication time, so no public address yet)."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("articles:preview", args=[article_preview_token(article=obj)])

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save the article first."
        url = reverse("articles:preview", args=[article_preview_token(article=obj)])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview as readers will see it</a> '
            "(a link for newsroom staff, valid for {} hours)",
            url,
            settings.ARTICLE_PREVIEW_HOURS,
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor loads its modules through an inline import map; our
        # CSP allows inline scripts only with this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Every save through the admin keeps a revision, with its tags and
        # secondary sections (saved later in the same request).
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("new_image")
        if upload:
            obj.main_image = image_save(
                image=Image(
                    file=upload,
                    alt_text=form.cleaned_data["new_image_alt"].strip(),
                    caption=form.cleaned_data["new_image_caption"],
                    credit=form.cleaned_data["new_image_credit"],
                )
            )
        # Through the workflow step the form's status asks for.
        article_workflow_apply(article=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if new_tags := parse_tags(form.cleaned_data.get("new_tags", "")):
            article.tags.add(*new_tags)
        if not change and not article.authors.exists():
            article.authors.add(request.user)

    def save_formset(self, request, form, formset, change):
        for correction in formset.save(commit=False):
            correction.created_by = correction.created_by or request.user
            correction.save()
        formset.save_m2m()

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published, refused = 0, []
        for article in queryset.exclude(status=Article.Status.WITHDRAWN):
            try:
                article_publish(article=article, user=request.user, immediately=True)
            except ValidationError as error:
                refused.append(f"{article}: {' '.join(error.messages)}")
                continue
            published += 1
        self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not published: {reason}", messages.ERROR)

    @admin.action(description="Send back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.DRAFT):
            article_return_to_draft(article=article, user=request.user)
            count += 1
        self.message_user(request, f"Sent {count} article(s) back to draft.", messages.SUCCESS)

    # History: revisions, status changes, compare and restore.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/restore/<int:version_id>/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        extra = {}
        if article is not None:
            extra = {
                "revisions": Version.objects.get_for_object(article).select_related(
                    "revision__user"
                ),
                "status_changes": article.status_changes.select_related("changed_by"),
                "can_restore": self.has_publish_permission(request),
            }
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def compare_view(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article)
        try:
            older = versions.get(pk=int(request.GET.get("older", "")))
            newer = versions.get(pk=int(request.GET.get("newer", "")))
        except (ValueError, Version.DoesNotExist):
            raise Http404("Choose two revisions of this article to compare.") from None
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare revisions: {article}",
            "opts": self.opts,
            "original": article,
            "older": older,
            "newer": newer,
            "changes": article_revision_diff(older=older, newer=newer),
            "can_restore": self.has_publish_permission(request),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST" or not self.has_publish_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        article_revision_restore(article=article, version=version, user=request.user)
        self.message_user(
            request,
            "Restored the revision of "
            + newsroom_time(version.revision.date_created)
            + " as a new revision.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


# Changes to published copy go through review (issue 14).
@admin.register(Article)
class ArticleReviewAdmin(PendingReviewMixin, ArticleAdmin):
    """The article admin, Journalists' changes to published copy kept for review."""
