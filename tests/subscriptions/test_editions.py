"""Subscriptions per edition: a reader of /ru/ subscribes to the Russian
edition, with its sections, and gets its news in Russian, with links to /ru/."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from lxml import html as lxml_html

from articles.models import Section
from editions.models import Edition
from subscriptions import services
from subscriptions.forms import CONSENT_TEXTS, CONSENT_VERSION
from subscriptions.models import Subscriber, new_key
from subscriptions.selectors import manage_token
from tests.clock import NOW
from tests.factories import ArticleFactory

from .conftest import SubscriberFactory

pytestmark = pytest.mark.django_db

# The end of the daily period that has ended at NOW (see test_digests.py).
DAY_END = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
SITE = "http://127.0.0.1:8000"


def section(edition, slug):
    return Section.objects.get(edition=edition, slug=slug)


def subscribe(client, prefix="", email="reader@example.org", **fields):
    data = {"email": email, "frequency": "daily", "consent": CONSENT_VERSION, **fields}
    return client.post(f"{prefix}/subscribe/", data)


def links(message):
    return re.findall(r"https?://\S+", message.body)


def edition_subscriber(edition, slugs=(), **fields):
    subscriber = SubscriberFactory(**fields)
    Subscriber.objects.filter(pk=subscriber.pk).update(edition=edition)
    subscriber.sections.set(Section.objects.filter(edition=edition, slug__in=slugs))
    subscriber.refresh_from_db()
    return subscriber


# Subscribing


def test_the_russian_subscribe_page_offers_the_russian_sections_in_russian(client):
    page = client.get("/ru/subscribe/").content.decode()
    tree = lxml_html.fromstring(page)
    labels = [label.text_content().strip() for label in tree.xpath("//form//label")]
    assert "Политика" in labels and "Экономика" in labels
    assert "Politics" not in labels
    [form] = tree.xpath('//form[@class="subscribe-form"]')
    assert form.get("action") == "/ru/subscribe/"
    assert "Подписаться" in form.text_content()
    assert "Мы будем присылать вам" in form.text_content()
    ids = {int(box.get("value")) for box in form.xpath('.//input[@name="sections"]')}
    assert ids == set(Section.objects.filter(edition="ru").values_list("pk", flat=True))
    assert "Падпісацца" in client.get("/be/subscribe/").content.decode()


def test_the_footer_form_of_each_edition_speaks_its_language(client):
    russian = client.get("/ru/").content.decode()
    english = client.get("/").content.decode()
    belarusian = client.get("/be/").content.decode()
    footer = '<form class="subscribe-form subscribe-form--compact" action="{}"'
    assert footer.format("/ru/subscribe/") in russian and "Мы будем присылать вам" in russian
    assert footer.format("/subscribe/") in english and "We will email you" in english
    assert footer.format("/be/subscribe/") in belarusian and "Падпісацца" in belarusian


def test_subscribing_on_the_russian_site_subscribes_to_the_russian_edition(client):
    politics, sport = section("ru", "politics"), section("ru", "sport")
    response = subscribe(client, "/ru", frequency="weekly", sections=[politics.pk, sport.pk])

    assert response.status_code == 302
    assert response["Location"] == "/ru/subscribe/check-your-inbox/"
    assert "Проверьте почту" in client.get(response["Location"]).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.edition_id == "ru"
    assert set(subscriber.sections.all()) == {politics, sport}
    # What the reader was shown, in Russian; the version's English text stays as it was.
    with translation.override("ru"):
        assert subscriber.consent_text == translation.gettext(CONSENT_TEXTS[CONSENT_VERSION])
    assert subscriber.consent_text.startswith("Мы будем присылать вам по электронной почте")
    assert CONSENT_TEXTS[CONSENT_VERSION].startswith("We will email you")

    [message] = mail.outbox
    assert message.subject == "Подтвердите подписку на рассылку National News Agency"
    assert message.body.startswith("Здравствуйте!")
    assert "Ссылка действует 3 дня." in message.body
    assert "Отписаться (одним нажатием):" in message.body
    urls = links(message)
    assert urls and all(url.startswith(f"{SITE}/ru/") for url in urls)
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/ru/subscribe/")
    html = message.alternatives[0].content
    assert '<html lang="ru">' in html and "Подтвердить подписку" in html
    assert "Confirm" not in message.body + html

    # The link opens the Russian confirmation page, which confirms.
    confirm = urlsplit(next(url for url in urls if "/confirm/" in url)).path
    page = client.get(confirm).content.decode()
    assert "еженедельный дайджест" in page and "Политика" in page
    assert "Подтвердить" in page
    page = client.post(confirm).content.decode()
    assert "Вы подписаны" in page
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_english_site_still_subscribes_to_the_english_edition_in_english(client):
    response = subscribe(client, sections=[section("en", "sport").pk])
    assert response["Location"] == "/subscribe/check-your-inbox/"
    subscriber = Subscriber.objects.get()
    assert subscriber.edition_id == "en"
    assert subscriber.consent_text == CONSENT_TEXTS[CONSENT_VERSION]
    [message] = mail.outbox
    assert message.subject == "Confirm your subscription to National News Agency"
    assert message.body.startswith("Hello,")
    assert all(not urlsplit(url).path.startswith(("/ru/", "/be/")) for url in links(message))
    assert '<html lang="en">' in message.alternatives[0].content


def test_existing_and_unstated_subscribers_are_of_the_main_edition():
    assert SubscriberFactory().edition_id == "en"


@pytest.mark.parametrize(
    "prefix, foreign",
    [("/ru", ("en", "politics")), ("", ("ru", "politics")), ("/be", ("ru", "sport"))],
)
def test_a_section_of_another_edition_is_a_form_error(client, prefix, foreign):
    response = subscribe(client, prefix, sections=[section(*foreign).pk])
    assert response.status_code == 200
    assert "sections" in response.context["form"].errors
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_a_crafted_russian_post_gets_its_errors_in_russian(client):
    response = subscribe(client, "/ru", email="not an address", consent="1999-01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Эта форма устарела: пожалуйста, обновите страницу." in page
    assert not Subscriber.objects.exists()


def test_a_reader_subscribed_to_english_who_asks_on_the_russian_site_is_reminded(client):
    SubscriberFactory(email="reader@example.org")
    subscribe(client, "/ru", sections=[section("ru", "sport").pk])
    subscriber = Subscriber.objects.get()
    assert subscriber.edition_id == "en"  # a confirmed subscription never changes by the form
    [message] = mail.outbox
    assert message.subject == "You are already subscribed to National News Agency"


def test_a_pending_address_asking_again_on_another_site_moves_there(client):
    SubscriberFactory(email="reader@example.org", status="pending", confirm_key=new_key())
    subscribe(client, "/be", sections=[section("be", "politics").pk])
    subscriber = Subscriber.objects.get()
    assert subscriber.edition_id == "be"
    assert [s.edition_id for s in subscriber.sections.all()] == ["be"]
    assert mail.outbox[-1].subject == "Пацвердзіце падпіску на рассылку National News Agency"


def test_the_reminder_is_in_the_subscriber_s_language(client):
    edition_subscriber("ru", email="reader@example.org")
    subscribe(client, "/ru")
    [message] = mail.outbox
    assert message.subject == "Вы уже подписаны на рассылку National News Agency"
    assert "Вы уже подписаны, поэтому ничего не изменилось." in message.body
    assert all(url.startswith(f"{SITE}/ru/") for url in links(message))


# The pages behind the links


def test_the_preferences_page_offers_the_subscriber_s_edition_s_sections(client):
    subscriber = edition_subscriber("ru", ["sport"])
    url = f"/ru/subscribe/preferences/{manage_token(subscriber=subscriber)}/"
    page = client.get(url).content.decode()
    assert "Ваша подписка" in page and "Спорт" in page and "Politics" not in page
    response = client.post(url, {"frequency": "weekly", "sections": [section("en", "sport").pk]})
    assert response.status_code == 200
    assert "sections" in response.context["form"].errors
    assert list(subscriber.sections.all()) == [section("ru", "sport")]
    response = client.post(url, {"frequency": "weekly", "sections": [section("ru", "politics").pk]})
    assert response.status_code == 302
    assert list(subscriber.sections.all()) == [section("ru", "politics")]


def test_unsubscribing_from_the_belarusian_mail_link(client):
    subscriber = edition_subscriber("be")
    url = f"/be/subscribe/unsubscribe/{manage_token(subscriber=subscriber)}/"
    assert "Адпісацца" in client.get(url).content.decode()
    assert "Вы адпісаныя" in client.post(url).content.decode()


# Digests and alerts


def in_yesterday(hours_before_end, **fields):
    return ArticleFactory(published_at=DAY_END - timedelta(hours=hours_before_end), **fields)


@pytest.fixture
def yesterday_everywhere():
    return [
        in_yesterday(1, headline="Parliament passes the budget", section=section("en", "politics")),
        in_yesterday(
            2,
            edition_id="ru",
            headline="Парламент принял бюджет",
            slug="parlament",
            section=section("ru", "politics"),
        ),
        in_yesterday(
            3,
            edition_id="ru",
            headline="Сборная выиграла матч",
            slug="sbornaya",
            section=section("ru", "sport"),
        ),
        in_yesterday(
            4,
            edition_id="be",
            headline="Парламент прыняў бюджэт",
            slug="parlament",
            section=section("be", "politics"),
        ),
    ]


def mail_to(email):
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message


def test_each_digest_holds_its_edition_s_news_in_its_language(yesterday_everywhere):
    SubscriberFactory(email="en@example.org")
    edition_subscriber("ru", email="ru@example.org")
    edition_subscriber("ru", ["sport"], email="ru-sport@example.org")
    edition_subscriber("be", email="be@example.org")

    assert services.digest_send(frequency="daily") == 4

    english = mail_to("en@example.org")
    assert english.subject == "National News Agency: your daily digest, 29 November 2026"
    assert "Parliament passes the budget" in english.body
    assert "бюджет" not in english.body and "бюджэт" not in english.body
    assert f"All news: {SITE}/news/" in english.body

    russian = mail_to("ru@example.org")
    assert russian.subject == "National News Agency: ваш ежедневный дайджест, 29 ноября 2026"
    assert "Парламент принял бюджет" in russian.body and "Сборная выиграла матч" in russian.body
    assert "Parliament" not in russian.body and "прыняў" not in russian.body
    assert "29 ноября, 05:00 · Политика" in russian.body
    assert f"Все новости: {SITE}/ru/news/" in russian.body
    assert "Изменить, что вы получаете:" in russian.body
    assert all(url.startswith(f"{SITE}/ru/") for url in links(russian))
    html = russian.alternatives[0].content
    assert '<html lang="ru">' in html and "Ваш ежедневный дайджест" in html
    assert f'href="{SITE}{yesterday_everywhere[1].get_absolute_url()}"' in html

    sport = mail_to("ru-sport@example.org")
    assert "Сборная выиграла матч" in sport.body and "Парламент" not in sport.body

    belarusian = mail_to("be@example.org")
    assert belarusian.subject == "National News Agency: ваш штодзённы дайджэст, 29 лістапада 2026"
    assert "Парламент прыняў бюджэт" in belarusian.body
    assert "принял" not in belarusian.body and "Parliament" not in belarusian.body
    assert f"Усе навіны: {SITE}/be/news/" in belarusian.body
    assert "Адпісацца (адным націскам):" in belarusian.body
    assert all(url.startswith(f"{SITE}/be/") for url in links(belarusian))


def test_a_digest_with_no_news_of_the_subscriber_s_edition_sends_nothing():
    in_yesterday(1, headline="Parliament passes the budget", section=section("en", "politics"))
    edition_subscriber("ru", email="ru@example.org")
    assert services.digest_send(frequency="daily") == 0
    assert mail.outbox == []


def test_a_breaking_story_alerts_its_edition_s_readers_only_in_its_language():
    SubscriberFactory(email="en@example.org", frequency="immediate")
    edition_subscriber("ru", email="ru@example.org", frequency="immediate")
    edition_subscriber("be", email="be@example.org", frequency="immediate")
    ArticleFactory(
        edition_id="ru",
        headline="Землетрясение",
        slug="zemletryasenie",
        is_breaking=True,
        section=section("ru", "politics"),
        published_at=NOW,
    )
    assert services.breaking_alerts_send() == 1
    [message] = mail.outbox
    assert message.to == ["ru@example.org"]
    assert message.subject == "Срочно: Землетрясение"
    assert message.body.startswith("СРОЧНО: Землетрясение")
    assert all(url.startswith(f"{SITE}/ru/") for url in links(message))
    assert "Читать дальше" in message.alternatives[0].content


@override_settings(EDITION_ROUTING="host", ALLOWED_HOSTS=["*"])
def test_mails_link_to_the_edition_s_own_host(yesterday_everywhere):
    Edition.objects.filter(code="ru").update(host="ru.example.org")
    Edition.objects.get(code="be").save()  # read them again
    edition_subscriber("ru", email="ru@example.org")
    services.digest_send(frequency="daily")
    message = mail_to("ru@example.org")
    urls = links(message)
    assert urls and all(url.startswith("http://ru.example.org/") for url in urls)
    assert f"http://ru.example.org{yesterday_everywhere[1].get_absolute_url()}" in urls
