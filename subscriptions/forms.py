from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .models import Subscriber
from .selectors import section_choices

# What the form tells the reader they agree to, by version, in English; the
# reader sees (and the subscriber keeps) it in the edition's language, from
# the translations. A version, once shown, is never changed, nor are its
# translations: a new wording, in any language, is a new version.
# Subscribers keep the exact text they were shown (consent_text_shown).
CONSENT_TEXTS = {
    "2026-11": gettext_noop(
        "We will email you the news you choose, and nothing else. We keep your "
        "address, your choices and the time and network address of your request "
        "and confirmation, as proof of your consent. Every mail has a link to "
        "unsubscribe at once."
    ),
}
CONSENT_VERSION = "2026-11"


def consent_text_shown(*, version: str, language: str) -> str:
    """The consent text of ``version`` as a reader of ``language`` sees it."""
    with translation.override(language):
        return gettext(CONSENT_TEXTS[version])


class SectionsField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)


class PreferencesForm(forms.Form):
    """A subscriber's choices, among the sections of ``edition`` (a code:
    the subscriber's, or the page's)."""

    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    sections = SectionsField(
        label=_("Sections"), help_text=_("Tick none for all. A section includes its sub-sections.")
    )

    def __init__(self, *args, edition: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["sections"].choices = section_choices(edition=edition)


class SubscribeForm(PreferencesForm):
    """The "Subscribe to us" form, in the footer of every page and at
    /subscribe/, for the page's edition. ``website`` is a honeypot: people
    never see it, bots fill it."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    website = forms.CharField(label=_("Leave this empty"), required=False)
    consent = forms.ChoiceField(
        choices=[(version, version) for version in CONSENT_TEXTS],
        initial=CONSENT_VERSION,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("This form is out of date: please reload the page."),
            "invalid_choice": _("This form is out of date: please reload the page."),
        },
    )
    field_order = ["email", "frequency", "sections"]

    @property
    def consent_text(self):
        """The text the form shows, in the edition's language."""
        return consent_text_shown(version=CONSENT_VERSION, language=self.edition)

    @property
    def consent_given(self):
        """The text of the version posted, as the reader was shown it."""
        return consent_text_shown(version=self.cleaned_data["consent"], language=self.edition)

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
                    _("Please use a permanent address: we do not send to throwaway mailboxes.")
                )
        return email
