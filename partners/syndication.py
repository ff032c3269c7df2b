"""Our articles in the industry's formats: IPTC ninjs 3.1 (JSON) and, built
from the same data, a NewsML-G2 2.35 newsItem (XML)."""

import mimetypes
from datetime import UTC, datetime
from html.parser import HTMLParser
from xml.etree import ElementTree as ET  # noqa: S405 (builds XML, never parses it)

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from editions.selectors import edition_get, edition_url

from .parsing import plain_text

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"
URGENCY_BREAKING, URGENCY_TOP, URGENCY_NORMAL = 1, 3, 5
# A country's identifier: its ISO 3166-1 alpha-2 code on ISO's own pages.
ISO_3166 = "https://www.iso.org/obp/ui/#iso:code:3166:"
# IPTC genre of all our news (http://cv.iptc.org/newscodes/genre/).
GENRE = {
    "name": "Current Events",
    "uri": "http://cv.iptc.org/newscodes/genre/Current",
    "literal": "genre:Current",
}
# Roles of the source chain and of authors: IPTC Content Production Party
# Roles (http://cv.iptc.org/newscodes/contentprodpartyrole/).
ROLE_ORIGINATOR, ROLE_DISTRIBUTOR, ROLE_AUTHOR = "originfo", "distributor", "author"


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def article_ninjs(article: Article, *, request, now: datetime | None = None) -> dict:
    """The article as a ninjs 3.1 item. ``request`` makes the links
    absolute; the article needs its section (and parent), source, main image,
    tags and authors loaded (see article_syndication_list). It is in its
    edition's language, and its pages' addresses are its edition's (under
    its prefix, or on its host)."""
    now = now or timezone.now()
    absolute = request.build_absolute_uri
    edition = edition_get(article.edition_id)

    def public(path: str) -> str:
        return edition_url(edition, path, request) if edition else absolute(path)

    source = article.source
    holder = source.name if source else settings.AGENCY_NAME
    version_created = max(article.updated_at, min(article.published_at, now))
    canceled = article.status == Article.Status.WITHDRAWN
    text = plain_text(article.body)
    item = {
        "uri": absolute(reverse("api:item-detail", args=[article.pk])),
        "type": "text",
        "representationType": "full",
        # Every save counts the version up, and so does a partner's copy.
        "version": str(article.version),
        # Written before it was published (or embargoed): created then.
        "firstCreated": _when(min(article.created_at, version_created)),
        "contentCreated": _when(min(article.created_at, version_created)),
        # Going public at its scheduled time makes a new version too.
        "versionCreated": _when(version_created),
        "pubStatus": "canceled" if canceled else "usable",
        "urgency": URGENCY_BREAKING
        if article.is_breaking
        else (URGENCY_TOP if article.is_top_story else URGENCY_NORMAL),
        "copyrightHolder": holder,
        "copyrightNotice": f"© {article.published_at.year} {holder}",
        "usageTerms": (source.usage_terms if source else "") or settings.PARTNER_USAGE_TERMS,
        "language": article.edition_id,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {
                "role": "richtext",
                "contentType": "text/html",
                "wordCount": len(text.split()),
                "value": article.body,
            },
            # The same text without markup, for systems that take no HTML.
            {
                "role": "plaintext",
                "contentType": "text/plain",
                "wordCount": len(text.split()),
                "value": text,
            },
        ],
        "subjects": _subjects(article, public),
        "genres": [GENRE],
        "infoSources": _info_sources(article, public),
        "altIds": [{"role": "id", "value": str(article.pk)}],
    }
    if notes := _editorial_notes(article, canceled=canceled):
        item["edNote"] = notes
    if article.published_at > now:
        item["embargoedUntil"] = _when(article.published_at)
    if article.lead:
        item["descriptions"] = [
            {"role": "summary", "contentType": "text/plain", "value": article.lead}
        ]
    authors = [
        author.get_full_name() or author.get_username()
        for author in sorted(article.authors.all(), key=lambda user: user.pk)
    ]
    if authors:
        item["by"] = ", ".join(authors)
        item["people"] = [{"name": name, "rel": ROLE_AUTHOR} for name in authors]
    if article.dateline_place.strip():
        item.update(_located(article))
    if url := article.get_absolute_url():
        item["altIds"].append({"role": "url", "value": public(url)})
    if (image := article.main_image) and image.file:
        item["associations"] = [_picture(image, absolute, holder)]
    if canceled:
        # A kill notice: who took it and why, never the text to print again.
        for name in ("bodies", "descriptions", "associations"):
            item.pop(name, None)
    return item


