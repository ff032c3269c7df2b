"""No URL or parameter gets a 5xx: the ends of the calendar answer 404 or a
400 naming the parameter, and Hypothesis throws arbitrary path segments and
query values at every public route and API endpoint (derandomized and
bounded, so CI is stable and quick)."""

import base64
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.services import api_key_issue
from tests.factories import ArticleFactory, PartnerFactory

pytestmark = pytest.mark.django_db

bounded = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(client):
    article = ArticleFactory(slug="parliament-meets")
    article.tags.add("budget")
    _, key = api_key_issue(partner=PartnerFactory(slug="baltic-wire"), name="k")
    return {"article": article, "key": key}


def api_get(client, key, path, query=None):
    return client.get(path, query or {}, HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize(
    "path",
    [
        "/news/0001/01/01/",
        "/news/9999/12/31/",
        "/news/0001/",
        "/news/9999/",
        "/news/0001/01/",
        "/news/9999/12/",
        "/news/0000/00/00/",
        "/news/2026/02/30/",
        "/news/2026/13/",
        "/news/0001/01/01/a-slug/",
        "/news/9999/12/31/a-slug/",
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"since": "0001-01-01"},
        {"since": "0001-01-01T00:00:00"},
        {"since": "0001-01-01T00:00:00+14:00"},
        {"since": "9999-12-31T23:59:59-12:00"},
        {"since": "10000-01-01"},
        {"since": "-0001-01-01"},
        {"cursor": base64.b64encode(b"p=0001-01-01T00:00:00").decode()},
        {"cursor": base64.b64encode(b"p=9999-12-31T23:59:59-12:00&r=1").decode()},
        {"cursor": "not base64 at all"},
        {"section": "x" * 101},
        {"tag": "\x00"},
        {"partner": "no spaces"},
        {"language": "\x00"},
        {"language": "ru" * 500},
        {"language": "zz"},
    ],
)
def test_api_parameters_at_the_ends_are_400_naming_the_parameter(client, site, query):
    response = api_get(client, site["key"], "/api/v1/items/", query)
    assert response.status_code == 400, response.content
    assert set(response.json()) == set(query)


# Path segments: anything printable (the URL is quoted), or digits shaped
# like the dated routes' years, months and days.
segments = st.one_of(
    st.text(min_size=1, max_size=30),
    st.from_regex(r"\A[0-9]{1,5}\Z"),
    st.sampled_from(["0000", "0001", "9999", "00", "13", "32", "..", "%00", "-"]),
)
values = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A-?[0-9]{1,6}(-[0-9]{1,2}){0,2}(T[0-9:]{0,8})?([+-][0-9:]{1,5}|Z)?\Z"),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
PUBLIC_ROUTES = [
    "/{0}/",
    "/news/{0}/",
    "/news/{0}/{1}/",
    "/news/{0}/{1}/{2}/",
    "/news/{0}/{1}/{2}/{3}/",
    "/section/{0}/",
    "/section/{0}/rss/",
    "/tag/{0}/",
    "/preview/{0}/",
    "/partners/{0}/",
    "/sitemap-{0}.xml",
    "/subscribe/confirm/{0}/",
    "/subscribe/preferences/{0}/",
    "/subscribe/unsubscribe/{0}/",
]
QUERY_PAGES = [
    "/",
    "/news/",
    "/news/2026/",
    "/news/2026/11/",
    "/news/2026/11/28/",
    "/search/",
    "/section/politics/",
    "/tag/budget/",
    "/partners/",
    "/feeds/rss/",
    "/feeds/atom/",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/subscribe/",
]
API_ROUTES = ["/api/v1/items/{0}/", "/api/v1/items/{0}.xml", "/api/v1/{0}/"]
API_PARAMETERS = ["since", "cursor", "section", "tag", "partner", "language", "format", "page"]


def quoted(template, parts):
    return template.format(*(quote(part, safe="") for part in parts))


@bounded
@given(template=st.sampled_from(PUBLIC_ROUTES), parts=st.lists(segments, min_size=4, max_size=4))
def test_no_public_path_gets_a_5xx(site, template, parts):
    response = Client().get(quoted(template, parts))
    assert response.status_code < 500


@bounded
@given(
    path=st.sampled_from(QUERY_PAGES),
    query=st.dictionaries(st.sampled_from(["q", "page", "section", "x", ""]), values, max_size=3),
)
def test_no_query_value_gets_a_5xx_on_public_pages(site, path, query):
    client = Client()
    assert client.get(f"{path}?{urlencode(query)}").status_code < 500
    assert client.post("/subscribe/", query).status_code < 500


@bounded
@given(
    template=st.sampled_from(API_ROUTES),
    parts=st.lists(segments, min_size=1, max_size=1),
    query=st.dictionaries(st.sampled_from(API_PARAMETERS), values, max_size=3),
)
def test_no_api_path_or_parameter_gets_a_5xx(site, template, parts, query):
    client = Client()
    key = site["key"]
    assert api_get(client, key, quoted(template, parts)).status_code < 500
    response = api_get(client, key, f"/api/v1/items/?{urlencode(query)}")
    assert response.status_code < 500
    if response.status_code == 400:
        assert set(response.json()) <= set(query)
    assert api_get(client, key, "/api/v1/feeds/rss/", query).status_code < 500
