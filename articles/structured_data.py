"""schema.org JSON-LD for the public pages: the article (NewsArticle), the
home page (WebSite with its search, NewsMediaOrganization) and an author's
page (ProfilePage of a Person)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from editions.selectors import edition_current

from .branding import LOGO, SHARE_IMAGES

# Google's Article guideline: an image at least this wide.
SHARE_MIN_WIDTH = 1200


def _image_object(absolute, url: str, width: int, height: int, **extra) -> dict:
    return {"@type": "ImageObject", "url": absolute(url), "width": width, "height": height, **extra}


def organization_jsonld(request, *, kind: str = "Organization") -> dict:
    """The agency as publisher: its name, address and raster logo."""
    absolute = request.build_absolute_uri
    return {
        "@type": kind,
        "name": settings.AGENCY_NAME,
        "alternateName": settings.AGENCY_SHORT_NAME,
        "url": absolute(reverse("articles:home")),
        "logo": _image_object(absolute, static(LOGO.path), LOGO.width, LOGO.height),
    }


def person_jsonld(author, request) -> dict:
    absolute = request.build_absolute_uri
    person = {
        "@type": "Person",
        "name": author.name,
        "url": absolute(author.get_absolute_url()),
    }
    if author.role:
        person["jobTitle"] = author.role
    if author.photo_id:
        largest = author.photo.largest
        person["image"] = _image_object(absolute, largest.url, largest.width, largest.height)
    return person


def article_images(article, request) -> list[dict]:
    """The article's photo in 16:9, 4:3 and 1:1, and the agency's pictures
    when it has none at least SHARE_MIN_WIDTH wide."""
    absolute = request.build_absolute_uri
    images = []
    if image := article.main_image:
        images = [
            _image_object(
                absolute, r.url, r.width, r.height, caption=image.caption, creditText=image.credit
            )
            for r in image.share_images
        ]
    if not any(image["width"] >= SHARE_MIN_WIDTH for image in images):
        images += [_image_object(absolute, static(i.path), i.width, i.height) for i in SHARE_IMAGES]
    return images


def article_jsonld(article, request) -> dict:
    """The NewsArticle object search engines read from the article page;
    the authors, their profiles and the photo are prefetched."""
    absolute = request.build_absolute_uri
    published = article.published_at or article.updated_at  # a preview may have no time yet
    authors = [
        person_jsonld(author.author_profile, request)
        for author in article.authors.all()
        if hasattr(author, "author_profile")
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.lead,
        "url": absolute(article.get_absolute_url() or request.path),
        "mainEntityOfPage": absolute(article.get_absolute_url() or request.path),
        "datePublished": published.isoformat(),
        "dateModified": max(article.updated_at, published).isoformat(),
        "author": authors or [organization_jsonld(request)],
        "publisher": organization_jsonld(request),
        "image": article_images(article, request),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": article.edition_id,
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
    return data


def home_jsonld(request) -> dict:
    """The site (with the search a search engine may offer in its results)
    and the agency as a news media organisation."""
    absolute = request.build_absolute_uri
    home = absolute(reverse("articles:home"))
    search = absolute(reverse("articles:search"))
    organization = organization_jsonld(request, kind="NewsMediaOrganization")
    organization["@id"] = f"{home}#organization"
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": f"{home}#website",
                "url": home,
                "name": settings.AGENCY_NAME,
                "inLanguage": edition_current().code,
                "publisher": {"@id": organization["@id"]},
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": f"{search}?q={{search_term_string}}",
                    },
                    "query-input": "required name=search_term_string",
                },
            },
            organization,
        ],
    }


def author_jsonld(author, request) -> dict:
    """An author's page: a ProfilePage about the Person."""
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": request.build_absolute_uri(author.get_absolute_url()),
        "inLanguage": edition_current().code,
        "mainEntity": person_jsonld(author, request),
    }
