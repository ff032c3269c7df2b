"""Columns of the admin's article list, narrow enough for the headline to
have the room, and times written as the site writes them."""

from django.contrib import admin
from django.utils.html import format_html_join

from .forms import newsroom_time


@admin.display(description="Published", ordering="published_at")
def when(article):
    """'2 December 2026, 20:29' (24-hour, local time), "scheduled" if ahead."""
    if article.published_at is None:
        return "—"
    if article.is_scheduled:
        return "Scheduled for " + newsroom_time(article.published_at)
    return newsroom_time(article.published_at)


@admin.display(description="Flags")
def flags(article):
    """Breaking, top story and the source agency, in one narrow column."""
    items = []
    if article.is_breaking:
        items.append("Breaking")
    if article.is_top_story:
        items.append("Top story")
    if article.source_id:
        items.append(f"From {article.source}")
    if not items:
        return "—"
    return format_html_join(" · ", "{}", ((item,) for item in items))
