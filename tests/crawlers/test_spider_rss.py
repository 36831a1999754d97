"""The rss spider against local RSS 2.0 (GB2312) and paged Atom feeds, filtered by keywords."""

from datetime import datetime

import pytest
import sqlalchemy as sa

from crawlers.runner import run_spider
from crawlers.spiders.fields import feed_time
from crawlers.spiders.rss import RssSpider
from store.schema import posts
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply, fixture


def test_feed_times_and_arguments():
    assert feed_time("Fri, 20 Nov 2026 13:05:00 +0800") == datetime(2026, 11, 20, 5, 5)
    assert feed_time("2026-11-22T10:00:00+08:00") == datetime(2026, 11, 22, 2, 0)
    assert feed_time("2026-11-21T10:00:00Z") == datetime(2026, 11, 21, 10, 0) and feed_time("昨天") is None
    with pytest.raises(ValueError, match="feeds"):
        RssSpider()
    with pytest.raises(ValueError, match="http"):
        RssSpider(feeds="ftp://x/feed")


def test_rss_crawl_filters_pages_and_decodes(home, engine):
    site = FixtureSite()
    site.add(
        "forum", "/forum.xml", Reply(fixture("rss/forum_gb2312.xml"), content_type="application/rss+xml")
    )
    site.add(
        "atom",
        "/atom.xml",
        Reply(b"", 502, "text/plain"),
        file_reply("rss/atom_p1.xml", "application/atom+xml"),
    )
    site.add(
        "atom_p2", "/atom.xml", file_reply("rss/atom_p2.xml", "application/atom+xml"), query={"page": "2"}
    )
    site.add("cut", "/cut.xml", Reply(fixture("rss/atom_p1.xml")[:1200], content_type="application/atom+xml"))
    with site:
        feeds = (
            "https://bbs.example.cn/forum.xml,https://blog.example.com/atom.xml,"
            "https://bbs.example.cn/gone.xml,https://blog.example.com/cut.xml"
        )
        stats = run_spider("rss", {"feeds": feeds, "keywords": "收纳", "base_url": site.base_url}, FAST)
    with engine.connect() as conn:
        rows = {r["post_id"]: r for r in conn.execute(sa.select(posts)).mappings()}
    assert set(rows) == {
        "bbs-1001",
        "bbs-1003",
        "tag:blog.example.com,2026:post-31",
        "tag:blog.example.com,2026:post-29",
    }
    first = rows["bbs-1001"]
    assert (
        first["title"] == "厨房收纳架承重差，放两口锅就弯了"
        and first["text"] == "买的碳钢收纳架，说承重20斤。\n放两口铁锅就压弯了。"
    )
    assert first["published_at"] == datetime(2026, 11, 20, 5, 5) and first["tags"] == ["厨房", "收纳"]
    assert (first["platform"], first["kind"], first["query"]) == ("rss", "topic", "收纳")
    assert first["source"] == "rss:bbs.example.cn" and first["author_hash"]
    blog = rows["tag:blog.example.com,2026:post-31"]
    assert (
        blog["title"] == "租房收纳 十件 神器"
        and blog["text"] == "伸缩杆、挂钩、真空袋……\n挂钩别买粘的，掉下来"
    )
    assert blog["url"] == "https://blog.example.com/p/31" and blog["published_at"] == datetime(
        2026, 11, 22, 2, 0
    )
    assert rows["bbs-1003"]["text"] == "要能叠放的，\n透明的最好"
    # the truncated copy of atom page 1 still yields its complete first entry: a duplicate
    assert stats["items"] == 4 and stats["dropped_by_reason"] == {"duplicate": 2}
    assert stats["skipped"]["keyword_mismatch"] == 3  # 洗碗机, 周末做饭 and its cut copy
    assert stats["errors_by_type"]["http_ignored"] == {"404": 1} and stats["responses_by_status"]["502"] == 1
    assert stats["retries"] == 1 and stats["errors"] == 0
