"""Columns of the admin's article list, narrow enough for the headline to
have the room, and times written as the site writes them."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from .forms import newsroom_time


@admin.display(description="Published", ordering="published_at")
def when(article):
    """'2 December 2026, 20:29' (24-hour, local time), "scheduled" if ahead."""
    if article.published_at is None:
        return "—"
    if article.is_scheduled:
        return "Scheduled for " + newsroom_time(article.published_at)
    return newsroom_time(article.published_at)


@admin.display(description="Status", ordering="status")
def status_and_flags(article):
    """The status, and under it breaking, top story and the source agency."""
    items = []
    if article.is_breaking:
        items.append("Breaking")
    if article.is_top_story:
        items.append("Top story")
    if article.source_id:
        items.append(f"From {article.source}")
    if not items:
        return article.get_status_display()
    return format_html(
        '{}<br><small class="np-flags">{}</small>',
        article.get_status_display(),
        format_html_join(" · ", "{}", ((item,) for item in items)),
    )


def edition_and_translations(article, translations):
    """The edition's code, and under it the translations (or the original)."""
    if translations in ("", "—", None):
        return article.edition_id
    return format_html('{}<br><small class="np-flags">{}</small>', article.edition_id, translations)
