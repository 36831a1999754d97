"""B站 video search and comments through the public web JSON APIs, WBI-signed, with a buvid3 cookie.

Shapes and signing from SocialSisterYi/bilibili-API-collect: docs/search/search_response.md
(`data.result`, titles with <em class="keyword">), docs/comment/list.md (`data.replies`, `data.page`)
and docs/misc/sign/wbi.md. The home page sets `buvid3`; `/x/web-interface/nav` (code -101 when not
logged in, still with `data.wbi_img`) gives img_key and sub_key. Errors come as HTTP 200 with a non-zero
`code` (crawlers.middlewares counts them and retries -412 up to RETRY_TIMES).

    scrapy crawl bilibili -a keywords=车载冰箱,收纳 [-a max_pages=5] [-a max_items=500] \
        [-a since=2026-11-01] [-a comment_pages=2] [-a base_url=http://127.0.0.1:8000]
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from crawlers.items import PostItem
from crawlers.spiders.base import PublicSpider
from crawlers.spiders.fields import epoch, html_to_text, parse_count, parse_positive, strip_highlight
from store.weeks import utcnow

HOME = "https://www.bilibili.com/"
API = "https://api.bilibili.com"
NAV = API + "/x/web-interface/nav"
SEARCH = API + "/x/web-interface/wbi/search/type"
REPLIES = API + "/x/v2/reply"
MIXIN_KEY_ENC_TAB = (  # fmt: skip
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35, 27, 43, 5, 49, 33, 9,
    42, 19, 29, 28, 14, 39, 12, 38, 41, 13, 37, 48, 7, 16, 24, 55, 40, 61, 26, 17, 0, 1,
    60, 51, 30, 4, 22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11, 36, 20, 34, 44, 52,
)


def mixin_key(img_key: str, sub_key: str) -> str:
    """The WBI mixin key: img_key+sub_key reordered by MIXIN_KEY_ENC_TAB, first 32 characters."""
    raw = img_key + sub_key
    if len(raw) < 64:
        raise ValueError(f"WBI keys too short ({len(raw)} chars, need 64): is the nav answer complete?")
    return "".join(raw[i] for i in MIXIN_KEY_ENC_TAB)[:32]


def wbi_sign(params: dict[str, Any], key: str, wts: int | None = None) -> str:
    """The signed query string: params plus wts, sorted, !'()* filtered, %20-encoded, plus w_rid."""
    signed = {k: "".join(c for c in str(v) if c not in "!'()*") for k, v in params.items()}
    signed["wts"] = str(int(time.time()) if wts is None else wts)
    query = urlencode(sorted(signed.items()), quote_via=quote)
    w_rid = hashlib.md5((query + key).encode("utf-8")).hexdigest()
    return f"{query}&w_rid={w_rid}"


def key_of(url: str) -> str:
    """img_url/sub_url are disguised tokens: the file name without extension is the key."""
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