def _located(article) -> dict:
    """Where it was filed: "Minsk, Belarus", with the places (the country's
    ISO 3166 URI), when the Place table knows the dateline; else the
    dateline's place as a name ("Pinsk"), never shouted."""
    if not getattr(article, "place_name", None):
        return {"located": article.dateline_place.strip().title()}
    code = article.place_country_code
    return {
        "located": f"{article.place_name}, {article.place_country}",
        "places": [
            {"name": article.place_name, "rel": "located"},
            {
                "name": article.place_country,
                "rel": "country",
                "literal": code,
                "uri": ISO_3166 + code,
            },
        ],
    }


def _editorial_notes(article, *, canceled: bool) -> str:
    """For the receiving newsroom, not for print: why the item was
    withdrawn, and each correction with its date."""
    notes = []
    if canceled:
        reason = article.withdrawn_reason.strip()
        notes.append(f"Withdrawn: {reason}" if reason else "Withdrawn. Do not use.")
    notes += [
        f"Correction of {_when(correction.created_at)}: {correction.text.strip()}"
        for correction in article.corrections.all()
    ]
    return "\n".join(notes)


def _media_topic(section):
    """The section's IPTC Media Topic, else its parent's, else None."""
    topic = getattr(section, "media_topic", None)
    if topic is None and section.parent_id:
        topic = getattr(section.parent, "media_topic", None)
    return topic


def _subjects(article, public) -> list[dict]:
    subjects = []
    if topic := _media_topic(article.section):
        subjects.append(
            {"name": topic.name, "rel": "mediatopic", "literal": topic.qcode, "uri": topic.uri}
        )
    sections = [article.section.parent, article.section] if article.section.parent_id else []
    sections = sections or [article.section]
    subjects += [
        {
            "name": section.name,
            "rel": "section",
            "literal": section.slug,
            "uri": public(section.get_absolute_url()),
        }
        for section in sections
    ]
    with translation.override(article.edition_id):  # the tag's page in the edition
        subjects += [
            {
                "name": tag.name,
                "rel": "tag",
                "literal": tag.slug,
                "uri": public(reverse("articles:tag", args=[tag.slug])),
            }
            for tag in sorted(article.tags.all(), key=lambda tag: tag.name)
        ]
    return subjects


def _info_sources(article, public) -> list[dict]:
    """The source chain: the partner that wrote it, if any, then us."""
    agency = {
        "name": settings.AGENCY_NAME,
        "role": ROLE_DISTRIBUTOR,
        "literal": settings.AGENCY_SHORT_NAME,
        "uri": public("/"),
    }
    if source := article.source:
        origin = {"name": source.name, "role": ROLE_ORIGINATOR, "literal": source.slug}
        if source.website:
            origin["uri"] = source.website
        return [origin, agency]
    return [{**agency, "role": ROLE_ORIGINATOR}]


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
        "renditions": [rendition] + _picture_renditions(image, absolute),
    }
    if image.caption:
        picture["headlines"] = [{"role": "caption", "value": image.caption}]
    if image.credit:
        picture["by"] = image.credit
    return picture


def _picture_renditions(image, absolute) -> list[dict]:
    """The picture's resized renditions (JPEG and WebP), once they are made."""
    return [
        {
            "name": f"{rendition.width}w-{kind}",
            "href": absolute(href),
            "contentType": f"image/{kind}",
            "width": rendition.width,
            "height": rendition.height,
        }
        for rendition in image.renditions()
        for kind, href in (("jpeg", rendition.url), ("webp", rendition.webp_url))
    ]


