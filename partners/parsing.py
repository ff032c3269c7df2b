"""Reading the items of a partner's feed: RSS or Atom, or ninjs JSON.

XML is checked with defusedxml first, so a document with a DTD (external
entities, "billion laughs") is refused before any parser expands anything;
only then does feedparser read it. The HTML of an item is taken as it is:
Article.save() sanitises it with the editor's sanitiser.
"""

import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.dateparse import parse_datetime

MAX_ITEMS = 500
_TAG = re.compile(r"<[^>]*>")


class FeedParseError(Exception):
    """The document is not a feed we can read, or not a safe one."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    headline: str
    lead: str = ""
    body: str = ""
    located: str = ""
    published_at: datetime | None = None
    embargoed_until: datetime | None = None

    @property
    def digest(self) -> str:
        """Changes when the partner changes the item's text."""
        text = json.dumps([self.headline, self.lead, self.body, self.located])
        return hashlib.sha256(text.encode()).hexdigest()


def plain_text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def xml_check(body: bytes) -> None:
    """Refuse XML that is malformed or has a DTD (and so entities)."""
    try:
        safe_fromstring(body, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedParseError(f"unsafe XML refused: {type(error).__name__}") from None
    except ParseError as error:
        raise FeedParseError(f"not well-formed XML: {error}") from None


def rss_parse(body: bytes) -> list[FeedEntry]:
    """The entries of an RSS or Atom document."""
    xml_check(body)
    # A stream, never bytes or a string, which feedparser might take for a
    # URL or a file name to open.
    feed = feedparser.parse(io.BytesIO(body))
    if not feed.version:
        raise FeedParseError("not an RSS or Atom feed")
    entries = []
    for entry in feed.entries[:MAX_ITEMS]:
        summary = entry.get("summary", "")
        content = next((c.value for c in entry.get("content", []) if c.get("value")), "")
        moment = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            FeedEntry(
                guid=entry.get("id") or entry.get("link") or "",
                headline=plain_text(entry.get("title", "")),
                lead=plain_text(summary) if content else "",
                body=content or summary,
                published_at=datetime(*moment[:6], tzinfo=UTC) if moment else None,
            )
        )
    return entries


def ninjs_parse(body: bytes) -> list[FeedEntry]:
    """The items of a ninjs document: one item, a list of items, or an object
    listing them under "items" or "results" (as our own API does)."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise FeedParseError(f"not JSON: {error}") from None
    if isinstance(document, dict) and "uri" not in document:
        document = document.get("items", document.get("results"))
    elif isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise FeedParseError("no ninjs items found")
    entries = (_ninjs_entry(item) for item in document[:MAX_ITEMS])
    return [entry for entry in entries if entry is not None]


def _ninjs_entry(item) -> FeedEntry | None:
    """The entry for a ninjs item; None for one withheld or cancelled."""
    if not isinstance(item, dict):
        return FeedEntry(guid="", headline="")  # counted as a failed item
    if item.get("pubStatus", "usable") != "usable":
        return None
    bodies = _values(item.get("bodies"))
    html_body = next((v for ct, v in bodies if "html" in ct), "")
    text_body = next((v for ct, v in bodies if "html" not in ct), "")
    if not html_body and text_body:
        html_body = "".join(f"<p>{html.escape(p)}</p>" for p in text_body.split("\n") if p)
    headline = next((v for _, v in _values(item.get("headlines"))), "")
    lead = next((v for _, v in _values(item.get("descriptions"))), "")
    return FeedEntry(
        guid=_text(item.get("uri")),
        headline=plain_text(headline or _text(item.get("headline"))),
        lead=plain_text(lead or _text(item.get("description_text"))),
        body=html_body or _text(item.get("body_html")),
        located=_text(item.get("located")),
        published_at=_moment(item.get("firstCreated") or item.get("versionCreated")),
        embargoed_until=_moment(item.get("embargoedUntil")),
    )


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _values(blocks) -> list[tuple[str, str]]:
    """(contentType, value) of a ninjs array of headlines, bodies, ..."""
    if not isinstance(blocks, list):
        return []
    return [
        (_text(block.get("contentType")).lower(), block["value"])
        for block in blocks
        if isinstance(block, dict) and isinstance(block.get("value"), str) and block["value"]
    ]


def _moment(value) -> datetime | None:
    try:
        moment = parse_datetime(_text(value))
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment
