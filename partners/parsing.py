"""Reading the items of a partner's feed: RSS (0.9x, 1.0/RDF, 2.0) or Atom,
or ninjs JSON.

Feeds arrive as real partners make them: in legacy encodings, declared in the
document, only in the HTTP header, or nowhere; with HTML entities XML does
not know; with RSS 0.91's DOCTYPE. So a document is first decoded (by its
byte order mark, then its XML declaration, then the HTTP charset, then
detection) and put into plain UTF-8 XML: HTML named entities become
character references, the one known public DOCTYPE is dropped (nothing is
fetched or expanded). Only then is it checked with defusedxml, which still
refuses any other DTD (external entities, "billion laughs"), and read by
feedparser: both read the same bytes. The HTML of an item is kept as HTML,
its links made absolute against the item's or the feed's base;
Article.save() sanitises it with the editor's sanitiser.
"""

import codecs
import hashlib
import html
import html.entities
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin
from xml.etree.ElementTree import ParseError

import charset_normalizer
import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.dateparse import parse_datetime
from feedparser.urls import resolve_relative_uris

MAX_ITEMS = 500


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
    # The language the item declares ("ru", "ru-RU"), or the feed for it;
    # not part of the digest: it says where a new item goes, nothing more.
    language: str = ""

    @property
    def digest(self) -> str:
        """Changes when the partner changes the item's text."""
        text = json.dumps([self.headline, self.lead, self.body, self.located])
        return hashlib.sha256(text.encode()).hexdigest()


# Text ------------------------------------------------------------------------

# Elements whose content is never text a reader sees.
_INVISIBLE = {"script", "style", "template"}
# Something a person writing plain text does not type: a tag or a comment.
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|<!--")
# Control characters: invisible, and PostgreSQL refuses NUL in text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in _INVISIBLE
        self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _INVISIBLE and self.hidden:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def plain_text(markup: str) -> str:
    """The text a reader sees in ``markup`` (HTML): tags, comments, scripts
    and styles gone, entities decoded, white space collapsed."""
    parser = _TextParser()
    # A comment never closed hides the rest, as in a browser.
    closed = markup.rfind("-->")
    if (start := markup.find("<!--", closed + 3 if closed != -1 else 0)) != -1:
        markup = markup[:start]
    parser.feed(markup)
    parser.close()
    return " ".join(_CONTROL.sub("", "".join(parser.parts)).split())


def text_of(value: str, *, is_html: bool | None = None) -> str:
    """A headline or a summary as plain text. Where the feed does not say
    for sure (``is_html`` None), text that carries markup is read as HTML:
    partners send escaped HTML in plain-text fields, and a headline never
    means to show "<script>" or a comment."""
    if is_html or (is_html is None and _MARKUP.search(value)):
        return plain_text(value)
    return " ".join(_CONTROL.sub("", value).split())


def text_html(text: str) -> str:
    """Plain text as HTML: a paragraph per line."""
    lines = (" ".join(line.split()) for line in _CONTROL.sub("", text).splitlines())
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines if line)


# Decoding --------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16's, which it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# How "<" or "<?" starts a document in UTF-32 or UTF-16 without a byte order
# mark (XML 1.0, appendix F): the declaration can be read only in that encoding.
_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")
# Labels that mean a larger encoding in practice, read as browsers do (the
# WHATWG Encoding Standard): "ISO-8859-1" feeds carry Windows quotes and
# dashes, "GB2312" feeds GBK characters, "Big5" ones the HKSCS additions.
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}


def _codec(label: str | None) -> str | None:
    """The Python codec for an encoding label, or None for one unknown."""
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def document_decode(body: bytes, *, charset: str = "", xml: bool = True) -> str:
    """The text of a document: by its byte order mark, then (for XML) its
    declaration, then the HTTP ``charset``, then UTF-8 or, failing that,
    detection. A label whose decoding fails or does not begin like the
    document is passed over for the next."""
    if not body.strip():
        raise FeedParseError("the document is empty")
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            try:
                return body[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise FeedParseError(f"not valid {encoding}: {error}") from None
    labels = []
    if xml:
        labels += [encoding for start, encoding in _WIDE_STARTS if body.startswith(start)]
        if declared := _DECLARED.match(body):
            labels.append(declared.group(1).decode("ascii"))
    labels += [charset, "utf-8"]
    first = ("<",) if xml else ("{", "[")
    decoded = False
    for codec in dict.fromkeys(map(_codec, labels)):
        try:
            text = body.decode(codec) if codec else None
        except UnicodeDecodeError:
            continue
        if text is not None and text.lstrip().startswith(first):
            return text
        decoded = decoded or text is not None
    if decoded:
        raise FeedParseError(f"not {'an XML' if xml else 'a JSON'} document")
    guess = charset_normalizer.from_bytes(body).best()
    if guess is None or not str(guess).lstrip().startswith(first):
        raise FeedParseError("cannot tell the character encoding of the document")
    return str(guess)


# Making real-world XML plain -------------------------------------------------

_XML_DECLARATION = re.compile(r"\A<\?xml\s[^>]*\?>")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PROLOG = re.compile(r"(?:\s+|<!--.*?-->|<\?.*?\?>)*", re.DOTALL)
# A DOCTYPE naming a public DTD, with no internal subset (no "[...]"): one in
# the list below is dropped unread; anything else stays, and is refused.
_DOCTYPE = re.compile(
    r"""<!DOCTYPE\s+(\w+)\s+PUBLIC\s+(?:"([^"]*)"|'([^']*)')(?:\s+(?:"[^"]*"|'[^']*'))?\s*>"""
)
KNOWN_DOCTYPES = {("rss", "-//Netscape Communications//DTD RSS 0.91//EN")}
# Text that XML takes as written, by how it opens and closes: character
# data and comments.
_VERBATIM = {"<![CDATA[": "]]>", "<!--": "-->"}
_REFERENCE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));|&")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}


