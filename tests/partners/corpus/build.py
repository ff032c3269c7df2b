"""Writes the feed corpus (feeds/*.xml) and its manifest (manifest.json).

Run it after changing a shape or the texts: `.venv/bin/python
tests/partners/corpus/build.py`. Each shape is modelled on what a real
publishing system sends (WordPress, 1C-Bitrix, Drupal, Joomla, Blogger,
Hugo, Jekyll, FeedBurner, podcast and agency feeds, every RSS and Atom
version); each is written in several languages, encodings and ways of saying
the encoding (in the document, only in HTTP, nowhere, with a byte order
mark). The manifest pins what importing each file must give. Everything here
was written for this project.
"""

import gzip
import html
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from texts import TEXTS

HERE = Path(__file__).resolve().parent
FEEDS = HERE / "feeds"
# The test clock is 2026-11-29 09:00 UTC: items are from the hours before.
BASE_TIME = datetime(2026, 11, 29, 7, 30, tzinfo=UTC)
MSK = timezone(timedelta(hours=3))  # the dates are written as a Minsk newsroom writes them
IANA = {  # how a declaration names each encoding
    "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "windows-1251": "windows-1251",
    "koi8-r": "KOI8-R", "koi8-u": "KOI8-U", "iso-8859-5": "ISO-8859-5", "cp866": "IBM866",
    "gb2312": "GB2312", "gbk": "GBK", "gb18030": "GB18030", "big5": "Big5",
    "shift_jis": "Shift_JIS", "euc-jp": "EUC-JP", "iso-2022-jp": "ISO-2022-JP",
    "euc-kr": "EUC-KR", "windows-1256": "windows-1256", "iso-8859-6": "ISO-8859-6",
    "windows-1255": "windows-1255", "iso-8859-8": "ISO-8859-8", "iso-8859-7": "ISO-8859-7",
    "windows-1253": "windows-1253", "iso-8859-2": "ISO-8859-2", "windows-1250": "windows-1250",
    "iso-8859-9": "ISO-8859-9", "windows-1254": "windows-1254", "iso-8859-1": "ISO-8859-1",
    "windows-1252": "windows-1252", "iso-8859-15": "ISO-8859-15", "tis-620": "TIS-620",
    "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32",
}  # fmt: skip
# What the bytes are really written in: "ISO-8859-1" feeds carry Windows
# quotes and dashes, as real ones do.
REAL_CODEC = {"iso-8859-1": "cp1252", "gb2312": "gb18030"}


def x(text):
    return html.escape(text, quote=False)


def esc(template, item):
    """``template`` filled with the item's texts as HTML, escaped for XML."""
    return x(template.format(**{k: x(v) if isinstance(v, str) else v for k, v in item.items()}))


PARAGRAPH = "<p>{paragraph}</p>"
TWO_PARAGRAPHS = "<p>{lead}</p><p>{paragraph}</p>"
HUGO_HTML = "<p>{lead}</p>\n<p>{paragraph}</p>"
DRUPAL_HTML = '<p>{lead}</p><p>{paragraph} <a href="/node/{id}">Read more</a></p>'
BLOGGER_HTML = '<div dir="ltr">{lead}<br /><br />{paragraph}</div>'
FEEDBURNER_HTML = (
    "<p>{lead}</p><p>{paragraph}</p>"
    '<img src="https://feeds.wire.example/~r/wire/~4/{id}" height="1" width="1" alt=""/>'
)
JEKYLL_HTML = '<p>{paragraph}</p><p><img src="pic.png" alt=""></p>'
RELEASE_HTML = "<ul><li>{lead}</li><li>{paragraph}</li></ul>"
REDDIT_HTML = '<table><tr><td>{lead}</td></tr></table><div class="md"><p>{paragraph}</p></div>'


def items_of(lang, slug):
    result = []
    for n, (headline, lead, paragraph) in enumerate(TEXTS[lang]):
        moment = BASE_TIME - timedelta(hours=3 * n, minutes=7 * n)
        result.append(
            {
                "headline": headline, "lead": lead, "paragraph": paragraph,
                "guid": f"https://{slug}.example/news/{lang}/{n + 1}",
                "link": f"https://{slug}.example/news/{lang}/{n + 1}.html",
                "id": n + 1001, "moment": moment,
                "rfc822": moment.astimezone(MSK).strftime("%a, %d %b %Y %H:%M:%S +0300"),
                "iso": moment.isoformat().replace("+00:00", "Z"),
            }
        )  # fmt: skip
    return result


def rss2(channel_extra, items_xml, ns="", title="Wire", link="https://wire.example/"):
    return (
        f'<rss version="2.0"{ns}><channel><title>{x(title)}</title><link>{link}</link>'
        f"<description>News</description>{channel_extra}{items_xml}</channel></rss>"
    )


