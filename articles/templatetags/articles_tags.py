import json

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe

from articles.models import Article, Section

register = template.Library()

SECTION_MENU_KEY = "articles:section-menu"
# What could close the <script> element or open a comment, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("includes/section_menu.html")
def section_menu():
    """The main menu's top-level sections; cached, dropped when a section changes."""
    return {"sections": cache.get_or_set(SECTION_MENU_KEY, _top_sections, 3600)}


def _top_sections():
    return list(Section.objects.filter(parent=None).only("name", "slug"))


@register.inclusion_tag("includes/recent_news.html")
def recent_news(count=10):
    """The 'Recent news' block: the latest headlines with their times."""
    return {
        "articles": Article.objects.published()
        .select_related("section")
        .only("headline", "slug", "publication_date", "published_at", "section__name")[:count]
    }


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current listing's address on page `number`, other parameters kept."""
    params = context["request"].GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


@register.filter
def jsonld(value):
    """Serialise for a <script type="application/ld+json"> block, escaping
    the characters that could end the script element."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308
