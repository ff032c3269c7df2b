"""The database down answers 503 with Retry-After, never a 500; the first
request once it is back is a 200. (tests/fault/ stops a real PostgreSQL.)"""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import override_settings

from partners.services import api_key_issue
from tests.factories import ArticleFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def refuse(error):
    def wrapper(execute, sql, params, many, context):
        raise error("could not connect to server: Connection refused")

    return wrapper


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_pages_and_the_api_answer_503_while_the_database_is_down(client, error):
    article = ArticleFactory()
    _, key = api_key_issue(partner=PartnerFactory(), name="k")
    with connection.execute_wrapper(refuse(error)):
        for path in ["/", "/news/", article.get_absolute_url(), "/search/?q=x", "/subscribe/"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            assert "no-cache" in response["Cache-Control"]
            assert "briefly unavailable" in response.content.decode()
        response = client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "unavailable" in response.json()["detail"]
        assert client.get("/readyz").status_code == 503
    assert client.get("/").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_the_page_cache_still_serves_what_it_has(client):
    with override_settings(PUBLIC_PAGE_CACHE=True):
        ArticleFactory(headline="Kept in the cache")
        assert client.get("/news/").status_code == 200
        with connection.execute_wrapper(refuse(OperationalError)):
            response = client.get("/news/")
            assert response.status_code == 200
            assert "Kept in the cache" in response.content.decode()
            assert client.get("/").status_code == 503


def test_other_errors_are_still_errors(client, monkeypatch):
    from articles import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.HomeView, "get", broken)
    with pytest.raises(RuntimeError):
        client.get("/")
