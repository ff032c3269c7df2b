"""The photo's admin page: which articles use it, as links to their forms."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .forms import newsroom_time

#: The most articles listed; the rest are counted.
USED_IN_LIMIT = 50


@admin.display(description="Added", ordering="created_at")
def added(image):
    return newsroom_time(image.created_at)


@admin.display(description="Used in")
def used_in(model_admin, image):
    """Set as ``ImageAdmin.used_in``: the articles with this as main image,
    newest first, each with its status and time."""
    if image is None or image.pk is None:
        return "Not used yet."
    articles = list(
        image.articles.order_by("-published_at", "-pk").only(
            "pk", "headline", "status", "published_at"
        )[: USED_IN_LIMIT + 1]
    )
    if not articles:
        return "No article uses this photo."
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> <span class="np-used-in__meta">{} · {}</span></li>',
        (
            (
                reverse("admin:articles_article_change", args=[article.pk]),
                article.headline,
                article.get_status_display(),
                newsroom_time(article.published_at) if article.published_at else "no time yet",
            )
            for article in articles[:USED_IN_LIMIT]
        ),
    )
    more = ""
    if len(articles) > USED_IN_LIMIT:
        total = image.articles.count()
        more = format_html("<p>and {} more.</p>", total - USED_IN_LIMIT)
    return format_html('<ul class="np-used-in">{}</ul>{}', items, more)
