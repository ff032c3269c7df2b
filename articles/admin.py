import logging

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from js_asset import Media
from reversion.models import Version
from taggit.models import Tag
from taggit.utils import parse_tags

from editions.models import Edition
from editions.selectors import editions_all, editions_of_request

from . import admin_lists, admin_photos, admin_tags  # noqa: F401 (admin_tags registers)
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
    article_translation_start,
    article_workflow_apply,
)

logger = logging.getLogger(__name__)


class DeskOnly:
    """What a user of the newsroom sees and changes: their desks' objects
    only (server-side; the model has an ``edition``). Another desk's object
    is not there: its change, history and delete pages answer 404."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(edition__in=editions_of_request(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with that key on your desks.")
        return obj


class EditionListFilter(admin.SimpleListFilter):
    """The user's desks (no query: the editions are kept per process)."""

    title = "edition"
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        desks = editions_of_request(request)
        return [(e.code, e.name) for e in editions_all() if e.code in desks]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(edition=self.value())
        return queryset


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
class SectionAdmin(DeskOnly, admin.ModelAdmin):
    list_display = ["name", "parent", "edition_code", "position", "slug"]
    list_filter = [EditionListFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    @admin.display(description="Edition", ordering="edition")
    def edition_code(self, obj):
        return obj.edition_id

    def get_changeform_initial_data(self, request):
        return {
            "edition": editions_of_request(request)[0],
            **super().get_changeform_initial_data(request),
        }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "edition":
            kwargs["queryset"] = Edition.objects.filter(code__in=editions_of_request(request))
        elif db_field.name == "parent":
            kwargs["queryset"] = Section.objects.filter(edition__in=editions_of_request(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    list_display = ["thumbnail", "__str__", "credit", "width", "height", admin_photos.added]
    search_fields = ["caption", "alt_text", "credit"]
    readonly_fields = ["thumbnail", "focal_point", "width", "height", "used_in"]
    used_in = admin_photos.used_in
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
        ("Articles", {"fields": ["used_in"]}),
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
        sections = Section.objects.filter(edition__in=editions_of_request(request)).select_related(
            "parent"
        )
        several = len(editions_of_request(request)) > 1
        return [
            (section.pk, f"{section} ({section.edition_id})" if several else str(section))
            for section in sections
        ]


class ArticleChangeList(ChangeList):
    """The list with each article's translations (and its original's
    version, to tell a translation left behind), read with the page."""

    def get_queryset(self, request, exclude_parameters=None):
        translations = Article.objects.only(
            "pk", "edition_id", "translation_of_id", "translated_version"
        ).order_by("edition_id")
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .annotate(
                original_version=F("translation_of__version"),
                original_edition=F("translation_of__edition"),
            )
            .prefetch_related(Prefetch("translations", queryset=translations))
        )

    def get_results(self, request):
        super().get_results(request)
        for article in self.result_list:
            article.desks = editions_of_request(request)


def article_link(pk, label, linked=True):
    """``label`` linking to the article's change form (plain text for an
    article of a desk the user is not on: its form would be a 404)."""
    if not linked:
        return label
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[pk]), label
    )


ORIGINAL_UPDATED = "original updated"


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