class BilibiliSpider(PublicSpider):
    name = "bilibili"

    def __init__(self, comment_pages: str = "2", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.comment_pages = parse_positive(comment_pages, "comment_pages")
        self.wbi_key: str | None = None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # The home page sets buvid3 (CookiesMiddleware keeps it); the API refuses requests without it.
        yield scrapy.Request(self.live(HOME), callback=self.parse_home, dont_filter=True)

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        cookies = b";".join(response.headers.getlist(b"Set-Cookie"))
        if b"buvid3=" not in cookies:
            self.count("api_errors/no_buvid3")
            self.logger.warning("the home page set no buvid3 cookie; the API may answer -412")
        yield scrapy.Request(
            self.live(NAV),
            callback=self.parse_nav,
            dont_filter=True,
            meta={"oppradar_raw_json": True},
            headers={"Referer": HOME},
        )

    def parse_nav(self, response: Response) -> Iterator[scrapy.Request]:
        wbi = ((response.json().get("data") or {}).get("wbi_img")) or {}
        if not wbi.get("img_url") or not wbi.get("sub_url"):
            self.count("api_errors/no_wbi_keys")
            self.logger.error(
                "nav answered without data.wbi_img; cannot sign searches: %s", response.text[:200]
            )
            return
        self.wbi_key = mixin_key(key_of(wbi["img_url"]), key_of(wbi["sub_url"]))
        for keyword in self.keywords:
            yield self.search(keyword, 1)

    def search(self, keyword: str, page: int) -> scrapy.Request:
        assert self.wbi_key is not None
        query = wbi_sign(
            {"search_type": "video", "keyword": keyword, "page": page, "order": "pubdate"}, self.wbi_key
        )
        return scrapy.Request(
            self.live(f"{SEARCH}?{query}"),
            callback=self.parse_search,
            cb_kwargs={"keyword": keyword, "page": page},
            headers={"Referer": "https://search.bilibili.com/"},
        )

    def replies(self, video: PostItem, page: int) -> scrapy.Request:
        query = urlencode({"type": 1, "oid": video.post_id, "pn": page, "ps": 20, "sort": 0})
        return scrapy.Request(
            self.live(f"{REPLIES}?{query}"),
            callback=self.parse_replies,
            cb_kwargs={"video": video, "page": page},
            headers={"Referer": video.url},
        )

    def parse_search(self, response: Response, keyword: str, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        if "v_voucher" in data and not data.get("result"):
            self.count("api_errors/v_voucher")  # the docs: what a bad or missing signature gets
            self.logger.warning("search answered a v_voucher (signature refused): %s", response.url)
            return
        results = [r for r in data.get("result") or [] if r.get("type") == "video"]
        fresh = 0
        for r in results:
            video = self.video(r, keyword)
            if self.too_old(video):
                continue
            fresh += 1
            emitted = list(self.emit(video))
            yield from emitted
            if emitted and (video.comments or 0) > 0:
                yield self.replies(video, 1)
        if page < int(data.get("numPages") or 0) and (fresh or not self.since) and self.next_page(page):
            yield self.search(keyword, page + 1)

    def video(self, r: dict, keyword: str) -> PostItem:
        tags = [t for t in (r.get("tag") or "").split(",") if t]
        return PostItem(
            platform="bilibili",
            post_id=str(r.get("aid") or r.get("id") or ""),
            kind="video",
            url=f"https://www.bilibili.com/video/{r.get('bvid')}" if r.get("bvid") else r.get("arcurl", ""),
            title=html_to_text(strip_highlight(r.get("title") or "")),
            text=html_to_text(r.get("description") or ""),
            published_at=epoch(r.get("pubdate")),
            crawled_at=utcnow(),
            likes=parse_count(r.get("like")),
            comments=parse_count(r.get("review")),
            collects=parse_count(r.get("favorites")),
            tags=tags,
            query=keyword,
            source=self.name,
            author_id=str(r["mid"]) if r.get("mid") is not None else None,
        )

    def parse_replies(self, response: Response, video: PostItem, page: int) -> Iterator[Any]:
        data = response.json().get("data") or {}
        for r in data.get("replies") or []:
            yield from self.emit(self.reply(r, video, video.post_id, "comment"))
            for sub in r.get("replies") or []:
                yield from self.emit(self.reply(sub, video, str(r.get("rpid")), "reply"))
        paging = data.get("page") or {}
        more = page * int(paging.get("size") or 20) < int(paging.get("count") or 0)
        if more and page < self.comment_pages and not self.full():
            yield self.replies(video, page + 1)

    def reply(self, r: dict, video: PostItem, parent_id: str, kind: str) -> PostItem:
        member = r.get("member") or {}
        return PostItem(
            platform="bilibili",
            post_id=str(r.get("rpid") or ""),
            kind=kind,
            parent_id=parent_id,
            url=video.url,
            text=html_to_text((r.get("content") or {}).get("message") or ""),
            published_at=epoch(r.get("ctime")),
            crawled_at=utcnow(),
            likes=parse_count(r.get("like")),
            query=video.query,
            source=self.name,
            author_id=str(member.get("mid") or r.get("mid") or "") or None,
        )