# Shapes: each takes (items, lang) and returns the document (without its XML
# declaration) -------------------------------------------------------------


def wordpress(items, lang):
    ns = (
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
        ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
    )
    extra = (
        '<atom:link href="https://wire.example/feed/" rel="self" type="application/rss+xml" />'
        f"<lastBuildDate>{items[0]['rfc822']}</lastBuildDate><language>{lang}</language>"
        "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>"
        "<generator>https://wordpress.org/?v=6.4.2</generator>"
    )
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f"<comments>{i['link']}#respond</comments>"
        f"<dc:creator><![CDATA[editor]]></dc:creator><pubDate>{i['rfc822']}</pubDate>"
        f"<category><![CDATA[News]]></category>"
        f'<guid isPermaLink="false">https://wire.example/?p={i["id"]}</guid>'
        f"<description><![CDATA[{x(i['lead'])} [&#8230;]]]></description>"
        f"<content:encoded><![CDATA[<p>{x(i['lead'])}</p>\n<p>{x(i['paragraph'])}</p>\n]]></content:encoded>"
        f"<wfw:commentRss>{i['link']}feed/</wfw:commentRss><slash:comments>0</slash:comments></item>"
        for i in items
    )
    return rss2(extra, body, ns)


def bitrix(items, lang):
    ns = ' xmlns:yandex="http://news.yandex.ru" xmlns:media="http://search.yahoo.com/mrss/"'
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f"<description>{x(i['lead'])}</description>"
        f'<enclosure url="https://wire.example/upload/iblock/{i["id"]}.jpg" length="48211" type="image/jpeg"/>'
        f"<category>Новости</category><pubDate>{i['rfc822']}</pubDate>"
        f"<yandex:full-text>{x(i['lead'])} {x(i['paragraph'])}</yandex:full-text></item>"
        for i in items
    )
    return rss2("<language>ru</language>", body, ns, title="Новости")


def drupal(items, lang):
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>https://wire.example/node/{i['id']}</link>"
        f"<description>{esc(DRUPAL_HTML, i)}</description>"
        f"<pubDate>{i['rfc822']}</pubDate><dc:creator>admin</dc:creator>"
        f'<guid isPermaLink="false">{i["id"]} at https://wire.example</guid></item>'
        for i in items
    )
    return (
        '<rss version="2.0" xml:base="https://wire.example/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Wire</title><link>https://wire.example/</link><description></description>"
        f"<language>{lang}</language>{body}</channel></rss>"
    )


def joomla(items, lang):
    body = "".join(
        f'<item><title>{x(i["headline"])}</title><link>{i["link"]}</link><guid isPermaLink="true">{i["link"]}</guid>'
        f"<description>{esc(TWO_PARAGRAPHS, i)}</description>"
        f"<author>news@wire.example (Newsroom)</author><category>Economy</category>"
        f"<pubDate>{i['rfc822']}</pubDate></item>"
        for i in items
    )
    extra = "<generator>Joomla! - Open Source Content Management</generator>"
    return rss2(extra, body, ' xmlns:atom="http://www.w3.org/2005/Atom"')


def blogger(items, lang):
    body = "".join(
        f"<entry><id>tag:blogger.com,1999:blog-2468.post-{i['id']}</id>"
        f"<published>{i['iso']}</published><updated>{i['iso']}</updated>"
        f'<category scheme="http://www.blogger.com/atom/ns#" term="news"/>'
        f'<title type="text">{x(i["headline"])}</title>'
        f'<content type="html">{esc(BLOGGER_HTML, i)}</content>'
        f'<link rel="alternate" type="text/html" href="{i["link"]}" title="{html.escape(i["headline"])}"/>'
        f"<author><name>Wire</name></author><thr:total>0</thr:total></entry>"
        for i in items
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:openSearch="http://a9.com/-/spec/opensearchrss/1.0/"'
        ' xmlns:thr="http://purl.org/syndication/thread/1.0">'
        f"<id>tag:blogger.com,1999:blog-2468</id><updated>{items[0]['iso']}</updated>"
        f'<title type="text">Wire</title><link rel="alternate" href="https://wire.example/"/>'
        f'<generator version="7.00" uri="http://www.blogger.com">Blogger</generator>'
        f"<openSearch:totalResults>3</openSearch:totalResults>{body}</feed>"
    )


