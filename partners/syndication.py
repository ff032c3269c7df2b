"""Our articles in the industry's formats: IPTC ninjs 3.1 (JSON) and, built
from the same data, a NewsML-G2 2.35 newsItem (XML)."""

import mimetypes
from datetime import UTC, datetime
from xml.etree import ElementTree as ET  # noqa: S405 (builds XML, never parses it)

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .parsing import plain_text

NAR = "http://iptc.org/std/nar/2006-10-01/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"
URGENCY_BREAKING, URGENCY_TOP, URGENCY_NORMAL = 1, 3, 5


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def article_ninjs(article: Article, *, request, now: datetime | None = None) -> dict:
    """The article as a ninjs 3.1 item. ``request`` makes the links
    absolute; the article needs its section (and parent), source, main image,
    tags and authors loaded (see article_syndication_list)."""
    now = now or timezone.now()
    absolute = request.build_absolute_uri
    source = article.source
    holder = source.name if source else settings.AGENCY_NAME
    item = {
        "uri": absolute(reverse("api:item-detail", args=[article.pk])),
        "type": "text",
        "representationType": "full",
        "firstCreated": _when(article.published_at),
        # Going public at its scheduled time makes a new version too.
        "versionCreated": _when(max(article.updated_at, min(article.published_at, now))),
        "pubStatus": "usable",
        "urgency": URGENCY_BREAKING
        if article.is_breaking
        else (URGENCY_TOP if article.is_top_story else URGENCY_NORMAL),
        "copyrightHolder": holder,
        "copyrightNotice": f"© {article.published_at.year} {holder}",
        "usageTerms": (source.usage_terms if source else "") or settings.PARTNER_USAGE_TERMS,
        "language": settings.LANGUAGE_CODE,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {"role": "main", "contentType": "text/html", "value": article.body},
            {"role": "main", "contentType": "text/plain", "value": plain_text(article.body)},
        ],
        "subjects": _subjects(article, absolute),
        "infoSources": _info_sources(article, absolute),
        "altIds": [{"role": "id", "value": str(article.pk)}],
    }
    if article.published_at > now:
        item["embargoedUntil"] = _when(article.published_at)
    if article.lead:
        item["descriptions"] = [
            {"role": "summary", "contentType": "text/plain", "value": article.lead}
        ]
    if byline := ", ".join(
        author.get_full_name() or author.get_username()
        for author in sorted(article.authors.all(), key=lambda user: user.pk)
    ):
        item["by"] = byline
    if article.dateline_place:
        item["located"] = article.dateline_place
    if url := article.get_absolute_url():
        item["altIds"].append({"role": "url", "value": absolute(url)})
    if (image := article.main_image) and image.file:
        item["associations"] = [_picture(image, absolute, holder)]
    return item


def _subjects(article, absolute) -> list[dict]:
    sections = [article.section.parent, article.section] if article.section.parent_id else []
    sections = sections or [article.section]
    subjects = [
        {
            "name": section.name,
            "rel": "section",
            "literal": section.slug,
            "uri": absolute(reverse("articles:section", args=[section.slug])),
        }
        for section in sections
    ]
    subjects += [
        {
            "name": tag.name,
            "rel": "tag",
            "literal": tag.slug,
            "uri": absolute(reverse("articles:tag", args=[tag.slug])),
        }
        for tag in sorted(article.tags.all(), key=lambda tag: tag.name)
    ]
    return subjects


def _info_sources(article, absolute) -> list[dict]:
    """The source chain: the partner that wrote it, if any, then us."""
    agency = {"name": settings.AGENCY_NAME, "role": "distributor", "uri": absolute("/")}
    if source := article.source:
        origin = {"name": source.name, "role": "originator", "literal": source.slug}
        if source.website:
            origin["uri"] = source.website
        return [origin, agency]
    return [{**agency, "role": "originator"}]


def _picture(image, absolute, holder) -> dict:
    href = absolute(image.file.url)
    rendition = {
        "name": "original",
        "href": href,
        "contentType": mimetypes.guess_type(image.file.name)[0] or "application/octet-stream",
    }
    rendition.update(
        {
            key: value
            for key, value in [
                ("width", image.width),
                ("height", image.height),
                ("sizeInBytes", image.filesize),
            ]
            if value
        }
    )
    picture = {
        "name": "mainpicture",
        "rel": "main picture",
        "uri": href,
        "type": "picture",
        "descriptions": [{"role": "alt", "value": image.alt_text}],
        "copyrightHolder": image.credit or holder,
        "renditions": [rendition],
    }
    if image.caption:
        picture["headlines"] = [{"role": "caption", "value": image.caption}]
    if image.credit:
        picture["by"] = image.credit
    return picture


def ninjs_newsml(item: dict) -> bytes:
    """A ninjs item from article_ninjs as a NewsML-G2 2.35 newsItem."""

    def add(parent, name, text=None, **attributes):
        element = ET.SubElement(parent, name, attributes)
        if text is not None:
            element.text = text
        return element

    # Plain names under a default namespace declared on the root: the usual
    # shape of a NewsML-G2 document (ElementTree would add prefixes).
    root = ET.Element(
        "newsItem",
        {
            "xmlns": NAR,
            "guid": item["uri"],
            "version": "1",
            "standard": "NewsML-G2",
            "standardversion": "2.35",
            "conformance": "power",
            XML_LANG: item["language"],
        },
    )
    add(root, "catalogRef", href=IPTC_CATALOG)
    rights = add(root, "rightsInfo")
    add(add(rights, "copyrightHolder"), "name", item["copyrightHolder"])
    add(rights, "copyrightNotice", item["copyrightNotice"])
    add(rights, "usageTerms", item["usageTerms"])

    meta = add(root, "itemMeta")
    add(meta, "itemClass", qcode="ninat:text")
    add(meta, "provider", literal=settings.AGENCY_SHORT_NAME)
    add(meta, "versionCreated", item["versionCreated"])
    add(meta, "firstCreated", item["firstCreated"])
    if "embargoedUntil" in item:
        add(meta, "embargoed", item["embargoedUntil"])
    add(meta, "pubStatus", qcode=f"stat:{item['pubStatus']}")

    content = add(root, "contentMeta")
    add(content, "urgency", str(item["urgency"]))
    if "located" in item:
        add(add(content, "located"), "name", item["located"])
    for source in item["infoSources"]:
        if source["role"] == "originator":  # a party that only originated needs no role
            party = add(
                content, "infoSource", **({"uri": source["uri"]} if "uri" in source else {})
            )
            add(party, "name", source["name"])
    if "by" in item:
        add(add(content, "creator"), "name", item["by"])
    add(content, "language", tag=item["language"])
    for subject in item["subjects"]:
        concept = add(content, "subject", uri=subject["uri"])
        add(concept, "name", subject["name"])
    add(content, "slugline", item["slugline"])
    add(content, "headline", item["headlines"][0]["value"])
    if "by" in item:
        add(content, "by", item["by"])
    for description in item.get("descriptions", []):
        add(content, "description", description["value"], role="drol:summary")

    contents = add(root, "contentSet")
    for body in item["bodies"]:
        add(contents, "inlineData", body["value"], contenttype=body["contentType"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
