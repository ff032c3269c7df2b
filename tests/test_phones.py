"""The public site on a phone (360 px) and a desktop (1280 px), in Debian's
Chromium (see tests/test_browser.py for the fixtures and when this is
skipped): the latest news near the top, nothing wider than the screen, every
time with its day, a focus ring that can be seen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Section
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory
from tests.test_browser import ARTIFACTS, browser, default_content, pytestmark  # noqa: F401

PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}
LONG_QUERY = "grain " * 40 + "x" * 60  # 300 characters, one word of them 60 long
TIME_WITH_DAY = re.compile(r"^(Today|Yesterday|\d{1,2} [A-Z][a-z]+( \d{4})?), \d\d:\d\d$")

# The relative luminance and contrast ratio of WCAG 2.2, in the page.
CONTRAST_JS = """
([fg, bg]) => {
  const channels = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (css) => {
    const [r, g, b] = channels(css).map((c) => {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}
"""
# The colour an element sits on: the first opaque background among it and its ancestors.
BACKGROUND_JS = """
(element) => {
  for (let node = element; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "transparent" && !colour.startsWith("rgba(0, 0, 0, 0)")) return colour;
  }
  return "rgb(255, 255, 255)";
}
"""


@pytest.fixture
def news():
    """A home page as full as the seed's: top stories with photos, every
    section's block, stories over several days, a tag and a partner."""
    now = timezone.now()
    sections = list(Section.objects.filter(edition="en", parent=None))
    stories = []
    for n in range(3):
        stories.append(
            ArticleFactory(
                headline=f"Top story number {n}",
                is_top_story=True,
                main_image=ImageFactory(),
                published_at=now - timedelta(minutes=10 + n),
            )
        )
    for i, section in enumerate(sections):
        for n in range(4):
            stories.append(
                ArticleFactory(
                    headline=f"{section.name} story {n} with a headline of a usual length",
                    lead="A lead of the length a reader sees under a headline on the home page.",
                    section=section,
                    main_image=ImageFactory() if n == 0 and i % 2 == 0 else None,
                    published_at=now - timedelta(hours=3 * i + n, minutes=5),
                )
            )
    old = ArticleFactory(headline="From weeks ago", published_at=now - timedelta(days=26))
    for article in stories[:5] + [old]:
        article.tags.add("harvest")
    PartnerFactory(name="Danube Press Agency", slug="danube")
    return stories[0]


def public_urls(story):
    today = timezone.localdate()
    return [
        "/",
        "/news/",
        f"/news/{today:%Y}/",
        f"/news/{today:%Y/%m}/",
        f"/news/{today:%Y/%m/%d}/",
        "/section/economics/",
        "/section/government-bodies/",
        "/tag/harvest/",
        story.get_absolute_url(),
        "/search/?q=grain",
        "/search/?" + f"q={LONG_QUERY.replace(' ', '+')}",
        "/search/?q=" + "y" * 300,  # too long: a form error
        "/search/?q=" + "y" * 200,  # searched for, and shown in the heading
        "/partners/",
        "/partners/danube/",
        "/subscribe/",
        "/no-such-page/",
    ]


@pytest.fixture(params=[PHONE, DESKTOP], ids=["360", "1280"])
def screen(request, browser):  # noqa: F811
    context = browser.new_context(viewport=request.param)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def test_the_latest_news_is_near_the_top_of_the_home_page(screen, live_server, news):
    screen.goto(live_server.url + "/")
    height = screen.viewport_size["height"]
    first = screen.locator(".latest li").first.bounding_box()
    assert first["y"] < 2 * height
    if screen.viewport_size["width"] > 1000:
        assert first["y"] < height  # beside the top stories
    # The lead photo is a link to its story.
    lead = screen.locator(".card--lead")
    photo_link = lead.locator("a:has(img)")
    assert photo_link.get_attribute("href") == lead.get_by_role("link").get_attribute("href")
    # Each section's first story has its lead, and its photo when it has one.
    blocks = screen.locator(".section-block")
    assert blocks.count() == Section.objects.filter(edition="en", parent=None).count()
    for n in range(blocks.count()):
        first_story = blocks.nth(n).locator("li").first
        assert first_story.locator(".section-block__lead").is_visible()
    assert screen.locator(".section-block__first img").count() >= 4
    ARTIFACTS.mkdir(exist_ok=True)
    screen.screenshot(path=ARTIFACTS / f"home-{screen.viewport_size['width']}.png", full_page=True)
    assert screen.errors == []


def test_no_public_page_is_wider_than_the_screen(screen, live_server, news):
    width = screen.viewport_size["width"]
    for url in public_urls(news):
        screen.goto(live_server.url + url)
        assert screen.evaluate("document.documentElement.scrollWidth") <= width, url
    assert screen.errors == []


def test_every_time_outside_a_day_heading_says_its_day(screen, live_server, news):
    checked = 0
    for url in public_urls(news):
        screen.goto(live_server.url + url)
        shown = screen.locator("time").evaluate_all(
            "times => times.filter(t => !t.closest('[data-day]')).map(t => t.innerText.trim())"
        )
        for text in shown:
            assert TIME_WITH_DAY.match(text), (url, text)
        checked += len(shown)
    assert checked > 40  # latest, recent and related news, search results


def test_the_menu_shows_that_it_scrolls_on_a_phone(screen, live_server, news):
    screen.goto(live_server.url + "/")
    menu = screen.locator(".site-nav ul")
    overflows = menu.evaluate("ul => ul.scrollWidth > ul.clientWidth")
    if screen.viewport_size["width"] < 400:
        assert overflows
    if overflows:
        assert "gradient" in menu.evaluate("ul => getComputedStyle(ul).maskImage")
        # Scrolled to its end, the last entry is clear of the fade.
        menu.evaluate("ul => ul.scrollTo(ul.scrollWidth, 0)")
        last = screen.locator(".site-nav li").last.bounding_box()
        box = menu.bounding_box()
        assert last["x"] + last["width"] <= box["x"] + box["width"] - 30


def test_the_footer_subscribe_form_is_compact(screen, live_server, news):
    screen.goto(live_server.url + news.get_absolute_url())
    form = screen.locator(".site-footer form")
    # The address (the honeypot is off-screen and out of the tab order).
    assert form.locator("input:not([type=hidden]):not([tabindex='-1'])").count() == 1
    assert form.locator("input[type=radio], input[type=checkbox]").count() == 0
    assert form.bounding_box()["height"] < 250
    link = form.get_by_role("link", name="Choose sections and how often")
    assert link.get_attribute("href") == "/subscribe/"


def test_the_focus_ring_contrasts_at_least_3_to_1(screen, live_server, news):
    screen.goto(live_server.url + news.get_absolute_url())
    ratios = {}
    # The skip link, the site's name, the search box, a menu entry, links
    # in the text, the footer: reached with the keyboard.
    for _ in range(40):
        screen.keyboard.press("Tab")
        focused = screen.evaluate_handle("document.activeElement")
        style = focused.evaluate(
            "e => [getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineColor]"
        )
        assert style[0] != "none", focused.evaluate("e => e.outerHTML")
        background = focused.evaluate(BACKGROUND_JS)
        # The ring is drawn outside the element (outline-offset), on what it sits on.
        outside = focused.evaluate(f"e => ({BACKGROUND_JS})(e.parentElement || e)")
        ratio = screen.evaluate(CONTRAST_JS, [style[1], outside])
        ratios[focused.evaluate("e => e.textContent.trim().slice(0, 30)")] = (ratio, background)
        assert ratio >= 3, (style[1], outside, ratio)
    assert len(ratios) > 20


def test_previous_and_next_are_readable_on_a_phone(screen, live_server, news):
    older = ArticleFactory(
        headline="An older story of the section with a headline that runs on",
        section=news.section,
        published_at=news.published_at - timedelta(seconds=30),
    )
    newer = ArticleFactory(
        headline="A newer story of the section with a headline that runs on",
        section=news.section,
        published_at=news.published_at + timedelta(seconds=30),
    )
    screen.goto(live_server.url + news.get_absolute_url())
    width = screen.viewport_size["width"]
    links = screen.locator(".prev-next a")
    assert links.all_inner_texts()[0].endswith(older.headline)
    assert links.all_inner_texts()[1].endswith(newer.headline)
    for n in range(2):
        box = links.nth(n).bounding_box()
        # Each as wide as the text column on a phone: a headline reads in a
        # few lines, not one word a line.
        assert box["width"] >= (0.85 * (width - 32) if width < 400 else 200)
        assert box["height"] < 120
    assert screen.locator(".share a").count() == 5