def cdata(items, lang):
    ns = ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    body = "".join(
        f"<item><title><![CDATA[{i['headline']}]]></title>"
        f"<description><![CDATA[{x(i['lead'])}]]></description><link>{i['link']}</link>"
        f'<guid isPermaLink="false">{i["guid"]}</guid><dc:creator><![CDATA[Wire staff]]></dc:creator>'
        f"<pubDate>{i['moment'].strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f'<content:encoded><![CDATA[<h3>{x(i["lead"])}</h3><p>{x(i["paragraph"])}</p><figure><img src="https://cdn.wire.example/{i["id"]}.jpg"></figure>]]></content:encoded></item>'
        for i in items
    )
    return rss2("<generator>Substack</generator>", body, ns)


def rdf10(items, lang):
    seq = "".join(f'<rdf:li rdf:resource="{i["link"]}"/>' for i in items)
    body = "".join(
        f'<item rdf:about="{i["link"]}"><title>{x(i["headline"])}</title><link>{i["link"]}</link>'
        f"<description>{x(i['lead'])}</description><dc:date>{i['moment'].astimezone(MSK).isoformat()}</dc:date>"
        f"<dc:subject>news</dc:subject>"
        f"<content:encoded>{esc(PARAGRAPH, i)}</content:encoded></item>"
        for i in items
    )
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">'
        '<channel rdf:about="https://wire.example/index.rdf"><title>Wire</title>'
        "<link>https://wire.example/</link><description>News</description>"
        f"<sy:updatePeriod>hourly</sy:updatePeriod><items><rdf:Seq>{seq}</rdf:Seq></items></channel>"
        f"{body}</rdf:RDF>"
    )


def entityize(text):
    """Non-ASCII letters as HTML named entities where HTML has a name."""
    names = {chr(code): name for name, code in html.entities.name2codepoint.items()}
    return "".join(f"&{names[c]};" if c in names else c for c in x(text))


def rss091n(items, lang):
    body = "".join(
        f"<item><title>{entityize(i['headline'])}</title><link>{i['link']}</link>"
        f"<description>{entityize(i['lead']).replace(' ', '&nbsp;', 1)}&nbsp;&hellip; "
        f"{entityize(i['paragraph'])}</description></item>"
        for i in items
    )
    return (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"\n'
        '            "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        '<rss version="0.91"><channel><title>Wire</title><link>https://wire.example/</link>'
        f"<description>News&nbsp;&amp; more</description><language>{lang}</language>"
        "<image><title>Wire</title><url>https://wire.example/logo.gif</url><link>https://wire.example/</link></image>"
        f"{body}</channel></rss>"
    )


def rss091u(items, lang):
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f"<description>{x(i['lead'])} {x(i['paragraph'])}</description></item>"
        for i in items
    )
    return (
        '<rss version="0.91"><channel><title>Wire</title><link>https://wire.example/</link>'
        f"<description>News</description><language>{lang}</language>"
        f"<copyright>Copyright 2026, Wire</copyright>{body}</channel></rss>"
    )


def rss092(items, lang, version="0.92"):
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f"<description>{esc(TWO_PARAGRAPHS, i)}</description>"
        f'<enclosure url="https://wire.example/audio/{i["id"]}.mp3" length="1024" type="audio/mpeg"/>'
        + (f"<pubDate>{i['rfc822']}</pubDate>" if version != "0.92" else "")
        + "</item>"
        for i in items
    )
    return (
        f'<rss version="{version}"><channel><title>Wire</title><link>https://wire.example/</link>'
        f"<description>News</description>{body}</channel></rss>"
    )


def rss093(items, lang):
    return rss092(items, lang, "0.93")


def rss094(items, lang):
    return rss092(items, lang, "0.94")


def atom03(items, lang):
    body = "".join(
        f'<entry><title>{x(i["headline"])}</title><link rel="alternate" type="text/html" href="{i["link"]}"/>'
        f"<id>tag:wire.example,2026:{i['id']}</id><issued>{i['iso']}</issued><modified>{i['iso']}</modified>"
        f'<summary type="text/plain">{x(i["lead"])}</summary>'
        f'<content type="text/html" mode="escaped">{esc(PARAGRAPH, i)}</content></entry>'
        for i in items
    )
    return (
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#">'
        '<title>Wire</title><link rel="alternate" type="text/html" href="https://wire.example/"/>'
        f"<modified>{items[0]['iso']}</modified><author><name>Wire</name></author>{body}</feed>"
    )


def atom_xhtml(items, lang):
    body = "".join(
        f"<entry><id>urn:uuid:6c2d{i['id']}-0000-4000-8000-000000000000</id>"
        f'<title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{x(i["headline"])}</div></title>'
        f'<updated>{i["iso"]}</updated><link href="{i["link"]}"/>'
        f'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><em>{x(i["lead"])}</em></div></summary>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{x(i["paragraph"])}</p></div></content></entry>'
        for i in items
    )
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"><title>Wire</title>'
        f"<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id><updated>{items[0]['iso']}</updated>"
        f"<author><name>Wire</name></author>{body}</feed>"
    )


