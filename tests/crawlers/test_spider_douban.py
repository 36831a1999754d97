"""The douban_group spider against a local server serving 豆瓣小组's HTML pages."""

from datetime import datetime

import sqlalchemy as sa

from crawlers.runner import run_spider
from crawlers.spiders.fields import html_to_text
from store.schema import posts
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply

HTML = "text/html; charset=utf-8"


def test_html_to_text_drops_noise_and_keeps_lines():
    html = (
        '<div><p>第一行<script>alert("x")</script></p><style>p{}</style><p>第二&amp;行<br>第三行 '
        '<img alt="[笑cry]" src="a.png">！</p></div>'
    )
    assert html_to_text(html) == "第一行\n第二&行\n第三行 [笑cry]！"
    assert html_to_text("  纯文本   两个空格 ") == "纯文本 两个空格" and html_to_text(None) == ""


def _site() -> FixtureSite:
    site = FixtureSite(robots="User-agent: *\nDisallow: /group/topic/310000104/\n")
    site.add("search", "/group/search", file_reply("douban/search.html", HTML))
    site.add("search_p2", "/group/search", file_reply("douban/search_p2.html", HTML), query={"start": "50"})
    site.add("t101", "/group/topic/310000101/", file_reply("douban/topic_101.html", HTML))
    site.add(
        "t101_p2",
        "/group/topic/310000101/",
        file_reply("douban/topic_101_p2.html", HTML),
        query={"start": "100"},
    )
    site.add("t102", "/group/topic/310000102/", file_reply("douban/topic_102.html", HTML))
    site.add(
        "t103",
        "/group/topic/310000103/",
        Reply(b"error", 500, "text/plain"),
        file_reply("douban/topic_103.html", HTML),
    )
    site.add("t104", "/group/topic/310000104/", file_reply("douban/topic_103.html", HTML))
    site.add(
        "t106", "/group/topic/310000106/", Reply(b"", delay=2.6), file_reply("douban/topic_106.html", HTML)
    )
    return site  # topic 105 is not routed: a 404


def test_douban_crawl_topics_replies_and_failures(home, engine):
    with _site() as site:
        stats = run_spider(
            "douban_group", {"keywords": "收纳", "base_url": site.base_url, "since": "2026-11-01"}, FAST
        )
    with engine.connect() as conn:
        rows = {r["post_id"]: r for r in conn.execute(sa.select(posts)).mappings()}
    assert set(rows) == {
        "310000101",
        "4700000001",
        "4700000002",
        "4700000003",
        "310000102",
        "4700000021",
        "310000103",
        "310000106",
    }
    topic = rows["310000101"]
    assert (topic["kind"], topic["title"], topic["platform"]) == (
        "topic",
        "小户型收纳求助：衣柜塞不下了",
        "douban",
    )
    assert topic["text"].split("\n") == [
        "十平米的出租屋，衣柜只有一米二。",
        "买了真空压缩袋，结果漏气，一周就鼓起来了。",
        "大家都怎么收纳冬天的羽绒服？",
    ]
    assert topic["published_at"] == datetime(2026, 11, 20, 13, 3, 11) and topic["query"] == "收纳"
    reply = rows["4700000001"]
    assert (reply["kind"], reply["parent_id"], reply["likes"]) == ("reply", "310000101", 12)
    assert reply["text"] == "床底收纳箱！选带轮子的，拉出来方便"
    assert rows["4700000002"]["text"] == "压缩袋我也踩过坑，\n便宜的封口条两天就松了"
    assert rows["310000102"]["text"] == "不锈钢的置物架用了三个月就生锈了"  # style and noscript gone
    assert rows["310000106"]["text"] == "折叠凳承重差，坐上去就压弯了"
    assert "脚本" not in " ".join(r["text"] for r in rows.values())

    assert stats["items"] == 8 and stats["dropped_by_reason"] == {"duplicate": 1}
    assert stats["robots_forbidden"] == 1 and site.hits["t104"] == 0
    assert stats["skipped"]["before_since"] == 1
    assert stats["errors_by_type"]["http_ignored"] == {"404": 1}
    assert stats["responses_by_status"]["500"] == 1
    assert sum(v for k, v in stats["errors_by_type"]["download"].items() if "Timeout" in k) == 1
    assert stats["retries"] == 2 and stats["errors"] == 0
