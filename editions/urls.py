"""URL patterns under the current edition's prefix (``/ru/…``; none for the
main edition, or when editions are served by host), as ``i18n_patterns``
does for languages: the prefix follows the active language, which the
EditionMiddleware sets to the request's edition, so ``reverse()`` gives the
address in the edition being rendered."""

from django.conf import settings
from django.urls import URLResolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language

from .selectors import edition_current, edition_prefix


class EditionPrefixPattern(LocalePrefixPattern):
    def __init__(self):
        super().__init__(prefix_default_language=False)

    @property
    def language_prefix(self):
        # The main edition's addresses, known without asking the database.
        language = get_language()
        if language in (None, settings.LANGUAGE_CODE) or settings.EDITION_ROUTING == "host":
            return ""
        return edition_prefix(edition_current())


def edition_patterns(*urls):
    return [URLResolver(EditionPrefixPattern(), list(urls))]