def atom_text(items, lang):
    body = "".join(
        f"<entry><id>urn:wire:{lang}:{i['id']}</id><title>{x(i['headline'])}</title>"
        f"<updated>{i['iso']}</updated><published>{i['iso']}</published>"
        f'<link rel="alternate" href="{i["link"]}"/>'
        f'<summary type="text">{x(i["lead"])}\n{x(i["paragraph"])}</summary></entry>'
        for i in items
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Wire</title>'
        f"<id>urn:wire:{lang}</id><updated>{items[0]['iso']}</updated>{body}</feed>"
    )


def media_rss(items, lang):
    ns = ' xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f'<guid isPermaLink="true">{i["link"]}</guid><pubDate>{i["rfc822"]}</pubDate>'
        f"<description>{x(i['lead'])} {x(i['paragraph'])}</description>"
        f'<media:content url="https://img.wire.example/{i["id"]}.jpg" medium="image" width="1200" height="675">'
        f"<media:credit>Wire</media:credit><media:description>{x(i['lead'])}</media:description></media:content>"
        f'<media:thumbnail url="https://img.wire.example/{i["id"]}-t.jpg"/><dc:creator>Wire</dc:creator></item>'
        for i in items
    )
    return rss2(f"<language>{lang}</language><ttl>5</ttl>", body, ns)


def yandex(items, lang):
    ns = ' xmlns:yandex="http://news.yandex.ru" xmlns:media="http://search.yahoo.com/mrss/"'
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>{i['link']}</link>"
        f"<pdalink>{i['link']}?pda=1</pdalink><description>{x(i['lead'])}</description>"
        f"<author>Редакция</author><category>Общество</category>"
        f"<pubDate>{i['rfc822']}</pubDate><yandex:genre>message</yandex:genre>"
        f"<yandex:full-text>{x(i['paragraph'])}</yandex:full-text></item>"
        for i in items
    )
    return rss2("<yandex:logo>https://wire.example/logo.png</yandex:logo>", body, ns)


def podcast(items, lang):
    ns = ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><itunes:author>Wire</itunes:author>"
        f"<itunes:summary>{x(i['lead'])}</itunes:summary>"
        f"<description>{x(i['lead'])} {x(i['paragraph'])}</description>"
        f'<enclosure url="https://wire.example/pod/{i["id"]}.mp3" length="3200000" type="audio/mpeg"/>'
        f"<guid>{i['guid']}</guid><pubDate>{i['rfc822']}</pubDate>"
        f"<itunes:duration>12:04</itunes:duration><itunes:explicit>false</itunes:explicit></item>"
        for i in items
    )
    extra = '<itunes:category text="News"/><itunes:image href="https://wire.example/pod.jpg"/>'
    return rss2(extra, body, ns)


def feedburner(items, lang):
    ns = ' xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'
    body = "".join(
        f"<item><title>{x(i['headline'])}</title><link>https://feeds.wire.example/~r/wire/~3/{i['id']}/</link>"
        f"<description>{esc(FEEDBURNER_HTML, i)}</description>"
        f'<pubDate>{i["rfc822"]}</pubDate><guid isPermaLink="false">{i["guid"]}</guid>'
        f"<feedburner:origLink>{i['link']}</feedburner:origLink></item>"
        for i in items
    )
    return (
        '<?xml-stylesheet type="text/xsl" media="screen" href="/~d/styles/rss2full.xsl"?>'
        '<?xml-stylesheet type="text/css" media="screen" href="https://feeds.wire.example/~d/styles/itemcontent.css"?>'
        + rss2('<feedburner:info uri="wire"/>', body, ns)
    )


def hugo(items, lang):
    ns = ' xmlns:atom="http://www.w3.org/2005/Atom"'
    body = "".join(
        f"<item>\n      <title>{x(i['headline'])}</title>\n      <link>{i['link']}</link>\n"
        f"      <pubDate>{i['rfc822']}</pubDate>\n      <guid>{i['link']}</guid>\n"
        f"      <description>{esc(HUGO_HTML, i)}</description>\n    </item>\n"
        for i in items
    )
    extra = f"<generator>Hugo -- gohugo.io</generator><language>{lang}</language>"
    return rss2(extra, body, ns)


def jekyll(items, lang):
    body = "".join(
        f'<entry><title type="html">{x(x(i["headline"]))}</title>'
        f'<link href="{i["link"]}" rel="alternate" type="text/html" title="{html.escape(i["headline"])}"/>'
        f"<published>{i['iso']}</published><updated>{i['iso']}</updated><id>{i['link']}</id>"
        f'<content type="html" xml:base="{i["link"]}">{esc(JEKYLL_HTML, i)}</content>'
        f'<summary type="html">{x(x(i["lead"]))}</summary></entry>'
        for i in items
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" >'
        '<generator uri="https://jekyllrb.com/" version="4.3.2">Jekyll</generator>'
        '<link href="https://wire.example/feed.xml" rel="self" type="application/atom+xml" />'
        f"<updated>{items[0]['iso']}</updated><id>https://wire.example/feed.xml</id>"
        f'<title type="html">Wire</title>{body}</feed>'
    )


