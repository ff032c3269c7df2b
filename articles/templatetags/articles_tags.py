import json
from urllib.parse import quote

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import dates
from articles.branding import SHARE_IMAGES
from articles.models import Article, Section
from articles.names import agency_name
from articles.pagecache import (
    EVERY_PAGE,
    fragment,
    fresh_seconds,
    kept,
    kept_shown,
    pages_show,
    part_name,
    row_name,
)
from articles.selectors import article_most_read
from editions.selectors import edition_current

register = template.Library()

# Share links: plain addresses of each service's own share page, so the
# page loads no third-party script and tells no one who read it.
SHARE_LINKS = [
    ("Telegram", "https://t.me/share/url?url={url}&text={title}"),
    ("VK", "https://vk.com/share.php?url={url}&title={title}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("X", "https://x.com/intent/post?url={url}&text={title}"),
    (gettext_lazy("Email"), "mailto:?subject={title}&body={url}"),
]

# What could close the <script> element or open a comment, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def section_menu(context):
    """The menu's top-level sections: rendered once, kept until a section changes."""
    return fragment("section-menu", ["sections"], _section_menu, request=context.get("request"))


def _section_menu():
    sections = Section.objects.filter(edition=edition_current(), parent=None).only("name", "slug")
    return render_to_string("includes/section_menu.html", {"sections": sections})


@register.simple_tag(takes_context=True)
def recent_news(context):
    """The 'Recent news' block: the latest headlines with their times, kept
    until the latest news changes."""
    # Its times say their day ("Yesterday, 20:38"): not kept past midnight.
    request = context.get("request")
    return fragment("recent-news", ["latest"], _recent_news, request=request, timeout=fresh_seconds)


def _recent_news():
    articles = (
        Article.objects.published()
        .in_edition(edition_current())
        .select_related("section")
        .only("edition", "headline", "slug", "publication_date", "published_at", "section__name")[
            :10
        ]
    )
    return render_to_string("includes/recent_news.html", {"articles": articles})


@register.filter
def with_day(moment):
    """ "Today, 20:38", "Yesterday, 20:38", "3 November, 07:48" (dates.with_day)."""
    return dates.with_day(moment)


@register.filter
def date_line(value):
    """ "2 December 2026" as the edition writes it (dates.date_line)."""
    return dates.date_line(value)


@register.filter
def datetime_line(value):
    """ "2 December 2026, 14:54" as the edition writes it."""
    return dates.datetime_line(value)


@register.filter
def weekday_line(value):
    """ "Wednesday, 2 December 2026": a day heading."""
    return dates.weekday_line(value)


@register.filter
def month_day(value):
    """ "2 December", "2 декабря"."""
    return dates.write(value, "MONTH_DAY_FORMAT")


@register.filter
def year_month(value):
    """ "December 2026", "Декабрь 2026"."""
    return dates.write(value, "YEAR_MONTH_FORMAT")


@register.simple_tag
def today_line():
    """Today's date in the header, in the edition's language."""
    return dates.weekday_line(timezone.localdate())


@register.simple_tag(takes_context=True)
def most_read(context):
    """The "Most read" block (selectors.article_most_read): kept no longer
    than a page may stay fresh (its order moves with every view, not with
    saves), and dropped with every page when one of its stories is
    withdrawn; a headline edit shows in it by then."""
    request = context.get("request")
    return fragment("most-read", [EVERY_PAGE], _most_read, request=request, timeout=fresh_seconds)


def _most_read():
    articles = article_most_read(edition=edition_current())
    return render_to_string("includes/most_read.html", {"articles": articles})


@register.simple_tag(takes_context=True)
def article_row(context, article, with_day=False):
    """An article's row in a listing, kept rendered per version (the view
    fetches a page's rows with its other fragments: pagecache.row_name).
    Under a day heading its time is bare ("20:38"); ``with_day`` (related
    news) says the day too, and is kept per local date."""

    def render():
        return render_to_string(
            "includes/article_row.html", {"article": article, "with_day": with_day}
        )

    request = context.get("request")
    keys = [f"article-{article.pk}", "sections"]  # its section's name
    name = row_name(article, with_day=with_day)
    return mark_safe(kept(name, keys, render, request=request))  # noqa: S308


class KeepNode(template.Node):
    def __init__(self, part, vary, nodelist):
        self.part, self.vary, self.nodelist = part, vary, nodelist

    def render(self, context):
        request, prefix = context.get("request"), context.get("keep_prefix")
        if request is None or prefix is None or context.get("is_preview"):
            return self.nodelist.render(context)
        name = part_name(prefix, self.part, *(v.resolve(context) for v in self.vary))

        def render():
            pages_show(request, context.get("keep_keys", ()))
            return self.nodelist.render(context)

        return kept_shown(request, name, render)


@register.tag
def keep(parser, token):
    """``{% keep "part" value… %}…{% endkeep %}``: this part of the page
    (one per ``value``s) kept rendered (pagecache.kept_shown) under the
    view's ``keep_prefix``, until anything it shows changes; what the view
    passes lazily (callables, querysets) is fetched only when the part is
    rendered. Rendered every time in a preview or when the view sets no
    prefix."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% keep %} takes the part's name, quoted, first")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.simple_tag(takes_context=True)
def share_links(context, article):
    """(service, address) pairs to share ``article`` by."""
    url = quote(context["request"].build_absolute_uri(article.get_absolute_url()), safe="")
    title = quote(article.headline, safe="")
    return [(name, link.format(url=url, title=title)) for name, link in SHARE_LINKS]


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current listing's address on page `number`, other parameters kept."""
    params = context["request"].GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


# The query parameters that make a listing another page; any other (tracking
# parameters, a stray ?page=1) is left out of its canonical address.
CANONICAL_PARAMETERS = ("q", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's one address for search engines and share cards: scheme,
    host and path, with its search words and page number (not page 1)."""
    request = context["request"]
    params = QueryDict(mutable=True)
    for name in CANONICAL_PARAMETERS:
        value = request.GET.get(name, "").strip()
        if value and not (name == "page" and value == "1"):
            params[name] = value
    query = f"?{params.urlencode()}" if params else ""
    return f"{request.scheme}://{request.get_host()}{request.path}{query}"


@register.simple_tag(takes_context=True)
def share_meta(context, *title, description="", type="website"):  # noqa: A002 (og:type)
    """The canonical link, Open Graph and Twitter card of a page that is not
    an article: its title from the words given (the agency's name if none),
    the agency's pictures and a ``summary`` card (no photo of its own)."""
    request = context["request"]
    wide, square = SHARE_IMAGES[0], SHARE_IMAGES[-1]
    return render_to_string(
        "includes/share_meta.html",
        {
            "url": canonical_url(context),
            "type": type,
            "site_name": agency_name(),
            "title": " ".join(str(word) for word in title if word) or agency_name(),
            "description": description
            or _("%(AGENCY_NAME)s: the latest national and world news.")
            % {"AGENCY_NAME": agency_name()},
            "image": request.build_absolute_uri(static(wide.path)),
            "image_width": wide.width,
            "image_height": wide.height,
            "square_image": request.build_absolute_uri(static(square.path)),
        },
    )


@register.filter
def jsonld(value):
    """Serialise for a <script type="application/ld+json"> block, escaping
    the characters that could end the script element."""
    return mark_safe(json.dumps(value, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308
