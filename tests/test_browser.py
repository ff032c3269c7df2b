"""Journeys in a real browser: Debian's Chromium driven by Playwright.

A journalist writes an article with the rich-text editor and submits it, an
editor publishes it, a visitor reads it. Skipped where no Chromium is
installed, unless REQUIRE_BROWSER is set (CI sets it and installs Chromium).
"""

import os
import shutil

import pytest

from articles.models import Article
from tests.factories import ImageFactory, staff_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt-get install chromium)",
    ),
    # serialized_rollback: the flush after the test would otherwise erase the
    # sections and groups that migrations create, for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and "style-src" not in message.text  # the editor's optional base CSS; see settings
            and page.script_errors.append(message.text)
        ),
    )
    yield page
    context.close()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_journalist_writes_editor_publishes_visitor_reads(page, live_server):
    staff_user("Journalist", username="jane")
    staff_user("Editor", username="ed")
    photo = ImageFactory(caption="Combines at dawn", alt_text="Three combines in a wheat field")

    # A journalist writes with the rich-text editor and submits for review.
    log_in(page, live_server, "jane")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_headline").press_sequentially("Harvest in Brest region beats forecast")
    assert page.input_value("#id_slug") == "harvest-in-brest-region-beats-forecast"
    page.fill("#id_lead", "Farmers gathered more grain than planned.")
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Combines worked through the night.")
    page.locator("#id_section").locator("..").locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Econ")
    page.locator(".select2-results__option", has_text="Economics").click()
    # The photo is chosen by sight: thumbnails in the results, then a preview.
    page.locator("#id_main_image").locator("..").locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("dawn")
    option = page.locator(".select2-results__option", has_text="Combines at dawn")
    assert option.locator("img").get_attribute("src") == photo.file.url
    option.click()
    assert page.locator(".field-main_image_preview img").get_attribute("src") == photo.file.url
    assert page.locator("#id_status option").all_inner_texts() == ["Draft", "In review"]
    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    article = Article.objects.get(slug="harvest-in-brest-region-beats-forecast")
    assert article.status == Article.Status.IN_REVIEW
    assert "Combines worked through the night." in article.body
    assert [a.username for a in article.authors.all()] == ["jane"]

    # An editor publishes it from the list.
    page.context.clear_cookies()
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/?status__exact=review")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    page.wait_for_selector("text=Published 1 article(s).")

    # A visitor finds it under "All news" and reads it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/news/")
    page.click("text=Harvest in Brest region beats forecast")
    assert page.locator("h1").inner_text() == "Harvest in Brest region beats forecast"
    assert "Combines worked through the night." in page.locator(".article__body").inner_text()
    image = page.locator(".article__image img")
    assert image.get_attribute("alt") == "Three combines in a wheat field"
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    assert page.script_errors == []
