"""Dates and times as the edition being shown writes them.

The language's formats (newsportal/formats/<lang>, else Django's) give
"2 December 2026, 14:54", "2 декабря 2026, 14:54", "2 снежня 2026, 14:54";
an edition's own ``date_format``/``datetime_format``, when set, win.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as dateformat
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from editions.selectors import edition_current

# The month and weekday names the formats' "F", "E" and "l" print, in this
# project's catalogs (locale/): Django's own Belarusian catalog writes the
# classical orthography ("сьнежня", "Чацьвер"), "студзеня" for January's
# nominative and "сакавік" for March's genitive. Ours win (LOCALE_PATHS).
MONTHS = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)
MONTHS_GENITIVE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
WEEKDAYS = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)

# The edition's own format, where it has one, for these kinds.
EDITION_FORMATS = {"DATE_FORMAT": "date_format", "DATETIME_FORMAT": "datetime_format"}


def format_of(kind: str) -> str:
    """The format of ``kind`` ("DATE_FORMAT", "DATETIME_FORMAT",
    "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT") for the active language: the
    edition's own if it sets one, else the language's."""
    field = EDITION_FORMATS.get(kind)
    own = getattr(edition_current(), field) if field else ""
    return own or get_format(kind)


def write(value, kind: str) -> str:
    """``value`` (a date, or a moment shown in the site's time zone) in the
    format of ``kind``."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat(value, format_of(kind))


def date_line(value) -> str:
    """ "2 December 2026", "2 декабря 2026"."""
    return write(value, "DATE_FORMAT")


def datetime_line(value) -> str:
    """ "2 December 2026, 14:54", "2 декабря 2026, 14:54"."""
    return write(value, "DATETIME_FORMAT")


def weekday_line(value) -> str:
    """ "Wednesday, 2 December 2026", "Среда, 2 декабря 2026": a day heading."""
    if not value:
        return ""
    return capfirst(f"{dateformat(value, 'l')}, {date_line(value)}")


def with_day(moment) -> str:
    """A time with its day, for a time shown outside a day heading: "Today,
    20:38", "Yesterday, 20:38", "3 November, 07:48" ("3 November 2025,
    07:48" in another year), in the site's time zone and the edition's language."""
    if not moment:
        return ""
    moment = timezone.localtime(moment)
    today = timezone.localdate()
    day = moment.date()
    if day == today:
        label = gettext("Today")
    elif day == today - datetime.timedelta(days=1):
        label = gettext("Yesterday")
    elif day.year == today.year:
        label = write(day, "MONTH_DAY_FORMAT")
    else:
        label = date_line(day)
    return f"{label}, {moment:%H:%M}"