def releases(items, lang):
    body = "".join(
        f"<entry><id>tag:github.com,2008:Repository/1/v{i['id']}</id><updated>{i['iso']}</updated>"
        f'<link rel="alternate" type="text/html" href="/wire/app/releases/tag/v{i["id"]}"/>'
        f"<title>{x(i['headline'])}</title>"
        f'<content type="html">{esc(RELEASE_HTML, i)}</content>'
        f"<author><name>wire</name></author></entry>"
        for i in items
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:lang="en-US">'
        "<id>tag:github.com,2008:https://github.com/wire/app/releases</id>"
        '<link type="text/html" rel="alternate" href="https://github.com/wire/app/releases"/>'
        f"<title>Release notes from app</title><updated>{items[0]['iso']}</updated>{body}</feed>"
    )


def reddit(items, lang):
    body = "".join(
        f"<entry><author><name>/u/wire</name><uri>https://www.reddit.com/user/wire</uri></author>"
        f'<category term="news" label="r/news"/>'
        f'<content type="html">{esc(REDDIT_HTML, i)}</content>'
        f'<id>t3_{i["id"]:x}</id><link href="{i["link"]}"/><updated>{i["iso"]}</updated>'
        f"<published>{i['iso']}</published><title>{x(i['headline'])}</title></entry>"
        for i in items
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">'
        '<category term="news" label="r/news"/><updated>2026-11-29T08:00:00+00:00</updated>'
        f"<icon>https://www.redditstatic.com/icon.png/</icon><id>/r/news/.rss</id><title>news</title>{body}</feed>"
    )


def youtube(items, lang):
    body = "".join(
        f"<entry><id>yt:video:{i['id']}abcDEF</id><yt:videoId>{i['id']}abcDEF</yt:videoId>"
        f"<yt:channelId>UCwire</yt:channelId><title>{x(i['headline'])}</title>"
        f'<link rel="alternate" href="https://www.youtube.com/watch?v={i["id"]}abcDEF"/>'
        f"<author><name>Wire</name></author><published>{i['iso']}</published><updated>{i['iso']}</updated>"
        f"<media:group><media:title>{x(i['headline'])}</media:title>"
        f'<media:thumbnail url="https://i.ytimg.com/vi/{i["id"]}/hqdefault.jpg" width="480" height="360"/>'
        f"<media:description>{x(i['lead'])}</media:description></media:group></entry>"
        for i in items
    )
    return (
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/"'
        ' xmlns="http://www.w3.org/2005/Atom"><id>yt:channel:UCwire</id><title>Wire</title>'
        f"<published>2020-01-01T00:00:00+00:00</published>{body}</feed>"
    )


def mastodon(items, lang):
    # Posts have no title: nothing to make a headline of.
    body = "".join(
        f'<item><guid isPermaLink="true">{i["link"]}</guid><link>{i["link"]}</link>'
        f"<pubDate>{i['rfc822']}</pubDate><description>{esc(PARAGRAPH, i)}</description></item>"
        for i in items
    )
    return rss2('<image><url>https://wire.example/a.png</url><title>Wire</title><link>https://wire.example/</link></image>', body,
                ' xmlns:webfeeds="http://webfeeds.org/rss/1.0" xmlns:media="http://search.yahoo.com/mrss/"')  # fmt: skip


SHAPES = {
    f.__name__: f
    for f in [
        wordpress, bitrix, drupal, joomla, blogger, cdata, rdf10, rss091n, rss091u, rss092,
        rss093, rss094, atom03, atom_xhtml, atom_text, media_rss, yandex, podcast, feedburner,
        hugo, jekyll, releases, reddit, youtube, mastodon,
    ]
}  # fmt: skip
NO_BODY = {"youtube"}
FAILED = {"mastodon": 3}

