"""The agency's names in the language of the page or dateline: the default
names are in the catalogs (locale/); a name set in AGENCY_NAME or
AGENCY_SHORT_NAME that the catalogs do not have stays as it is set."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

DEFAULT_NAMES = (gettext_noop("National News Agency"), gettext_noop("NNA"))


def agency_name() -> str:
    return gettext(settings.AGENCY_NAME)


def agency_short_name() -> str:
    return gettext(settings.AGENCY_SHORT_NAME)


agency_name_lazy = lazy(agency_name, str)
agency_short_name_lazy = lazy(agency_short_name, str)