class _XHTMLBuilder(HTMLParser):
    """Builds ElementTree elements from sanitised body HTML (whose tags are
    those of BODY_EXTENSIONS): XHTML, for inlineXML."""

    VOID = {"br", "hr", "img", "col", "wbr"}

    def __init__(self, root):
        super().__init__(convert_charrefs=True)
        self.stack = [root]

    def handle_starttag(self, tag, attrs):
        element = ET.SubElement(self.stack[-1], tag, {name: value or "" for name, value in attrs})
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        ET.SubElement(self.stack[-1], tag, {name: value or "" for name, value in attrs})

    def handle_endtag(self, tag):
        open_tags = [element.tag for element in self.stack[1:]]
        if tag in open_tags:  # an end tag nothing opened is dropped
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def xhtml_document(*, title: str, body: str) -> ET.Element:
    """The body HTML as an XHTML document (namespaced, every element
    closed), the way inlineXML carries it."""
    html = ET.Element("html", {"xmlns": XHTML})
    ET.SubElement(ET.SubElement(html, "head"), "title").text = title
    builder = _XHTMLBuilder(ET.SubElement(html, "body"))
    builder.feed(body)
    builder.close()
    return html


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
            "version": item["version"],
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
    if "edNote" in item:
        add(meta, "edNote", item["edNote"])
    for picture in item.get("associations", []):
        for rendition in picture["renditions"]:
            link = add(
                meta,
                "link",
                rel="irel:seeAlso",
                href=rendition["href"],
                contenttype=rendition["contentType"],
            )
            add(link, "itemClass", qcode="ninat:picture")
            if picture.get("headlines"):
                add(link, "title", picture["headlines"][0]["value"])

    content = add(root, "contentMeta")
    add(content, "urgency", str(item["urgency"]))
    add(content, "contentCreated", item["contentCreated"])
    if "places" in item:
        city, country = item["places"]
        located = add(content, "located", type="loctyp:City")
        add(located, "name", city["name"])
        broader = add(located, "broader", type="loctyp:Country", uri=country["uri"])
        add(broader, "name", country["name"])
    elif "located" in item:
        add(add(content, "located", type="loctyp:City"), "name", item["located"])
    for source in item["infoSources"]:
        party = {"role": f"cpprole:{source['role']}", "literal": source["literal"]}
        party = add(
            content, "infoSource", **party, **({"uri": source["uri"]} if "uri" in source else {})
        )
        add(party, "name", source["name"])
    for person in item.get("people", []):
        add(add(content, "creator", role=f"cpprole:{person['rel']}"), "name", person["name"])
    add(content, "language", tag=item["language"])
    for genre in item["genres"]:
        add(add(content, "genre", qcode=genre["literal"]), "name", genre["name"])
    # Only concepts of an IPTC vocabulary are subjects (ingest systems drop
    # the rest); our sections and tags go as keywords.
    for subject in item["subjects"]:
        if subject["rel"] == "mediatopic":
            add(add(content, "subject", qcode=subject["literal"]), "name", subject["name"])
    for subject in item["subjects"]:
        if subject["rel"] != "mediatopic":
            add(content, "keyword", subject["name"])
    add(content, "slugline", item["slugline"])
    add(content, "headline", item["headlines"][0]["value"])
    if "by" in item:
        add(content, "by", item["by"])
    for description in item.get("descriptions", []):
        add(content, "description", description["value"], role="drol:summary")

    for body in item.get("bodies", []):
        if body["contentType"] == "text/html":
            contents = add(root, "contentSet")
            inline = add(
                contents,
                "inlineXML",
                contenttype="application/xhtml+xml",
                wordcount=str(body["wordCount"]),
            )
            inline.append(xhtml_document(title=item["headlines"][0]["value"], body=body["value"]))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