# (shape, language, encoding, how the encoding is said) ----------------------
# declared: in the XML declaration; http: only in the Content-Type header;
# both; none: nowhere (detected); bom: a byte order mark and the declaration;
# nobom: UTF-16/32 without a byte order mark; lying: the declaration says
# UTF-8, the header tells the truth; space: blank lines before the
# declaration (a PHP classic); gzip: declared, and sent compressed.
VARIANTS = [
    ("wordpress", "en", "utf-8", "declared"), ("wordpress", "ru", "utf-8", "declared"),
    ("wordpress", "fr", "utf-8", "both"), ("wordpress", "emoji", "utf-8", "declared"),
    ("wordpress", "hi", "utf-8", "declared"), ("wordpress", "de", "windows-1252", "declared"),
    ("wordpress", "ja", "shift_jis", "none"), ("wordpress", "zh-hans", "gb18030", "none"),
    ("wordpress", "ru", "koi8-r", "none"), ("wordpress", "ja", "euc-jp", "none"),
    ("bitrix", "ru", "windows-1251", "declared"), ("bitrix", "ru", "windows-1251", "http"),
    ("bitrix", "be", "windows-1251", "declared"), ("bitrix", "ru", "windows-1251", "lying"),
    ("bitrix", "uk", "windows-1251", "both"), ("bitrix", "ru", "windows-1251", "none"),
    ("bitrix", "ru", "windows-1251", "space"),
    ("drupal", "en", "utf-8", "declared"), ("drupal", "pl", "iso-8859-2", "declared"),
    ("drupal", "cs", "windows-1250", "declared"), ("drupal", "fr", "iso-8859-15", "http"),
    ("joomla", "ru", "utf-8", "declared"), ("joomla", "tr", "iso-8859-9", "declared"),
    ("joomla", "tr", "windows-1254", "http"), ("joomla", "el", "iso-8859-7", "declared"),
    ("blogger", "en", "utf-8", "declared"), ("blogger", "ja", "utf-8", "declared"),
    ("blogger", "ko", "utf-8", "declared"), ("blogger", "ar", "utf-8", "declared"),
    ("cdata", "en", "utf-8", "declared"), ("cdata", "zh-hans", "utf-8", "bom"),
    ("cdata", "he", "utf-8", "declared"), ("cdata", "ka", "utf-8", "gzip"),
    ("rdf10", "en", "utf-8", "declared"), ("rdf10", "ja", "euc-jp", "declared"),
    ("rdf10", "ja", "shift_jis", "declared"), ("rdf10", "ru", "koi8-r", "declared"),
    ("rdf10", "de", "iso-8859-1", "declared"), ("rdf10", "zh-hans", "gb2312", "declared"),
    ("rss091n", "en", "iso-8859-1", "declared"), ("rss091n", "fr", "iso-8859-1", "declared"),
    ("rss091n", "de", "iso-8859-1", "declared"), ("rss091n", "ru", "utf-8", "declared"),
    ("rss091u", "en", "utf-8", "declared"), ("rss091u", "ru", "koi8-r", "http"),
    ("rss091u", "pl", "iso-8859-2", "declared"),
    ("rss092", "en", "utf-8", "declared"), ("rss092", "fr", "windows-1252", "declared"),
    ("rss092", "ru", "iso-8859-5", "declared"),
    ("rss093", "en", "utf-8", "declared"), ("rss094", "el", "windows-1253", "declared"),
    ("atom03", "en", "utf-8", "declared"), ("atom03", "zh-hant", "big5", "declared"),
    ("atom03", "ko", "euc-kr", "declared"), ("atom03", "ja", "iso-2022-jp", "declared"),
    ("atom_xhtml", "en", "utf-8", "declared"), ("atom_xhtml", "vi", "utf-8", "declared"),
    ("atom_xhtml", "th", "utf-8", "declared"), ("atom_xhtml", "hy", "utf-8", "declared"),
    ("atom_text", "en", "utf-8", "declared"), ("atom_text", "ru", "utf-16", "bom"),
    ("atom_text", "zh-hans", "utf-16-be", "bom"), ("atom_text", "ar", "utf-32", "bom"),
    ("atom_text", "ru", "utf-16-le", "nobom"), ("atom_text", "ja", "utf-16-be", "nobom"),
    ("atom_text", "emoji", "utf-32-le", "nobom"),
    ("media_rss", "en", "utf-8", "declared"), ("media_rss", "zh-hans", "gbk", "declared"),
    ("media_rss", "zh-hans", "gb18030", "declared"), ("media_rss", "zh-hant", "big5", "http"),
    ("yandex", "ru", "windows-1251", "declared"), ("yandex", "be", "utf-8", "declared"),
    ("yandex", "ru", "cp866", "declared"), ("yandex", "uk", "koi8-u", "declared"),
    ("podcast", "en", "utf-8", "declared"), ("podcast", "ru", "utf-8", "gzip"),
    ("feedburner", "en", "utf-8", "declared"), ("feedburner", "ja", "utf-8", "declared"),
    ("feedburner", "ko", "euc-kr", "http"),
    ("hugo", "en", "utf-8", "declared"), ("hugo", "th", "tis-620", "declared"),
    ("hugo", "ar", "windows-1256", "declared"), ("hugo", "he", "windows-1255", "declared"),
    ("hugo", "ar", "iso-8859-6", "declared"), ("hugo", "he", "iso-8859-8", "declared"),
    ("jekyll", "en", "utf-8", "declared"), ("jekyll", "de", "utf-8", "space"),
    ("releases", "en", "utf-8", "declared"), ("reddit", "en", "utf-8", "declared"),
    ("youtube", "en", "utf-8", "declared"), ("youtube", "ko", "utf-8", "declared"),
    ("mastodon", "en", "utf-8", "declared"),
]  # fmt: skip


