"""微博 search through the mobile site's container JSON (m.weibo.cn/api/container/getIndex).

The search container is `100103type=1&q=<keyword>` (综合) with `page_type=searchall`; an answer is
`{"ok": 1, "data": {"cards": [...], "cardlistInfo": {"page": <next>}}}`. Posts are cards of
`card_type` 9 (`mblog`), some nested in `card_type` 11 `card_group`s. `ok: 0` means no more results;
`ok: -100` asks for a login (counted as an API error). `mblog.text` is HTML (links, emoticon <img alt>).

    scrapy crawl weibo -a keywords=车载冰箱,收纳 [-a max_pages=5] [-a max_items=500] [-a since=2026-11-01] \
        [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.items import PostItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import html_to_text, parse_count, weibo_time
from store.weeks import utcnow

CONTAINER = "https://m.weibo.cn/api/container/getIndex"


def mblogs(cards: list[dict]) -> Iterator[dict]:
    """The posts of a card list, nested card groups included."""
    for card in cards or []:
        if card.get("card_type") == 9 and card.get("mblog"):
            yield card["mblog"]
        elif card.get("card_group"):
            yield from mblogs(card["card_group"])


class WeiboSpider(PublicSpider):
    name = "weibo"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            yield self.search(keyword, 1)

    def search(self, keyword: str, page: int) -> scrapy.Request:
        query = urlencode(
            {"containerid": f"100103type=1&q={keyword}", "page_type": "searchall", "page": page}
        )
        return scrapy.Request(
            self.live(f"{CONTAINER}?{query}"),
            callback=self.parse_search,
            cb_kwargs={"keyword": keyword, "page": page},
            headers={
                "Referer": "https://m.weibo.cn/search",
                "X-Requested-With": "XMLHttpRequest",
                "MWeibo-Pwa": "1",
            },
        )

    def parse_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        answer = response.json()
        if str(answer.get("ok")) != "1":
            self.logger.info("weibo search %r ends at page %d: %s", keyword, page, answer.get("msg", ""))
            return
        data = answer.get("data") or {}
        posts = [self.post(m, keyword) for m in mblogs(data.get("cards") or [])]
        fresh = [p for p in posts if p.post_id and not self.too_old(p)]
        for post in fresh:
            yield from self.emit(post)
        next_page = (data.get("cardlistInfo") or {}).get("page")
        if (
            posts
            and next_page
            and int(next_page) > page
            and (fresh or not self.since)
            and self.next_page(page)
        ):
            yield self.search(keyword, int(next_page))

    def post(self, m: dict, keyword: str) -> PostItem:
        user = m.get("user") or {}
        pid = str(m.get("id") or m.get("mid") or "")
        topics = [t.get("topic_title") for t in m.get("topic_struct") or [] if t.get("topic_title")]
        return PostItem(
            platform="weibo",
            post_id=pid,
            kind="note",
            url=f"https://m.weibo.cn/detail/{pid}",
            title="",
            text=html_to_text(m.get("text") or ""),
            published_at=weibo_time(m.get("created_at"), utcnow()),
            crawled_at=utcnow(),
            likes=parse_count(m.get("attitudes_count")),
            comments=parse_count(m.get("comments_count")),
            shares=parse_count(m.get("reposts_count")),
            tags=topics,
            query=keyword,
            source=self.name,
            author_id=str(user["id"]) if user.get("id") is not None else None,
        )
