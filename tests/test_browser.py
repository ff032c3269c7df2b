"""Journeys in a real browser: Debian's Chromium driven by Playwright.

A journalist writes an article with the rich-text editor and submits it, an
editor publishes it, a visitor reads it. Skipped where no Chromium is
installed, unless REQUIRE_BROWSER is set (CI sets it and installs Chromium).
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    default_content_restore,
    image_bytes,
    staff_user,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots of each journey, kept for people to look at (git-ignored).
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("REQUIRE_BROWSER"),
        reason="Chromium is not installed (apt-get install chromium)",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def default_content():
    """The sections and groups that migrations create: a live-server test
    empties the database after itself, so each one puts them back first."""
    from django.contrib.auth.models import Group, Permission

    default_content_restore()
    groups = importlib.import_module("articles.migrations.0003_newsroom_groups").GROUPS
    for name, grants in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


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


def test_journalist_writes_editor_previews_and_publishes_visitor_reads(page, live_server):
    staff_user("Journalist", username="jane")
    staff_user("Editor", username="ed")

    # A journalist writes with the rich-text editor, attaches a photo and
    # submits for review.
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
    page.set_input_files(
        "#id_new_image",
        files=[
            {
                "name": "combines.jpg",
                "mimeType": "image/jpeg",
                "buffer": image_bytes(size=(800, 450)),
            }
        ],
    )
    page.fill("#id_new_image_alt", "Three combines in a wheat field")
    page.fill("#id_new_image_credit", "Jane Doe")
    assert page.locator("#id_status option").all_inner_texts() == ["Draft", "In review"]
    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/")
    article = Article.objects.get(slug="harvest-in-brest-region-beats-forecast")
    assert article.status == Article.Status.IN_REVIEW
    assert "Combines worked through the night." in article.body
    assert article.main_image.alt_text == "Three combines in a wheat field"
    assert [a.username for a in article.authors.all()] == ["jane"]

    # An editor opens it from "waiting for review", previews it, publishes it.
    page.context.clear_cookies()
    log_in(page, live_server, "ed")
    page.goto(f"{live_server.url}/admin/articles/article/?view=review")
    page.click("text=Harvest in Brest region beats forecast")
    preview = page.get_by_role("link", name="Preview as readers will see it").get_attribute("href")
    change_form = page.url
    page.goto(live_server.url + preview)
    assert page.locator(".preview-banner").is_visible()
    assert page.locator("h1").inner_text() == "Harvest in Brest region beats forecast"
    assert page.locator(".article__image img").evaluate("img => img.naturalWidth") > 0
    page.goto(change_form)
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.is_public

    # A visitor finds it under "All news", with its photo, and reads it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/news/")
    page.click("text=Harvest in Brest region beats forecast")
    assert page.locator("h1").inner_text() == "Harvest in Brest region beats forecast"
    assert "Combines worked through the night." in page.locator(".article__body").inner_text()
    image = page.locator(".article__image img")
    assert image.get_attribute("alt") == "Three combines in a wheat field"
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    # The browser picked one of the WebP renditions.
    assert "/renditions/" in image.evaluate("img => img.currentSrc")
    assert image.evaluate("img => img.currentSrc").endswith(".webp")
    assert page.script_errors == []


def test_journalist_picks_a_focal_point_by_clicking_the_photo(page, live_server):
    staff_user("Journalist", username="jane")
    photo = ImageFactory(file=ContentFile(image_bytes(size=(1000, 500)), name="wide.jpg"))
    photo.refresh_from_db()
    first_key = photo.renditions_key
    log_in(page, live_server, "jane")
    page.goto(f"{live_server.url}/admin/articles/image/{photo.pk}/change/")
    picture = page.locator("[data-focal-picker] img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    assert (page.input_value("#id_focal_x"), page.input_value("#id_focal_y")) == ("0.25", "0.75")
    # The marker sits where the click was.
    marker = page.locator(".np-focal__marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.25)) < 2
    assert abs(marker["y"] + marker["height"] / 2 - (box["y"] + box["height"] * 0.75)) < 2
    # Typing moves it too.
    page.fill("#id_focal_x", "0.6")
    marker = page.locator(".np-focal__marker").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] * 0.6)) < 2
    page.fill("#id_focal_x", "0.25")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/image/")
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.25, 0.75)
    assert photo.renditions_key not in ("", first_key)  # made again for the new crop
    assert page.script_errors == []


def test_main_image_is_chosen_by_sight(page, live_server):
    staff_user("Journalist", username="jane")
    photo = ImageFactory(caption="Combines at dawn", alt_text="Three combines in a wheat field")
    photo.refresh_from_db()  # its renditions were made when it was saved
    log_in(page, live_server, "jane")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.locator("#id_main_image").locator("..").locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("dawn")
    option = page.locator(".select2-results__option", has_text="Combines at dawn")
    assert option.locator("img").get_attribute("src") == photo.thumbnail_url
    option.click()
    assert page.locator(".field-main_image_preview img").get_attribute("src") == photo.thumbnail_url
    assert page.script_errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_visitor_reads_by_section_and_searches(browser, live_server, width):
    economics = Section.objects.get(edition="en", slug="economics")
    for n in range(12):
        ArticleFactory(
            headline=f"Market report number {n}",
            section=economics,
            main_image=ImageFactory() if n % 3 == 0 else None,
        )
    ArticleFactory(
        headline="Grain exports reach a record",
        slug="grain-exports-reach-a-record",
        lead="Shipments grew for the fifth month.",
        body="<p>Harvest logistics improved along the river ports.</p>",
        section=economics,
        main_image=ImageFactory(alt_text="Grain terminal at the port"),
    )
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/")
    today = timezone.localdate()
    assert page.locator(".site-date").inner_text() == f"{today:%A}, {today.day} {today:%B %Y}"
    page.screenshot(path=ARTIFACTS / f"home-{width}.png", full_page=True)

    page.locator(".site-nav").get_by_role("link", name="Economics", exact=True).click()
    page.wait_for_url("**/section/economics/")
    assert page.locator("h1").inner_text() == "Economics"
    page.screenshot(path=ARTIFACTS / f"section-{width}.png", full_page=True)

    page.get_by_role("link", name="Grain exports reach a record").first.click()
    page.wait_for_url("**/news/**/grain-exports-reach-a-record/")
    assert page.locator("h1").inner_text() == "Grain exports reach a record"
    assert page.locator(".article__image img").get_attribute("alt") == "Grain terminal at the port"
    assert page.locator(".article__image img").evaluate("img => img.naturalWidth") > 0
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=ARTIFACTS / f"article-{width}.png", full_page=True)

    page.fill("#site-search", "logistics")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=logistics")
    assert page.get_by_role("link", name="Grain exports reach a record").count() == 1
    page.screenshot(path=ARTIFACTS / f"search-{width}.png", full_page=True)
    context.close()
    assert errors == []