def declaration(encoding):
    return f'<?xml version="1.0" encoding="{IANA[encoding]}"?>\n'


def variant_build(shape, lang, encoding, how):
    slug = f"{shape}-{lang}-{encoding}-{how}"
    items = items_of(lang, slug)
    document = SHAPES[shape](items, lang)
    codec = REAL_CODEC.get(encoding, encoding)
    content_type = "application/atom+xml" if "<feed" in document[:300] else "application/rss+xml"
    headers = {}
    if how in ("declared", "bom", "nobom", "gzip", "space"):
        text = declaration(encoding) + document
    elif how == "http":
        text = '<?xml version="1.0"?>\n' + document
    elif how == "both":
        text = declaration(encoding) + document
    elif how == "lying":
        text = declaration("utf-8") + document
    else:  # none
        text = document
    if how in ("http", "both", "lying"):
        content_type += f"; charset={IANA[encoding].lower()}"
    if how == "space":
        text = "\n\n   \n" + text
    if how == "bom":
        body = ("\ufeff" + text).encode(codec if codec != "utf-8" else "utf-8")
        if codec in ("utf-16", "utf-32"):  # Python writes the mark itself
            body = text.encode(codec)
    else:
        body = text.encode(codec)
    if how == "gzip":
        headers["Content-Encoding"] = "gzip"
        body = gzip.compress(body, mtime=0)
    failed = FAILED.get(shape, 0)
    entry = {
        "content_type": content_type, **({"headers": headers} if headers else {}),
        "status": "ok", "new": len(items) - failed, "skipped": 0, "failed": failed,
        "headlines": [] if failed else [i["headline"] for i in items],
        "paragraph": None if shape in NO_BODY or failed else items[0]["paragraph"],
    }  # fmt: skip
    return slug, body, entry


