"""The corpus: over a hundred feeds as real publishing systems write them,
in every RSS and Atom version and many encodings, and edge cases (see
corpus/build.py, which wrote them). The real command imports them all twice
from a loopback server: each file gives exactly what its manifest pins, the
second run changes nothing, and no headline carries markup, entities or
mojibake."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article, Section
from partners.models import FeedRun, PartnerFeed
from partners.parsing import plain_text
from tests.factories import PartnerFactory

CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
# What a headline never shows a reader: tags, entities, the replacement
# character, control characters, UTF-8 read as Latin-1 or Windows-1251.
GARBAGE = re.compile(
    r"</?[a-zA-Z][^>]*>|&#?\w+;|\ufffd|[\x00-\x1f\x7f-\x9f]"
    r"|[ÃÐÑ][\x80-\xbf]"  # UTF-8 read as Latin-1 ("Ã©", "Ð¼")
    r"|[РС][\xb0-\xb7\u0402-\u040f\u0452\u0453\u0455\u0458-\u045d\u045f\u2018-\u2022]"  # as cp1251
)
BAD_LINK = re.compile(r'(?:href|src)="(?!https?://|mailto:)')


@pytest.fixture
def corpus_feeds(db, feed_server):
    world = Section.objects.get(edition="en", slug="world")
    feeds = {}
    for name, expected in MANIFEST.items():
        path = f"/feeds/{name}"
        headers = {"Content-Type": expected["content_type"], **expected.get("headers", {})}
        feed_server.routes[path] = (200, headers, (CORPUS / "feeds" / name).read_bytes())
        partner = PartnerFactory(name=name, slug=name.removesuffix(".xml"))
        feed = PartnerFeed.objects.create(
            partner=partner, url=feed_server.url(path), section=world, publish=True
        )
        feeds[name] = feed
    return feeds


def runs_by_file(feeds):
    latest = {}
    for run in FeedRun.objects.select_related("feed__partner").order_by("started_at", "pk"):
        latest[run.feed.partner.name] = run
    assert set(latest) == set(feeds)
    return latest


def test_the_corpus_is_large_and_varied():
    assert len(MANIFEST) >= 100
    shapes = {name.split("-")[1] for name in MANIFEST}
    assert {"rss091n", "rss091u", "rss092", "rss093", "rss094", "rdf10", "atom03"} <= shapes
    assert {"wordpress", "bitrix", "atom_text", "atom_xhtml", "edge", "refused"} <= shapes


def test_every_file_imports_as_pinned_twice_over(corpus_feeds, feed_server, capsys, clock):
    call_command("import_partner_feeds", "--all")
    capsys.readouterr()
    first = runs_by_file(corpus_feeds)
    problems = []
    for name, expected in MANIFEST.items():
        run = first[name]
        got = (run.status, run.items_new, run.items_skipped, run.items_failed)
        want = (expected["status"], expected["new"], expected["skipped"], expected["failed"])
        if got != want:
            problems.append(f"{name}: {got} != {want}: {run.error}")
        if "error" in expected and expected["error"] not in run.error:
            problems.append(f"{name}: {expected['error']!r} not in {run.error!r}")
        articles = Article.objects.filter(source__name=name).order_by("pk")
        headlines = [article.headline for article in articles]
        if headlines != expected["headlines"]:
            problems.append(f"{name}: headlines {headlines} != {expected['headlines']}")
        for article in articles:
            if GARBAGE.search(article.headline) or GARBAGE.search(article.lead):
                problems.append(f"{name}: garbage in {article.headline!r} / {article.lead!r}")
            if BAD_LINK.search(article.body):
                problems.append(f"{name}: a relative link in {article.body!r}")
        if expected["paragraph"] and expected["paragraph"] not in plain_text(articles[0].body):
            problems.append(f"{name}: {expected['paragraph']!r} not in {articles[0].body!r}")
        for link in expected.get("links", []):
            href = f'href="{link.format(base=f"http://{feed_server.host}")}"'
            if href not in articles[0].body:
                problems.append(f"{name}: {href} not in {articles[0].body!r}")
    assert not problems, "\n".join(problems)
    articles_after_one_run = sorted(Article.objects.values_list("pk", "headline", "body"))
    assert len(articles_after_one_run) == sum(e["new"] for e in MANIFEST.values()) > 250

    clock.advance(hours=1)
    call_command("import_partner_feeds", "--all")
    output = capsys.readouterr().out
    assert output.count(": ok, 0 new, 0 updated") == sum(
        e["status"] == "ok" for e in MANIFEST.values()
    )
    second = runs_by_file(corpus_feeds)
    for name, expected in MANIFEST.items():
        run = second[name]
        assert (run.status, run.items_new, run.items_updated, run.items_skipped) == (
            expected["status"], 0, 0, expected["skipped"]
        ), name  # fmt: skip
    assert sorted(Article.objects.values_list("pk", "headline", "body")) == articles_after_one_run
