import re

from django import forms

from .validators import validate_image_upload


class SearchForm(forms.Form):
    """The search box: turns empty, overlong and wordless queries into a
    message for the reader instead of an error page."""

    q = forms.CharField(
        label="Search the news",
        max_length=200,
        widget=forms.SearchInput,
        error_messages={
            "required": "Type a word or two to search for.",
            "max_length": "That is too long to search for: use at most %(limit_value)d characters.",
            "null_characters_not_allowed": "The search contains characters that cannot be typed.",
        },
    )

    def clean_q(self):
        q = self.cleaned_data["q"]
        if not re.search(r"\w", q):
            raise forms.ValidationError("Search for words: punctuation alone finds nothing.")
        return q


class ImageUploadField(forms.ImageField):
    """An image upload the newsroom accepts: the size, format and pixel-count
    checks run first (Django's own check would open a decompression bomb and
    answer with a vaguer message), then the whole image is decoded once."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image_upload(data, decode=True)
        return super().to_python(data)
