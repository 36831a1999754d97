"""豆瓣小组 topics and their replies, from the public HTML pages.

Topic search `www.douban.com/group/search?cat=1013&q=<keyword>` lists topics in `table.olt`
(`td.td-subject a`, `td.td-time[title]`, `td.td-reply`), 50 a page, `span.next a` to the next.
A topic page `/group/topic/<id>/` has `h1`, `.topic-doc .from a` (the author's /people/<id>/),
`.create-time`, `.topic-richtext`, and replies `ul#comments li.reply-item[data-cid]` with `.pubtime`,
`.reply-content`, `h4 a` (author); 100 replies a page, `?start=100` and `span.next a`.

    scrapy crawl douban_group -a keywords=车载冰箱,收纳 [-a max_pages=5] [-a reply_pages=3] \
        [-a max_items=500] [-a since=2026-11-01] [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from scrapy.selector import Selector

from crawlers.items import PostItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import beijing_time, html_to_text, parse_positive
from store.weeks import utcnow

SEARCH = "https://www.douban.com/group/search"
TOPIC_RE = re.compile(r"/group/topic/(\d+)")
PEOPLE_RE = re.compile(r"/people/([^/?#]+)")
DIGITS_RE = re.compile(r"(\d+)")


def _people(href: str | None) -> str | None:
    m = PEOPLE_RE.search(href or "")
    return m.group(1) if m else None


def _digits(text: str | None) -> int | None:
    m = DIGITS_RE.search(text or "")
    return int(m.group(1)) if m else None


class DoubanGroupSpider(PublicSpider):
    name = "douban_group"

    def __init__(self, reply_pages: str = "3", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reply_pages = parse_positive(reply_pages, "reply_pages")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            query = urlencode({"cat": 1013, "q": keyword, "sort": "time"})
            yield scrapy.Request(
                self.live(f"{SEARCH}?{query}"),
                callback=self.parse_list,
                cb_kwargs={"keyword": keyword, "page": 1},
            )

    def parse_list(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        rows = response.css("table.olt tr")
        fresh = 0
        for row in rows:
            href = row.css("td.td-subject a::attr(href)").get()
            if not href or not TOPIC_RE.search(href):
                continue
            listed = beijing_time(row.css("td.td-time::attr(title)").get())
            if self.since and listed and listed < self.since:
                self.count("skipped/before_since")
                continue
            fresh += 1
            if not self.full():
                yield self.follow(
                    response, href, callback=self.parse_topic, cb_kwargs={"keyword": keyword, "page": 1}
                )
        next_href = response.css("span.next a::attr(href)").get()
        if next_href and (fresh or not self.since) and self.next_page(page):
            yield self.follow(
                response,
                next_href,
                callback=self.parse_list,
                cb_kwargs={"keyword": keyword, "page": page + 1},
            )

    def parse_topic(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        m = TOPIC_RE.search(response.url)
        if not m:
            self.count("skipped/not_a_topic_page")
            return
        topic_id = m.group(1)
        url = f"https://www.douban.com/group/topic/{topic_id}/"
        if page == 1:
            yield from self.emit(self.topic(response, topic_id, url, keyword))
        for li in response.css("ul#comments li.reply-item, ul.topic-reply li.comment-item"):
            yield from self.emit(self.reply(li, topic_id, url, keyword))
        next_href = response.css("div.paginator span.next a::attr(href)").get()
        if next_href and page < self.reply_pages and not self.full():
            yield self.follow(
                response,
                next_href,
                callback=self.parse_topic,
                cb_kwargs={"keyword": keyword, "page": page + 1},
            )

    def topic(self, response: Response, topic_id: str, url: str, keyword: str) -> PostItem:
        doc = response.css(".topic-doc")
        title = (response.css("td.tablecc::text").get() or "").replace("标题：", "").strip() or " ".join(
            response.css("#content h1 ::text").getall()
        ).strip()
        body = doc.css(".topic-richtext").get() or doc.css(".topic-content").get()
        return PostItem(
            platform="douban",
            post_id=topic_id,
            kind="topic",
            url=url,
            title=title,
            text=html_to_text(body),
            published_at=beijing_time(doc.css(".create-time::text").get()),
            crawled_at=utcnow(),
            comments=_digits(response.css(".reply-count::text").get()),
            query=keyword,
            source=self.name,
            author_id=_people(doc.css(".from a::attr(href)").get()),
        )

    def reply(self, li: Selector, topic_id: str, url: str, keyword: str) -> PostItem:
        cid = li.attrib.get("data-cid") or li.attrib.get("id") or ""
        return PostItem(
            platform="douban",
            post_id=cid,
            kind="reply",
            parent_id=topic_id,
            url=f"{url}#{cid}" if cid else url,
            text=html_to_text(li.css(".reply-content").get()),
            published_at=beijing_time((li.css(".pubtime::text").get() or "").strip()),
            crawled_at=utcnow(),
            likes=_digits(li.css(".comment-vote::text, .lnk-fav::text").get()),
            query=keyword,
            source=self.name,
            author_id=_people(li.css("h4 a::attr(href)").get()),
        )
