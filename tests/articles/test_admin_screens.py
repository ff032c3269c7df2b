"""The newsroom's screens in a real browser at a desktop width (1280 px):
the article list and the article form fit the window, the body editor opens
tall and its menu's icons render. Screenshots are kept in
tests/artifacts/admin/ (git-ignored) for people to look at."""

from datetime import timedelta

from django.utils import timezone

from tests import test_browser
from tests.factories import ArticleFactory, ImageFactory, PartnerFactory, staff_user
from tests.test_browser import log_in

# The browser journeys' Chromium, page (1280 x 900) and default content.
pytestmark = test_browser.pytestmark
browser = test_browser.browser
page = test_browser.page
default_content = test_browser.default_content
SCREENSHOTS = test_browser.ARTIFACTS / "admin"


def fits_the_window(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_article_list_with_thirty_articles_fits_1280_px(page, live_server):
    staff_user("Editor", username="ed")
    agency = PartnerFactory(name="Xinhua News Agency")
    for number in range(30):
        ArticleFactory(
            headline=f"Harvest in the Brest region beats the forecast for the {number}th time",
            published_at=timezone.now() - timedelta(hours=number),
            is_breaking=number % 5 == 0,
            is_top_story=number % 5 == 0,
            source=agency if number % 3 == 0 else None,
        )
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/")
    screenshot(page, "article-list")
    assert page.locator("#result_list tbody tr").count() == 30
    assert fits_the_window(page)
    assert page.locator("#changelist .results").evaluate("el => el.scrollWidth <= el.clientWidth")
    # The headline column is wide enough to read: one or two lines.
    headline = page.locator("#result_list tbody tr th.field-headline a").first
    assert headline.bounding_box()["width"] >= 300
    lines = headline.evaluate(
        """a => Math.round(a.getBoundingClientRect().height
                           / parseFloat(getComputedStyle(a).lineHeight))"""
    )
    assert lines <= 2


def test_article_form_fits_1280_px_with_a_tall_editor_and_its_icons(page, live_server):
    staff_user("Editor", username="ed")
    article = ArticleFactory(main_image=ImageFactory(alt_text="", caption="", credit=""))
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.wait_for_selector(".prose-menubar")
    page.evaluate("document.fonts.ready")
    screenshot(page, "article-form")
    assert fits_the_window(page)
    editor = page.locator(".prose-editor .tiptap.ProseMirror")
    assert editor.bounding_box()["height"] >= 300
    # The headline field takes the width of the form.
    headline = page.locator("#id_headline").bounding_box()
    assert headline["width"] >= 600
    # The block-type menu's marker is drawn (a CSS triangle: the package's
    # "⏷" has no glyph in common fonts and showed as an empty box).
    marker = page.locator(".prose-menubar__selected").first.evaluate(
        """el => { const s = getComputedStyle(el, "::after");
                   return [s.content, parseFloat(s.borderTopWidth), s.borderTopColor]; }"""
    )
    assert marker[0] in ('""', "none") and marker[1] >= 4 and marker[2] != "rgba(0, 0, 0, 0)"
    # The buttons' icons come from the icon font, which loaded: a ligature
    # drawn as an icon is about square, not the width of its name
    # ("format_bold").
    assert page.evaluate("document.fonts.check('24px \"Material Icons\"')")
    bold = page.locator(".prose-menubar__button[title=bold]").bounding_box()
    assert bold["width"] <= 40
    # Headings 2-4 have buttons of their own.
    assert page.locator(".prose-menubar__button--heading").count() >= 3
    assert page.script_errors == []


def test_article_form_counts_and_withdrawal_reason(page, live_server):
    staff_user("Editor", username="ed")
    article = ArticleFactory(headline="Two words", lead="")
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert page.inner_text("#id_headline_count") == "2 words, 9 characters"
    page.fill("#id_lead", "Grain prices fell.")
    assert page.inner_text("#id_lead_count") == "3 words, 18 characters"
    reason = page.locator(".form-row.field-withdrawn_reason")
    assert reason.is_hidden()
    page.select_option("#id_status", "withdrawn")
    assert reason.is_visible()
    page.select_option("#id_status", "published")
    assert reason.is_hidden()
    assert page.script_errors == []


def test_planning_calendar_fits_1280_px(page, live_server):
    staff_user("Editor", username="ed")
    for hours in (3, 26, 30, 50, 75, 100, 140):
        ArticleFactory(
            headline=f"A scheduled story with a long headline, {hours} hours ahead",
            published_at=timezone.now() + timedelta(hours=hours),
            released_to_partners=hours % 2 == 0,
        )
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/planning/")
    screenshot(page, "planning")
    assert page.locator(".np-plan__item").count() == 7
    assert fits_the_window(page)
    assert page.script_errors == []
