"""The newsroom's screens in a real browser at a desktop width (1280 px):
the article list and the article form fit the window, the body editor opens
tall and its menu's icons render. Screenshots are kept in
tests/artifacts/admin/ (git-ignored) for people to look at."""

from datetime import timedelta

from django.utils import timezone

from tests import test_browser
from tests.factories import ArticleFactory, ImageFactory, staff_user
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
    for number in range(30):
        ArticleFactory(
            headline=f"Harvest in the Brest region beats the forecast for the {number}th time",
            published_at=timezone.now() - timedelta(hours=number),
        )
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/")
    screenshot(page, "article-list")
    assert page.locator("#result_list tbody tr").count() == 30
    assert fits_the_window(page)
    assert page.locator("#changelist .results").evaluate("el => el.scrollWidth <= el.clientWidth")
    # The headline column is wide enough to read: one or two lines.
    cell = page.locator("#result_list tbody tr th.field-headline").first.bounding_box()
    assert cell["width"] >= 250
    assert cell["height"] <= 50


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
    # The block-type menu's marker and the buttons' icons are drawn, in a
    # font that loaded.
    assert page.evaluate("document.fonts.check('24px \"Material Icons\"')")
    assert page.script_errors == []
