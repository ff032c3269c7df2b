"""'View on site' from the article form: the public page once readers can see
the article, its preview until then, never an error page (issue 14)."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.IN_REVIEW, None),
        (Article.Status.WITHDRAWN, None),
        (Article.Status.WITHDRAWN, "yesterday"),
    ],
)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_view_on_site_without_a_public_page_is_the_preview(
    client, request, role, status, published_at
):
    when = timezone.now() - timedelta(days=1) if published_at else None
    article = ArticleFactory(status=status, published_at=when, withdrawn_reason="Test")
    client.force_login(request.getfixturevalue(role))
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert change.status_code == 200
    link = re.search(r'href="([^"]+)" class="viewsitelink"', change.content.decode())[1]
    shortcut = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(article).pk, article.pk]
    )
    response = client.get(shortcut)
    assert response.status_code == 302 and response["Location"] == link
    assert link.startswith("/preview/")
    preview = client.get(link)
    assert preview.status_code == 200 and article.headline in preview.content.decode()
