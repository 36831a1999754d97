"""Any RSS 2.0 or Atom feed: one post (kind topic) per item or entry; keywords, when given, filter them.

RSS: `channel/item` with title, link, guid, description, content:encoded, pubDate (RFC 822),
author or dc:creator, category. Atom: `entry` with id, title, link[@rel=alternate]/@href, summary,
content, published/updated (ISO 8601), author/name, category/@term; a paged Atom feed's
`link[@rel=next]` (RFC 5005) is followed up to max_pages. Encodings come from the XML declaration.

    scrapy crawl rss -a feeds=https://a.example/feed.xml,https://b.example/atom [-a keywords=车载冰箱,收纳] \
        [-a max_pages=5] [-a max_items=500] [-a since=2026-11-01] [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from scrapy.selector import Selector

from crawlers.items import PostItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import feed_time, html_to_text
from store.weeks import utcnow

MAX_ID_CHARS = 200


def _first(sel: Selector, *queries: str) -> str:
    for query in queries:
        value = sel.xpath(query).get()
        if value and value.strip():
            return value.strip()
    return ""


class RssSpider(PublicSpider):
    name = "rss"
    keywords_required = False

    def __init__(self, feeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.feeds = [f.strip() for f in (feeds or "").split(",") if f.strip()]
        if not self.feeds:
            raise ValueError("rss needs feed URLs: run it with -a feeds=https://a.example/feed.xml,...")
        bad = [f for f in self.feeds if urlsplit(f).scheme not in ("http", "https")]
        if bad:
            raise ValueError(f"feeds must be http(s) URLs, got {', '.join(bad)}")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for feed in self.feeds:
            yield scrapy.Request(
                self.live(feed), callback=self.parse_feed, cb_kwargs={"feed": feed, "page": 1}
            )

    def parse_feed(self, response: Response, feed: str, page: int) -> Iterator[Any]:
        selector = Selector(response=response, type="xml")  # also when served as text/html or text/plain
        selector.remove_namespaces()
        entries = selector.xpath("//item | //entry")
        if not entries and not selector.xpath("/rss | /feed | /RDF"):
            self.count("skipped/not_a_feed")
            self.logger.warning("%s is not an RSS or Atom feed", response.url)
            return
        for entry in entries:
            post = self.post(entry, feed)
            if not self.matches(post.title, post.text):
                self.count("skipped/keyword_mismatch")
                continue
            yield from self.emit(post)
        next_href = selector.xpath("/feed/link[@rel='next']/@href").get()
        if next_href and self.next_page(page):
            yield self.follow(
                response, next_href, callback=self.parse_feed, cb_kwargs={"feed": feed, "page": page + 1}
            )

    def post(self, entry: Selector, feed: str) -> PostItem:
        link = _first(
            entry, "link[@rel='alternate']/@href", "link[not(@rel)]/@href", "link/text()", "link/@href"
        )
        raw_id = _first(entry, "guid/text()", "id/text()") or link
        body = _first(entry, "encoded/text()", "content/text()", "description/text()", "summary/text()")
        when = _first(entry, "pubDate/text()", "published/text()", "updated/text()", "date/text()")
        author = _first(entry, "creator/text()", "author/name/text()", "author/text()")
        tags = [t.strip() for t in entry.xpath("category/@term | category/text()").getall() if t.strip()]
        return PostItem(
            platform="rss",
            post_id=_post_id(raw_id or f"{feed}#{_first(entry, 'title/text()')}"),
            kind="topic",
            url=link,
            title=html_to_text(_first(entry, "title/text()")),
            text=html_to_text(body),
            published_at=feed_time(when),
            crawled_at=utcnow(),
            tags=tags,
            query=next((k for k in self.keywords if k in _first(entry, "title/text()") + body), None),
            source=f"{self.name}:{urlsplit(feed).netloc}",
            author_id=f"{urlsplit(feed).netloc}/{author}" if author else None,
        )


def _post_id(raw: str) -> str:
    """The guid or link as the id; a very long one is replaced by its SHA-1."""
    return raw if len(raw) <= MAX_ID_CHARS else "sha1:" + hashlib.sha1(raw.encode("utf-8")).hexdigest()
