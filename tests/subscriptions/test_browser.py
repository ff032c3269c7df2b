"""A visitor subscribes from an article page, in Debian's Chromium (see
tests/test_browser.py for the browser fixtures and when this is skipped)."""

import pytest
from django.core import mail

from subscriptions.models import Subscriber
from tests.factories import ArticleFactory
from tests.test_browser import ARTIFACTS, browser, default_content, page, pytestmark  # noqa: F401

from .conftest import section


def test_a_visitor_subscribes_from_an_article_page(page, live_server):  # noqa: F811
    article = ArticleFactory(headline="Grain exports reach a record")
    page.goto(live_server.url + article.get_absolute_url())

    # The footer asks for the address only: a daily digest of everything.
    form = page.locator(".site-footer form.subscribe-form")
    form.get_by_label("Email").fill("visitor@example.org")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "subscribe-footer.png", full_page=True)
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/subscribe/check-your-inbox/")
    assert page.locator("h1").inner_text() == "Check your inbox"
    page.screenshot(path=ARTIFACTS / "subscribe-check-inbox.png", full_page=True)
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.frequency) == (
        "visitor@example.org",
        "pending",
        "daily",
    )
    assert not subscriber.sections.exists()

    # Its link leads to the choices.
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(".site-footer").get_by_role("link", name="Choose sections and how often").click()
    page.wait_for_url("**/subscribe/")
    form = page.locator("main form.subscribe-form")
    form.get_by_label("Email").fill("other@example.org")
    form.get_by_label("Weekly digest").check()
    form.get_by_label("Economics", exact=True).check()
    form.get_by_label("Government Bodies › President").check()
    form.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("**/subscribe/check-your-inbox/")
    other = Subscriber.objects.get(email="other@example.org")
    assert other.frequency == "weekly"
    assert set(other.sections.all()) == {section("economics"), section("president")}
    assert [m.to for m in mail.outbox] == [["visitor@example.org"], ["other@example.org"]]
    assert page.script_errors == []


@pytest.mark.parametrize("width", [360])
def test_the_subscribe_page_fits_a_phone(browser, live_server, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 800})
    phone = context.new_page()
    phone.goto(live_server.url + "/subscribe/")
    # The browser checks the address's form; the server, the rest.
    phone.get_by_label("Email", exact=True).first.fill("someone@mailinator.com")
    phone.get_by_role("button", name="Subscribe").first.click()
    phone.wait_for_load_state()
    assert "we do not send to throwaway mailboxes" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=ARTIFACTS / f"subscribe-{width}.png", full_page=True)
    context.close()
