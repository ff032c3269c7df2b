import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .admin_form import article_form_setup
from .models import COPY_FIELDS, COPY_M2M_FIELDS, EDITOR_ONLY_FIELDS, Article, Image
from .validators import validate_image_upload


class SearchForm(forms.Form):
    """The search box: turns empty, overlong and wordless queries into a
    message for the reader instead of an error page."""

    q = forms.CharField(
        label=_("Search the news"),
        max_length=200,
        widget=forms.SearchInput,
        error_messages={
            "required": _("Type a word or two to search for."),
            "max_length": _(
                "That is too long to search for: use at most %(limit_value)d characters."
            ),
            "null_characters_not_allowed": _(
                "The search contains characters that cannot be typed."
            ),
        },
    )

    def clean_q(self):
        q = self.cleaned_data["q"]
        if not re.search(r"\w", q):
            raise forms.ValidationError(_("Search for words: punctuation alone finds nothing."))
        return q


class ImageUploadField(forms.ImageField):
    """An image upload the newsroom accepts: the size, format and pixel-count
    checks run first (Django's own check would open a decompression bomb and
    answer with a vaguer message), then the whole image is decoded once."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data, decode=True)
        return super().to_python(data)


def newsroom_time(moment):
    """A moment as the newsroom reads it: '23 March 2026, 14:54', local time."""
    return date_format(timezone.localtime(moment), "j F Y, H:i")


FOCAL_WIDGET = forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01})


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        field_classes = {"file": ImageUploadField}
        widgets = {"focal_x": FOCAL_WIDGET, "focal_y": FOCAL_WIDGET}


class ArticleAdminForm(forms.ModelForm):
    new_tags = forms.CharField(
        required=False,
        label="New tags",
        help_text="Tags not in the list yet, separated by commas.",
    )
    new_image = ImageUploadField(
        required=False,
        label="Upload a new main image",
        help_text="Replaces the main image chosen above. JPEG, PNG, WebP or GIF.",
    )
    new_image_alt = forms.CharField(required=False, max_length=250, label="Alt text")
    new_image_caption = forms.CharField(required=False, max_length=500, label="Caption")
    new_image_credit = forms.CharField(required=False, max_length=200, label="Credit")

    # The version the editor started from: a save from an older one is
    # refused (optimistic locking). Required, so a crafted POST cannot skip it.
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    up_to_date = forms.BooleanField(
        required=False,
        label="Up to date with the original",
        help_text="Tick when this translation has been brought up to date with the "
        "original's latest version.",
    )

    #: Set by ArticleAdmin.get_form for the requesting user.
    can_publish = False
    #: The editions the requesting user works on (ArticleAdmin.get_form).
    desks = None

    class Meta:
        model = Article
        fields = [*COPY_FIELDS, *COPY_M2M_FIELDS, "tags", "status", *EDITOR_ONLY_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.version if self.instance.pk else 0
        if self.desks and not self.instance.pk and self.instance.edition_id not in self.desks:
            # A new article is in the user's (first) desk unless they choose.
            self.instance.edition_id = self.desks[0]
        original = self.fields.get("translation_of")
        if original is not None and self.instance.translation_of_id:
            # The original may be on a desk the user is not on: keep it.
            original.queryset = Article.objects.filter(
                Q(pk__in=original.queryset.values("pk")) | Q(pk=self.instance.translation_of_id)
            )
        article_form_setup(self)
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
        if (
            cleaned.get("status") == Article.Status.WITHDRAWN
            and not cleaned.get("withdrawn_reason", "").strip()
        ):
            self.add_error("withdrawn_reason", "Say why the article is taken down.")
        self._check_desk(cleaned)
        self._check_version(cleaned.get("lock_version"))
        return cleaned

    def _check_desk(self, cleaned):
        edition = cleaned["edition"].pk if cleaned.get("edition") else self.instance.edition_id
        others = [s for s in cleaned.get("secondary_sections") or [] if s.edition_id != edition]
        if others:
            self.add_error("secondary_sections", "Choose sections of the article's edition.")
        original = cleaned.get("translation_of")
        if original is None:
            return
        if original.translation_of_id:
            self.add_error("translation_of", "Choose the original, not another translation of it.")
        elif original.translations.filter(edition=edition).exclude(pk=self.instance.pk).exists():
            self.add_error("translation_of", "That article has a translation in this edition.")

    def _check_version(self, started_from):
        if not self.instance.pk or started_from is None:
            return
        # The admin saves inside a transaction: the row stays locked until the
        # save commits, so two saves at once are checked one after the other.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_changed_by")
            .only("version", "updated_at", "last_changed_by__username")
            .get(pk=self.instance.pk)
        )
        if current.version == started_from:
            return
        who = current.last_changed_by.get_username() if current.last_changed_by else "someone"
        when = newsroom_time(current.updated_at)
        # Saving again after reading this deliberately replaces their version.
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = current.version
        raise ValidationError(
            "%(who)s saved this article at %(when)s while you were editing it. Your text "
            "is still in the form below and has not been saved: check their changes "
            "(History) and save again to replace them with yours.",
            code="edit_conflict",
            params={"who": who, "when": when},
        )
