"""小红书 note search + comments and B站 video search + replies, in the live JSON shapes.

The live endpoints need signed requests (xhs `x-s` headers, B站 WBI `w_rid` and a `buvid3` cookie),
which this spider does not make: it is named `sandbox_` because it runs against the sandbox server
(`-a base_url=http://127.0.0.1:PORT`) or a recorded fixture. For real 小红书 and B站 data, import
MediaCrawler's exports (`oppradar import posts --format mediacrawler`).

    scrapy crawl sandbox_notes -a keywords=车载冰箱,猫砂盆 -a base_url=http://127.0.0.1:8000 \
        [-a max_pages=50] [-a since=2026-03-01] [-a platforms=xhs,bilibili]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import JsonRequest, Response

from crawlers.items import PostItem
from crawlers.spiders.fields import (
    epoch,
    parse_count,
    parse_keywords,
    parse_positive,
    parse_since,
    rebase,
    strip_highlight,
)
from store.weeks import utcnow

XHS_API = "https://edith.xiaohongshu.com"
BILI_API = "https://api.bilibili.com"
SANDBOX_SETTINGS = {
    # Politeness off: these spiders only ever target the local sandbox. robots.txt is still obeyed.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


class SandboxNotesSpider(scrapy.Spider):
    name = "sandbox_notes"
    custom_settings = SANDBOX_SETTINGS

    def __init__(self, keywords: str | None = None, max_pages: str = "50", since: str | None = None,
                 base_url: str | None = None, platforms: str = "xhs,bilibili", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keywords = parse_keywords(keywords, self.name)
        self.max_pages = parse_positive(max_pages, "max_pages")
        self.since = parse_since(since)
        self.base_url = base_url
        self.platforms = {p.strip() for p in platforms.split(",") if p.strip()}
        unknown = self.platforms - {"xhs", "bilibili"}
        if unknown or not self.platforms:
            raise ValueError(f"platforms={platforms!r}: use xhs, bilibili or both (comma-separated)")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for keyword in self.keywords:
            if "xhs" in self.platforms:
                yield self.xhs_search(keyword, 1)
            if "bilibili" in self.platforms:
                yield self.bili_search(keyword, 1)

    # --- 小红书 ---------------------------------------------------------------------------------
    def xhs_search(self, keyword: str, page: int) -> JsonRequest:
        body = {"keyword": keyword, "page": page, "page_size": 20, "search_id": f"oppradar-{keyword}",
                "sort": "time_descending", "note_type": 0}
        return JsonRequest(rebase(f"{XHS_API}/api/sns/web/v1/search/notes", self.base_url), data=body,
                           callback=self.parse_xhs_search, cb_kwargs={"keyword": keyword, "page": page})

    def xhs_comments(self, note: PostItem, token: str, cursor: str, page: int) -> scrapy.Request:
        query = urlencode({"note_id": note.post_id, "cursor": cursor, "top_comment_id": "",
                           "image_formats": "jpg,webp,avif", "xsec_token": token})
        return scrapy.Request(rebase(f"{XHS_API}/api/sns/web/v2/comment/page?{query}", self.base_url),
                              callback=self.parse_xhs_comments,
                              cb_kwargs={"note": note, "token": token, "page": page})

    def parse_xhs_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        items = [i for i in data.get("items") or [] if i.get("model_type") == "note"]
        fresh = 0
        for item in items:
            card = item.get("note_card") or {}
            note = self.xhs_note(item, card, keyword)
            if self.too_old(note):
                continue
            fresh += 1
            yield note
            if (note.comments or 0) > 0:
                yield self.xhs_comments(note, item.get("xsec_token", ""), "", 1)
        if data.get("has_more") and self.more_pages(page, fresh, len(items)):
            yield self.xhs_search(keyword, page + 1)

    def xhs_note(self, item: dict, card: dict, keyword: str) -> PostItem:
        user, counts = card.get("user") or {}, card.get("interact_info") or {}
        return PostItem(
            platform="xhs", post_id=str(item.get("id") or ""), kind="note",
            url=f"https://www.xiaohongshu.com/explore/{item.get('id')}",
            title=card.get("display_title") or "", text=card.get("desc") or "",
            published_at=epoch(card.get("time")), crawled_at=utcnow(),
            likes=parse_count(counts.get("liked_count")), comments=parse_count(counts.get("comment_count")),
            shares=parse_count(counts.get("shared_count")),
            collects=parse_count(counts.get("collected_count")),
            tags=[t["name"] for t in card.get("tag_list") or [] if t.get("name")], query=keyword,
            source=self.name, author_id=user.get("user_id"))

    def parse_xhs_comments(self, response: Response, note: PostItem, token: str, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        for c in data.get("comments") or []:
            yield from self.skip_old(self.xhs_comment(c, note, note.post_id, "comment"))
            for sub in c.get("sub_comments") or []:
                yield from self.skip_old(self.xhs_comment(sub, note, str(c.get("id")), "reply"))
        if data.get("has_more") and data.get("cursor") and page < self.max_pages:
            yield self.xhs_comments(note, token, str(data["cursor"]), page + 1)

    def xhs_comment(self, c: dict, note: PostItem, parent_id: str, kind: str) -> PostItem:
        return PostItem(
            platform="xhs", post_id=str(c.get("id") or ""), kind=kind, parent_id=parent_id, url=note.url,
            text=c.get("content") or "", published_at=epoch(c.get("create_time")), crawled_at=utcnow(),
            likes=parse_count(c.get("like_count")), query=note.query, source=self.name,
            author_id=(c.get("user_info") or {}).get("user_id"))

    # --- B站 ------------------------------------------------------------------------------------
    def bili_search(self, keyword: str, page: int) -> scrapy.Request:
        query = urlencode({"search_type": "video", "keyword": keyword, "page": page, "order": "pubdate"})
        return scrapy.Request(rebase(f"{BILI_API}/x/web-interface/search/type?{query}", self.base_url),
                              callback=self.parse_bili_search, cb_kwargs={"keyword": keyword, "page": page})

    def bili_replies(self, video: PostItem, page: int) -> scrapy.Request:
        query = urlencode({"type": 1, "oid": video.post_id, "pn": page, "ps": 20, "sort": 0})
        return scrapy.Request(rebase(f"{BILI_API}/x/v2/reply?{query}", self.base_url),
                              callback=self.parse_bili_replies, cb_kwargs={"video": video, "page": page})

    def parse_bili_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        results = [r for r in data.get("result") or [] if r.get("type") == "video"]
        fresh = 0
        for r in results:
            video = self.bili_video(r, keyword)
            if self.too_old(video):
                continue
            fresh += 1
            yield video
            if (video.comments or 0) > 0:
                yield self.bili_replies(video, 1)
        if page < int(data.get("numPages") or 0) and self.more_pages(page, fresh, len(results)):
            yield self.bili_search(keyword, page + 1)

    def bili_video(self, r: dict, keyword: str) -> PostItem:
        tags = [t for t in (r.get("tag") or "").split(",") if t]
        return PostItem(
            platform="bilibili", post_id=str(r.get("aid") or r.get("id") or ""), kind="video",
            url=f"https://www.bilibili.com/video/{r.get('bvid')}", title=strip_highlight(r.get("title", "")),
            text=r.get("description") or "", published_at=epoch(r.get("pubdate")), crawled_at=utcnow(),
            likes=parse_count(r.get("like")), comments=parse_count(r.get("review")),
            collects=parse_count(r.get("favorites")), tags=tags, query=keyword, source=self.name,
            author_id=str(r["mid"]) if r.get("mid") is not None else None)

    def parse_bili_replies(self, response: Response, video: PostItem, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        for r in data.get("replies") or []:
            yield from self.skip_old(self.bili_reply(r, video, video.post_id, "comment"))
            for sub in r.get("replies") or []:
                yield from self.skip_old(self.bili_reply(sub, video, str(r.get("rpid")), "reply"))
        paging = data.get("page") or {}
        if page * int(paging.get("size") or 20) < int(paging.get("count") or 0) and page < self.max_pages:
            yield self.bili_replies(video, page + 1)

    def bili_reply(self, r: dict, video: PostItem, parent_id: str, kind: str) -> PostItem:
        member = r.get("member") or {}
        return PostItem(
            platform="bilibili", post_id=str(r.get("rpid") or ""), kind=kind, parent_id=parent_id,
            url=video.url, text=(r.get("content") or {}).get("message") or "",
            published_at=epoch(r.get("ctime")), crawled_at=utcnow(), likes=parse_count(r.get("like")),
            query=video.query, source=self.name,
            author_id=str(member.get("mid") or r.get("mid") or "") or None)

    # --- limits ---------------------------------------------------------------------------------
    def too_old(self, post: PostItem) -> bool:
        """Older than `since`: counted and skipped (its comments too)."""
        if self.since and post.published_at and post.published_at < self.since:
            self.crawler.stats.inc_value("oppradar/skipped/before_since")
            return True
        return False

    def skip_old(self, post: PostItem) -> Iterator[PostItem]:
        if not self.too_old(post):
            yield post

    def more_pages(self, page: int, fresh: int, seen: int) -> bool:
        """Whether to ask for the next page: not past max_pages, and (newest first) not all too old."""
        if seen and not fresh and self.since:
            return False
        if page >= self.max_pages:
            self.crawler.stats.inc_value("oppradar/skipped/max_pages_reached")
            return False
        return True
