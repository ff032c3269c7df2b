from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from js_asset import Media
from taggit.models import Tag
from taggit.utils import parse_tags

from .models import Article, Image, Section
from .validators import validate_image_upload


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "slug"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


def image_thumbnail(image, width=160):
    if not image or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" class="np-thumb">',
        image.thumbnail_url,
        image.alt_text,
        width,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit"]
    readonly_fields = ["thumbnail", "width", "height"]
    fields = ["file", "thumbnail", "alt_text", "caption", "credit", "width", "height"]

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        return image_thumbnail(obj, width=120)


class ArticleAdminForm(forms.ModelForm):
    new_tags = forms.CharField(
        required=False,
        label="New tags",
        help_text="Tags not in the list yet, separated by commas.",
    )
    new_image = forms.ImageField(
        required=False,
        label="Upload a new main image",
        validators=[validate_image_upload],
        help_text="Replaces the main image chosen above. JPEG, PNG, WebP or GIF.",
    )
    new_image_alt = forms.CharField(required=False, max_length=250, label="Alt text")
    new_image_caption = forms.CharField(required=False, max_length=500, label="Caption")
    new_image_credit = forms.CharField(required=False, max_length=200, label="Credit")

    #: Set by ArticleAdmin.get_form for the requesting user.
    can_publish = False

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "lead",
            "body",
            "dateline_place",
            "section",
            "secondary_sections",
            "tags",
            "main_image",
            "authors",
            "source",
            "status",
            "published_at",
            "is_breaking",
            "is_top_story",
            "released_to_partners",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            # Server-side: a crafted POST with another status fails validation.
            status.choices = [
                (value, label)
                for value, label in Article.Status.choices
                if value in (Article.Status.DRAFT, Article.Status.IN_REVIEW)
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_image") and not cleaned.get("new_image_alt", "").strip():
            self.add_error("new_image_alt", "Describe the new image for readers who cannot see it.")
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "section",
        "status",
        "published_at",
        "source",
        "is_breaking",
        "is_top_story",
    ]
    list_filter = ["status", "section", "source", "is_breaking", "is_top_story"]
    list_select_related = ["section__parent", "source"]
    date_hierarchy = "published_at"
    search_fields = ["headline", "lead", "slug"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "secondary_sections", "source", "main_image", "authors"]
    actions = ["publish_now", "send_back_to_draft"]
    save_on_top = True

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-image-chooser.js"]

    fieldsets = [
        (None, {"fields": ["headline", "slug", "lead", "body"]}),
        (
            "Placement",
            {"fields": ["dateline_place", "section", "secondary_sections", "tags", "new_tags"]},
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
        ("Credits", {"fields": ["authors", "source"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_breaking",
                    "is_top_story",
                    "released_to_partners",
                ]
            },
        ),
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        readonly = ["main_image_preview"]
        if not self.has_publish_permission(request):
            readonly += ["published_at", "is_breaking", "is_top_story", "released_to_partners"]
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

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor loads its modules through an inline import map; our
        # CSP allows inline scripts only with this request's nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("new_image")
        if upload:
            obj.main_image = Image.objects.create(
                file=upload,
                alt_text=form.cleaned_data["new_image_alt"].strip(),
                caption=form.cleaned_data["new_image_caption"],
                credit=form.cleaned_data["new_image_credit"],
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if new_tags := parse_tags(form.cleaned_data.get("new_tags", "")):
            article.tags.add(*new_tags)
        if not change and not article.authors.exists():
            article.authors.add(request.user)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        published, refused = 0, []
        now = timezone.now()
        for article in queryset.exclude(status=Article.Status.WITHDRAWN):
            article.status = Article.Status.PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            try:
                article.clean()
            except ValidationError as error:
                refused.append(f"{article}: {' '.join(error.messages)}")
                continue
            article.save(update_fields=["status", "published_at", "updated_at"])
            published += 1
        self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, f"Not published: {reason}", messages.ERROR)

    @admin.action(description="Send back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        count = queryset.update(status=Article.Status.DRAFT, updated_at=timezone.now())
        self.message_user(request, f"Sent {count} article(s) back to draft.", messages.SUCCESS)