class ArticleAdmin(DeskOnly, StorageErrorsAsFormErrors, admin.ModelAdmin):
    form = ArticleAdminForm
    storage_error_field = "new_image"
    # Few, narrow columns beside a readable headline (articles/admin_lists.py).
    list_display = [
        "headline",
        "edition_column",
        "section",
        admin_lists.status_and_flags,
        admin_lists.when,
    ]
    list_filter = [
        QuickFilter,
        EditionListFilter,
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
    autocomplete_fields = [
        "section",
        "secondary_sections",
        "source",
        "main_image",
        "authors",
        "translation_of",
    ]
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
                    "edition",
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
            "Translations",
            {"fields": ["translation_of", "translation_state", "up_to_date", "translations"]},
        ),
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
        readonly += ["translation_state", "translations"]
        if len(editions_of_request(request)) < 2:
            readonly.append("edition")
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
        form.desks = editions_of_request(request)
        if obj is not None:
            # For the translation panels, which are given the article only.
            obj.desks = form.desks
            obj.can_translate = self.has_add_permission(request)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.translation_of_id is None:
            # Only a translation is brought up to date with its original.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "up_to_date"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        desks = editions_of_request(request)
        if db_field.name == "edition":
            kwargs["queryset"] = Edition.objects.filter(code__in=desks)
        elif db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(edition__in=desks)
        elif db_field.name == "translation_of":
            kwargs["queryset"] = Article.objects.filter(edition__in=desks)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "secondary_sections":
            kwargs["queryset"] = Section.objects.filter(edition__in=editions_of_request(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
        elif db_field.name == "translation_of":
            # The original is chosen here, not written or deleted from here.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = False
            wrapper.can_delete_related = False
        return formfield

    @admin.display(description="Edition", ordering="edition")
    def edition_column(self, obj):
        return admin_lists.edition_and_translations(obj, self.translations_list(obj))

    @admin.display(description="Translations")
    def translations_list(self, obj):
        """The editions it is translated into, or (for a translation) its
        original's, each flagged when the original changed after it."""
        desks = getattr(obj, "desks", [])
        if obj.translation_of_id:
            stale = (obj.original_version or 0) > (obj.translated_version or 0)
            return format_html(
                "of {}{}",
                article_link(
                    obj.translation_of_id, obj.original_edition, obj.original_edition in desks
                ),
                f" ({ORIGINAL_UPDATED})" if stale else "",
            )
        return (
            format_html_join(
                ", ",
                "{}{}",
                (
                    (
                        article_link(t.pk, t.edition_id, t.edition_id in desks),
                        f" ({ORIGINAL_UPDATED})"
                        if (t.translated_version or 0) < obj.version
                        else "",
                    )
                    for t in obj.translations.all()
                ),
            )
            or "—"
        )

    @admin.display(description="Original")
    def translation_state(self, obj):
        if obj is None or obj.translation_of_id is None:
            return "This article is not a translation."
        original = obj.translation_of
        if original.version > (obj.translated_version or 0):
            state = (
                "The original has changed since this translation was last brought up to date "
                "with it: check its History, then tick “Up to date with the original”."
            )
        else:
            state = "Up to date with the original."
        desks = getattr(obj, "desks", [])
        return format_html(
            "{} ({}). {}",
            article_link(original.pk, original.headline, original.edition_id in desks),
            original.edition_id,
            state,
        )

    @admin.display(description="Translations of this article")
    def translations(self, obj):
        """The translation group's other articles, and a button to start a
        translation into each other edition of the user's desks."""
        if obj is None or obj.pk is None:
            return "Save the article first."
        root = obj.translation_of or obj
        desks = getattr(obj, "desks", [])
        group = [a for a in [root, *root.translations.all()] if a.pk != obj.pk]

        def label(article):
            if article.edition_id in desks:
                return article_link(article.pk, article.headline)
            # The original is what a translator works from; other desks'
            # translations are theirs.
            return article.headline if article.pk == root.pk else "on another desk"

        links = format_html_join(", ", "{} ({})", ((label(a), a.edition_id) for a in group))
        have = {obj.edition_id, *(a.edition_id for a in group)}
        buttons = format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" formnovalidate>'
            "Start a translation into {}</button>",
            (
                (reverse("admin:articles_article_translate", args=[obj.pk, e.code]), e.name)
                for e in editions_all()
                if e.code in desks and e.code not in have and getattr(obj, "can_translate", False)
            ),
        )
        if not buttons:
            return links or "None yet."
        return format_html("{}<p>{}</p>", links or "None yet.", buttons)

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
        original = obj.translation_of
        if original is not None and form.cleaned_data.get("up_to_date"):
            obj.translated_version = original.version
        elif "translation_of" in form.changed_data:
            obj.translated_version = original.version if original is not None else None
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
                "<path:object_id>/translate/<str:edition>/",
                self.admin_site.admin_view(self.translate_view),
                name="articles_article_translate",
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

    def translate_view(self, request, object_id, edition):
        """Start a translation of the article into another edition of the
        user's desks (or open the one that edition has already)."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        original = self.get_object(request, unquote(object_id))
        if edition not in editions_of_request(request):
            raise PermissionDenied
        if edition == original.edition_id:
            self.message_user(request, "A translation is in another edition.", messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[original.pk])
            )
        try:
            translation, created = article_translation_start(
                original=original, edition=edition, user=request.user
            )
        except ValueError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_change", args=[original.pk])
            )
        if created:
            message = f"Started the {edition} translation: a draft with the original's text."
        else:
            message = f"The {edition} edition has this article already: here it is."
        self.message_user(request, message, messages.SUCCESS if created else messages.WARNING)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[translation.pk]))


# Changes to published copy go through review (issue 14).
@admin.register(Article)
class ArticleReviewAdmin(PendingReviewMixin, ArticleAdmin):
    """The article admin, Journalists' changes to published copy kept for review."""
