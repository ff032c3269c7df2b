import json

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article, Section
from articles.pagecache import fragment

register = template.Library()

# What could close the <script> element or open a comment, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def section_menu():
    """The menu's top-level sections: rendered once, kept until a section changes."""
    return fragment("section-menu", ["sections"], _section_menu)


def _section_menu():
    sections = Section.objects.filter(parent=None).only("name", "slug")
    return render_to_string("includes/section_menu.html", {"sections": sections})


@register.simple_tag
def recent_news():
    """The 'Recent news' block: the latest headlines with their times, kept
    until the latest news changes."""
    return fragment("recent-news", ["latest"], _recent_news)


def _recent_news():
    articles = (
        Article.objects.published()
        .select_related("section")
        .only("headline", "slug", "publication_date", "published_at", "section__name")[:10]
    )
    return render_to_string("includes/recent_news.html", {"articles": articles})


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
