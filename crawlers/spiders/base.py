"""What the public-source spiders share: their arguments (keywords, limits, base_url) and the limits' checks.

    -a keywords=车载冰箱,收纳   what to search (rss: an optional filter)
    -a max_pages=5             result pages per keyword (and reply pages per topic)
    -a max_items=500           items per run; past it nothing more is yielded or followed
    -a since=2026-11-01        skip posts published before that day (Beijing); newest-first lists stop there
    -a base_url=http://127.0.0.1:8000   swap scheme and host of the live endpoints (tests, replays)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy

from crawlers.items import PostItem
from crawlers.spiders.fields import parse_keywords, parse_positive, parse_since, rebase


class PublicSpider(scrapy.Spider):
    """Base of the spiders for public sources; subclasses set `name` and write the callbacks."""

    keywords_required = True

    def __init__(self, keywords: str | None = None, max_pages: str = "5", max_items: str = "100000",
                 since: str | None = None, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if keywords or self.keywords_required:
            self.keywords = parse_keywords(keywords, self.name)
        else:
            self.keywords = []
        self.max_pages = parse_positive(max_pages, "max_pages")
        self.max_items = parse_positive(max_items, "max_items")
        self.since = parse_since(since)
        self.base_url = base_url
        rebase("https://example.com/", base_url)  # a bad base_url fails now, not at the first request
        self.emitted = 0

    def live(self, url: str) -> str:
        """A live URL, rebased on base_url when one is given."""
        return rebase(url, self.base_url)

    def follow(self, response: Any, href: str, **kwargs: Any) -> scrapy.Request:
        """A request for a link of the page, rebased like every live URL (pages link to the live host)."""
        return scrapy.Request(self.live(response.urljoin(href)), **kwargs)

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"oppradar/{key}", n)

    def too_old(self, post: PostItem) -> bool:
        """Published before `since`: counted and skipped."""
        if self.since and post.published_at and post.published_at < self.since:
            self.count("skipped/before_since")
            return True
        return False

    def full(self) -> bool:
        """Whether max_items has been reached (then nothing more is yielded or followed)."""
        return self.emitted >= self.max_items

    def emit(self, post: Any) -> Iterator[Any]:
        """Yield the item unless it is too old or the run already has max_items."""
        if isinstance(post, PostItem) and self.too_old(post):
            return
        if self.full():
            self.count("skipped/max_items_reached")
            return
        self.emitted += 1
        yield post

    def next_page(self, page: int) -> bool:
        """Whether page+1 may be requested: under max_pages and max_items (counted when a limit stops it)."""
        if self.full():
            return False
        if page >= self.max_pages:
            self.count("skipped/max_pages_reached")
            return False
        return True

    def matches(self, *texts: str) -> bool:
        """True when no keywords were given or one of them occurs in the texts."""
        if not self.keywords:
            return True
        joined = " ".join(t for t in texts if t)
        return any(k in joined for k in self.keywords)
