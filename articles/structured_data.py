"""schema.org NewsArticle for an article page (JSON-LD)."""

from django.conf import settings
from django.templatetags.static import static


def article_jsonld(article, request) -> dict:
    """The NewsArticle object search engines read from the article page."""
    absolute = request.build_absolute_uri
    published = article.published_at or article.updated_at  # a preview may have no time yet
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.lead,
        "url": absolute(article.get_absolute_url() or request.path),
        "mainEntityOfPage": absolute(article.get_absolute_url() or request.path),
        "datePublished": published.isoformat(),
        "dateModified": max(article.updated_at, published).isoformat(),
        "author": [
            {"@type": "Person", "name": author.get_full_name() or author.get_username()}
            for author in article.authors.all()
        ]
        or [{"@type": "Organization", "name": settings.AGENCY_NAME}],
        "publisher": {
            "@type": "Organization",
            "name": settings.AGENCY_NAME,
            "logo": {"@type": "ImageObject", "url": absolute(static("img/favicon.svg"))},
        },
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": settings.LANGUAGE_CODE,
    }
    if corrections := list(article.corrections.all()):
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    if article.dateline_place:
        data["dateline"] = article.dateline
    if article.source_id:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source.name}
    if image := article.main_image:
        largest = image.largest
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": absolute(largest.url),
                "width": largest.width,
                "height": largest.height,
                "caption": image.caption,
                "creditText": image.credit,
            }
        ]
    return data