def _xml_char(code: int) -> str:
    """A character reference XML accepts for ``code``, read as HTML reads it
    (128-159 are the Windows-1252 characters), or nothing."""
    if 0x80 <= code <= 0x9F:
        try:
            code = ord(bytes([code]).decode("cp1252"))
        except UnicodeDecodeError:
            return ""
    legal = (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    return f"&#{code};" if legal else ""


def _reference(match: re.Match) -> str:
    decimal, hexadecimal, name = match.groups()
    if decimal or hexadecimal:
        return _xml_char(int(decimal, 10) if decimal else int(hexadecimal, 16))
    if name is None:
        return "&amp;"  # a bare "&", as in "AT&T"
    if name in _XML_ENTITIES:
        return match.group()
    if (characters := html.entities.html5.get(f"{name};")) is None:
        return f"&amp;{name};"  # not an entity anyone knows: shown as written
    return "".join(f"&#{ord(character)};" for character in characters)


def _entities_map(text: str) -> str:
    """HTML's named entities as numeric character references, which XML
    knows without a DTD; character data and comments left as they are.
    (Found with str.find, in one pass: a regular expression would scan to
    the end again for every unclosed "<![CDATA[".)"""
    parts, position = [], 0
    upcoming = {opener: text.find(opener) for opener in _VERBATIM}
    while True:
        for opener, at in upcoming.items():
            if -1 < at < position:
                upcoming[opener] = text.find(opener, position)
        found = [(at, opener) for opener, at in upcoming.items() if at != -1]
        if not found:
            break
        start, opener = min(found)
        stop = text.find(_VERBATIM[opener], start + len(opener))
        stop = len(text) if stop == -1 else stop + len(_VERBATIM[opener])
        parts += [_REFERENCE.sub(_reference, text[position:start]), text[start:stop]]
        position = stop
    parts.append(_REFERENCE.sub(_reference, text[position:]))
    return "".join(parts)


def _known_doctype_drop(text: str) -> str:
    prolog_end = _PROLOG.match(text).end()
    doctype = _DOCTYPE.match(text, prolog_end)
    if doctype and (doctype.group(1), doctype.group(2) or doctype.group(3)) in KNOWN_DOCTYPES:
        return text[: doctype.start()] + text[doctype.end() :]
    return text


def xml_prepare(body: bytes, *, charset: str = "") -> bytes:
    """The document as plain UTF-8 XML (see the module's docstring)."""
    text = document_decode(body, charset=charset).lstrip()
    # Declared as UTF-8 now; white space before it (PHP's favourite) is gone.
    text = '<?xml version="1.0" encoding="utf-8"?>' + _XML_DECLARATION.sub("", text, count=1)
    text = _known_doctype_drop(_ILLEGAL_XML.sub("", text))
    return _entities_map(text).encode("utf-8")


def xml_check(body: bytes) -> None:
    """Refuse XML that is malformed or has a DTD (and so entities)."""
    try:
        safe_fromstring(body, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedParseError(f"unsafe XML refused: {type(error).__name__}") from None
    except ParseError as error:
        raise FeedParseError(f"not well-formed XML: {error}") from None


# RSS and Atom ----------------------------------------------------------------


def rss_parse(body: bytes, *, url: str = "", charset: str = "") -> list[FeedEntry]:
    """The entries of an RSS or Atom document fetched from ``url`` (the base
    of relative links), ``charset`` being what the HTTP header said."""
    document = xml_prepare(body, charset=charset)
    xml_check(document)
    # A stream, never bytes or a string, which feedparser might take for a
    # URL or a file name to open. The base is an opaque URI, not the feed's
    # address: against a real one feedparser would make a GUID such as
    # "wire-2" absolute (and the item a new one); against none it keeps one
    # entry's xml:base for the entries after it. Links are made absolute
    # against the feed's address afterwards.
    feed = feedparser.parse(
        io.BytesIO(document),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": _OPAQUE_BASE,
        },
    )
    if not feed.version:
        raise FeedParseError("not an RSS or Atom feed")
    # RSS's <language> (or dc:language) for the channel; Atom's xml:lang
    # reaches each entry's title_detail.
    language = feed.feed.get("language") or ""
    return [_rss_entry(entry, url=url, language=language) for entry in feed.entries[:MAX_ITEMS]]


_OPAQUE_BASE = "urn:newsportal:feed"


def _rss_entry(entry, *, url: str, language: str = "") -> FeedEntry:
    summary = entry.get("summary_detail") or {}
    content = next((c for c in entry.get("content", []) if c.get("value")), None)
    if full_text := _full_text(entry):
        # Yandex.News feeds (1C-Bitrix and most Russian-language agencies)
        # carry the whole story as plain text beside a short description.
        content = {"type": "text/plain", "value": full_text}
    elif content and "media_content" in entry and _shorter(content, summary):
        # feedparser files Media RSS's media:description (a photo caption)
        # as the content when a description came first: that is the story.
        content, summary = summary, {}
    return FeedEntry(
        guid=(entry.get("id") or entry.get("link") or "").strip(),
        headline=_detail_text(entry.get("title_detail") or {}),
        lead=_detail_text(summary) if content else "",
        body=_detail_html(content or summary, url=url),
        # dict.get: feedparser's own get warns when it maps one to the other.
        published_at=_struct_time(
            dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        ),
        language=_text(
            dict.get(entry, "language")  # the item's dc:language
            or (entry.get("title_detail") or {}).get("language")  # xml:lang
            or language
        ).strip(),
    )


def _shorter(detail, other) -> bool:
    return len(detail.get("value", "")) < len(other.get("value", ""))


def _full_text(entry) -> str:
    """yandex:full-text, under whatever prefix the feed gives its namespace."""
    texts = (v for k, v in entry.items() if k.endswith("_full-text") and isinstance(v, str))
    return next((text for text in texts if text.strip()), "")


def _detail_text(detail) -> str:
    # feedparser guesses "text/plain" for RSS, so only "html" is for sure.
    return text_of(detail.get("value", ""), is_html="html" in detail.get("type", "") or None)


def _detail_html(detail, *, url: str) -> str:
    """The HTML of a summary or content, its links made absolute against
    its xml:base (which feedparser tracks) or else the feed's address."""
    value = detail.get("value", "")
    if "html" not in detail.get("type", "html"):
        return text_html(value)
    base = detail.get("base", "")
    return links_resolve(value, base=url if base == _OPAQUE_BASE else urljoin(url, base))


def links_resolve(markup: str, *, base: str) -> str:
    """``markup`` with its relative links and image addresses made absolute."""
    if not (base and markup):
        return markup
    return resolve_relative_uris(markup, base, "utf-8", "text/html")


def _struct_time(moment) -> datetime | None:
    try:
        return datetime(*moment[:6], tzinfo=UTC) if moment else None
    except (ValueError, OverflowError):
        return None  # feedparser read a date that does not exist


# ninjs -----------------------------------------------------------------------


def ninjs_parse(body: bytes, *, url: str = "", charset: str = "") -> list[FeedEntry]:
    """The items of a ninjs document: one item, a list of items, or an object
    listing them under "items" or "results" (as our own API does)."""
    try:
        document = json.loads(document_decode(body, charset=charset, xml=False))
    except (ValueError, RecursionError) as error:
        raise FeedParseError(f"not JSON: {error}") from None
    if isinstance(document, dict) and "uri" not in document:
        document = document.get("items", document.get("results"))
    elif isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise FeedParseError("no ninjs items found")
    entries = (_ninjs_entry(item, base=url) for item in document[:MAX_ITEMS])
    return [entry for entry in entries if entry is not None]


def _ninjs_entry(item, *, base: str) -> FeedEntry | None:
    """The entry for a ninjs item; None for one withheld or cancelled."""
    if not isinstance(item, dict):
        return FeedEntry(guid="", headline="")  # counted as a failed item
    if item.get("pubStatus", "usable") != "usable":
        return None
    bodies = _values(item.get("bodies"))
    html_body = next((v for ct, v in bodies if "html" in ct), "") or _text(item.get("body_html"))
    if not html_body:
        html_body = text_html(next((v for ct, v in bodies if "html" not in ct), ""))
    html_body = links_resolve(html_body, base=base)
    headline = next((v for _, v in _values(item.get("headlines"))), "")
    lead, lead_type = next(((v, ct) for ct, v in _values(item.get("descriptions"))), ("", ""))
    return FeedEntry(
        guid=_text(item.get("uri")).strip(),
        headline=text_of(headline or _text(item.get("headline"))),
        lead=text_of(
            lead or _text(item.get("description_text")),
            is_html=("html" in lead_type) if lead_type else None,
        ),
        body=html_body,
        located=text_of(_text(item.get("located"))),
        published_at=_moment(item.get("firstCreated") or item.get("versionCreated")),
        embargoed_until=_moment(item.get("embargoedUntil")),
        language=_text(item.get("language")).strip(),
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