def edge_files():
    """Hand-made files for one problem each: (name, bytes, manifest entry)."""
    decl = '<?xml version="1.0" encoding="utf-8"?>\n'

    def feed(items_xml, ns=""):
        return decl + rss2("", items_xml, ns)

    def it(title, guid, date="Sun, 29 Nov 2026 06:00:00 GMT", more=""):
        return (
            f"<item><title>{title}</title><guid>{guid}</guid><pubDate>{date}</pubDate>{more}</item>"
        )

    ok = {"content_type": "application/rss+xml", "status": "ok", "skipped": 0, "failed": 0}
    files = [
        ("edge-double-escaped-titles", feed(
            it("Q&amp;amp;A: the minister&amp;#x27;s &amp;quot;plan&amp;quot; for &amp;lt;2027&amp;gt;", "d1")
            + it("Tom &amp;amp; Jerry", "d2")),
         {**ok, "new": 2, "headlines": ["Q&A: the minister's \"plan\" for <2027>", "Tom & Jerry"]}),
        ("edge-script-and-comments-in-titles", feed(
            it("Crazy HTML -- &lt;!-- &lt;script&gt;function executeMe() {alert(1)}&lt;/script&gt; --&gt;"
               "Can Your Regex Parse This?", "s1")
            + it("&lt;style&gt;h1{}&lt;/style&gt;&lt;b&gt;Budget&lt;/b&gt; passes&lt;!-- unclosed", "s2")
            + it("<![CDATA[<script>document.write('x')</script>Exports rise]]>", "s3")),
         {**ok, "new": 3, "headlines": ["Crazy HTML -- Can Your Regex Parse This?", "Budget passes", "Exports rise"]}),
        ("edge-repeated-guids", feed(
            it("First version", "dup") + it("Another story", "solo") + it("Second version", "dup")
            + it("Third version", "dup")),
         {**ok, "new": 2, "skipped": 2, "headlines": ["First version", "Another story"]}),
        ("edge-dates", feed(
            it("Dated 1900", "t1", "Mon, 01 Jan 1900 00:00:00 GMT")
            + it("Dated at the epoch", "t2", "Thu, 01 Jan 1970 00:00:00 +0000")
            + it("Dated 2100", "t3", "Fri, 01 Jan 2100 00:00:00 GMT")
            + it("Undated", "t4", "")
            + it("Dated in words", "t5", "yesterday afternoon")
            + it("Dated ISO in pubDate", "t6", "2026-11-28T10:00:00+03:00")
            + it("Dated with a zone name", "t7", "Sat, 28 Nov 2026 10:00:00 EST")
            + it("Dated with a two-digit year", "t8", "Sat, 28 Nov 26 10:00:00 GMT")),
         {**ok, "new": 6, "skipped": 2, "headlines": [
             "Dated 2100", "Undated", "Dated in words", "Dated ISO in pubDate",
             "Dated with a zone name", "Dated with a two-digit year"]}),
        ("edge-control-characters", feed(
            it("Bell\x07 and\x0b tab", "c1") + it("Null&#0; and &#x1F; escape&#27;", "c2")),
         {**ok, "new": 2, "headlines": ["Bell and tab", "Null and escape"]}),
        ("edge-entities-and-ampersands", feed(
            it("AT&T &amp; Procter&Gamble", "a1") + it("&laquo;Quoted&raquo;&nbsp;&mdash; &hellip;", "a2")
            + it("Numeric &#150; dash", "a3", more="<description>Unknown &madeup; entity</description>") + it("&#x1F600; smile", "a4")),
         {**ok, "new": 4, "headlines": ["AT&T & Procter&Gamble", "«Quoted» — …", "Numeric – dash", "😀 smile"]}),
        ("edge-empty-channel", feed(""), {**ok, "new": 0, "headlines": []}),
        ("edge-long-title", feed(it("Long " * 70, "l1")),
         {**ok, "new": 1, "headlines": [("Long " * 70).strip()[:250]]}),
        ("edge-missing-title-or-guid", feed(
            it("", "m1") + "<item><title>No guid or link</title></item>"
            + "<item><title>Link only</title><link>https://wire.example/l</link></item>"),
         {**ok, "new": 1, "failed": 2, "headlines": ["Link only"]}),
        ("edge-relative-links", feed(
            it("Relative", "r1", more="<description>&lt;p&gt;&lt;a href=\"/a/b\"&gt;x&lt;/a&gt; &lt;a href=\"c\"&gt;y&lt;/a&gt;&lt;/p&gt;</description>")),
         {**ok, "new": 1, "headlines": ["Relative"], "links": ["{base}/a/b", "{base}/feeds/c"]}),
    ]  # fmt: skip
    refused = {"content_type": "application/rss+xml", "status": "failed", "new": 0,
               "skipped": 0, "failed": 0, "headlines": []}  # fmt: skip
    lol = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    files += [
        ("refused-xxe-file", decl + '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
         + rss2("", it("&xxe;", "x1")), {**refused, "error": "DTDForbidden"}),
        ("refused-billion-laughs", decl + f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>'
         + rss2("", it("&lol9;", "x2")), {**refused, "error": "DTDForbidden"}),
        ("refused-external-dtd", decl + '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
         + rss2("", it("x", "x3")), {**refused, "error": "DTDForbidden"}),
        ("refused-parameter-entity", decl + '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p">%p;]>'
         + rss2("", it("x", "x4")), {**refused, "error": "DTDForbidden"}),
        ("refused-rss091-doctype-with-subset", decl
         + '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
           '"http://my.netscape.com/publish/formats/rss-0.91.dtd" [<!ENTITY x SYSTEM "file:///etc/hosts">]>'
         + rss2("", it("&x;", "x5")), {**refused, "error": "DTDForbidden"}),
        ("refused-html-page", "<!DOCTYPE html><html><head><title>Login</title></head><body>Sign in</body></html>",
         {**refused, "content_type": "text/html; charset=utf-8", "error": "DTDForbidden"}),
        ("refused-xhtml-page", '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Moved</p></body></html>',
         {**refused, "error": "not an RSS or Atom feed"}),
        ("refused-truncated", decl + rss2("", it("Cut", "x6"))[:120], {**refused, "error": "not well-formed"}),
        ("refused-json", '{"items": []}', {**refused, "content_type": "application/json", "error": "not an XML document"}),
        ("refused-empty", "  \n", {**refused, "error": "the document is empty"}),
    ]  # fmt: skip
    return [
        (name, text.encode("utf-8"), {"paragraph": None, **entry}) for name, text, entry in files
    ]


def main():
    FEEDS.mkdir(exist_ok=True)
    for old in FEEDS.glob("*.xml"):
        old.unlink()
    manifest = {}
    built = [variant_build(*variant) for variant in VARIANTS] + edge_files()
    for number, (name, body, entry) in enumerate(built, 1):
        file_name = f"{number:03d}-{name}.xml"
        (FEEDS / file_name).write_bytes(body)
        manifest[file_name] = entry
    (HERE / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(manifest)} files")


if __name__ == "__main__":
    main()
