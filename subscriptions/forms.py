from django import forms
from django.conf import settings

from .models import Subscriber
from .selectors import section_choices

# What the form tells the reader they agree to, by version. A version, once
# shown, is never changed: subscribers keep the exact text they agreed to.
CONSENT_TEXTS = {
    "2026-11": (
        "We will email you the news you choose, and nothing else. We keep your "
        "address, your choices and the time and network address of your request "
        "and confirmation, as proof of your consent. Every mail has a link to "
        "unsubscribe at once."
    ),
}
CONSENT_VERSION = "2026-11"


class SectionsField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    sections = SectionsField(
        label="Sections", help_text="Tick none for all. A section includes its sub-sections."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = section_choices()


class SubscribeForm(PreferencesForm):
    """The "Subscribe to us" form, in the footer of every page and at
    /subscribe/. ``website`` is a honeypot: people never see it, bots fill it."""

    email = forms.EmailField(label="Email", max_length=254)
    website = forms.CharField(label="Leave this empty", required=False)
    consent = forms.ChoiceField(
        choices=[(version, version) for version in CONSENT_TEXTS],
        initial=CONSENT_VERSION,
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date: please reload the page.",
            "invalid_choice": "This form is out of date: please reload the page.",
        },
    )
    field_order = ["email", "frequency", "sections"]

    @property
    def consent_text(self):
        return CONSENT_TEXTS[CONSENT_VERSION]

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))

    def clean_email(self):
        # One reader, one address: case and surrounding spaces do not count.
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rpartition("@")[2]
        for refused in settings.SUBSCRIPTIONS_REFUSED_DOMAINS:
            if domain == refused or domain.endswith(f".{refused}"):
                raise forms.ValidationError(
                    "Please use a permanent address: we do not send to throwaway mailboxes."
                )
        return email
