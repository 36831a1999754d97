"""贴吧 threads and their floors, from the public HTML pages (UTF-8 or GBK, as the page declares).

The forum named by a keyword, `tieba.baidu.com/f?kw=<keyword>&ie=utf-8&pn=<50*(page-1)>`, lists threads
as `li.j_thread_list[data-field]` (JSON: id, reply_num, author_name) with `a.j_th_tit`; the live page
often ships the list inside an HTML comment in `<code id="pagelet_html_frs-list/...">`, which is read
too. A thread `/p/<tid>?pn=<n>` has `.core_title_txt` and floors `div.l_post[data-field]` (JSON
author.user_id, content.post_id, content.post_no, content.date) with `.d_post_content` and
`.tail-info` dates; `li.l_reply_num span.red` gives the page count. Floor 1 is the topic, the rest replies.

    scrapy crawl tieba -a keywords=车载冰箱,收纳 [-a max_pages=5] [-a reply_pages=3] [-a max_items=500] \
        [-a since=2026-11-01] [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from scrapy.selector import Selector, SelectorList

from crawlers.items import PostItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import beijing_time, html_to_text, parse_positive
from store.weeks import utcnow

FORUM = "https://tieba.baidu.com/f"
THREAD_RE = re.compile(r"/p/(\d+)")
DATE_RE = re.compile(r"^\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?$")
PAGE_SIZE = 50


def data_field(sel: Selector) -> dict:
    """The JSON in a data-field attribute; {} when absent or broken."""
    try:
        value = json.loads(sel.attrib.get("data-field") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def thread_items(response: Response) -> SelectorList:
    """The thread list items, also when the page ships them inside an HTML comment (bigpipe)."""
    items = response.css("li.j_thread_list")
    if items:
        return items
    hidden = "".join(c[4:-3] for c in response.xpath("//code/comment()").getall())
    return Selector(text=hidden).css("li.j_thread_list") if hidden else items


class TiebaSpider(PublicSpider):
    name = "tieba"

    def __init__(self, reply_pages: str = "3", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reply_pages = parse_positive(reply_pages, "reply_pages")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            yield self.forum(keyword, 1)

    def forum(self, keyword: str, page: int) -> scrapy.Request:
        query = urlencode({"kw": keyword, "ie": "utf-8", "pn": (page - 1) * PAGE_SIZE})
        return scrapy.Request(
            self.live(f"{FORUM}?{query}"),
            callback=self.parse_forum,
            cb_kwargs={"keyword": keyword, "page": page},
        )

    def parse_forum(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        items = thread_items(response)
        for li in items:
            tid = str(data_field(li).get("id") or li.attrib.get("data-tid") or "")
            href = li.css("a.j_th_tit::attr(href)").get() or (f"/p/{tid}" if tid else None)
            if not href or not THREAD_RE.search(href):
                self.count("skipped/thread_without_id")
                continue
            if not self.full():
                yield self.follow(
                    response, href, callback=self.parse_thread, cb_kwargs={"keyword": keyword, "page": 1}
                )
        if items and response.css("a.next::attr(href)").get() and self.next_page(page):
            yield self.forum(keyword, page + 1)

    def parse_thread(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        m = THREAD_RE.search(response.url)
        if not m:
            self.count("skipped/not_a_thread_page")
            return
        tid = m.group(1)
        url = f"https://tieba.baidu.com/p/{tid}"
        title = (
            response.css(".core_title_txt::attr(title)").get()
            or response.css(".core_title_txt::text").get()
            or ""
        ).strip()
        for floor in response.css("div.l_post"):
            post = self.floor(floor, tid, url, title, keyword)
            if post is not None:
                yield from self.emit(post)
        pages = [
            int(p) for p in response.css("li.l_reply_num span.red::text").getall() if p.strip().isdigit()
        ]
        total = pages[-1] if len(pages) >= 2 else 1
        if page < min(total, self.reply_pages) and not self.full():
            yield scrapy.Request(
                self.live(f"{url}?pn={page + 1}"),
                callback=self.parse_thread,
                cb_kwargs={"keyword": keyword, "page": page + 1},
            )

    def floor(self, floor: Selector, tid: str, url: str, title: str, keyword: str) -> PostItem | None:
        field = data_field(floor)
        content, author = field.get("content") or {}, field.get("author") or {}
        post_id = str(content.get("post_id") or floor.attrib.get("data-pid") or "")
        body = floor.css(".d_post_content").get()
        if not post_id and not body:
            return None  # an ad or a folded floor: no id, no text
        dates = [t.strip() for t in floor.css(".tail-info::text, .post-tail-wrap span::text").getall()]
        date = next((d for d in dates if DATE_RE.match(d)), None) or content.get("date")
        first = str(content.get("post_no") or "") == "1"
        return PostItem(
            platform="tieba",
            post_id=tid if first else post_id,
            kind="topic" if first else "reply",
            parent_id=None if first else tid,
            url=url if first else f"{url}?pid={post_id}#{post_id}",
            title=title if first else "",
            text=html_to_text(body),
            published_at=beijing_time(date),
            crawled_at=utcnow(),
            comments=int(content["comment_num"]) if content.get("comment_num") else None,
            query=keyword,
            source=self.name,
            author_id=str(author.get("user_id") or author.get("portrait") or author.get("user_name") or "")
            or None,
        )
