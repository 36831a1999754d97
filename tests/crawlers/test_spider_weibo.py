"""The weibo spider against a local server in m.weibo.cn's container JSON."""

from datetime import datetime

import sqlalchemy as sa

from crawlers.runner import run_spider
from crawlers.spiders.fields import weibo_time
from store.schema import posts
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply, fixture

PATH = "/api/container/getIndex"
JSON_TYPE = "application/json; charset=utf-8"


def test_weibo_times():
    now = datetime(2026, 11, 24, 6, 0)  # 14:00 in Beijing
    assert weibo_time("Sun Nov 22 21:14:05 +0800 2026", now) == datetime(2026, 11, 22, 13, 14, 5)
    assert weibo_time("刚刚", now) == now and weibo_time("5分钟前", now) == datetime(2026, 11, 24, 5, 55)
    assert weibo_time("昨天 08:01", now) == datetime(2026, 11, 23, 0, 1)
    assert weibo_time("11-20", now) == datetime(2026, 11, 19, 16, 0)
    assert weibo_time("", now) is None and weibo_time("很久以前", now) is None


def test_weibo_crawl_pages_since_and_errors(home, engine):
    site = FixtureSite()
    shou = "100103type=1&q=收纳"
    site.add(
        "p1",
        PATH,
        Reply(b"busy", 503, "text/plain"),
        file_reply("weibo/search_p1.json"),
        query={"containerid": shou, "page": "1"},
    )
    site.add("p2", PATH, file_reply("weibo/search_p2.json"), query={"containerid": shou, "page": "2"})
    site.add("p3", PATH, file_reply("weibo/end.json"), query={"containerid": shou, "page": "3"})
    site.add("login", PATH, file_reply("weibo/login.json"), query={"containerid": "100103type=1&q=挂钩"})
    site.add(
        "cut",
        PATH,
        Reply(fixture("weibo/search_p2.json")[:200]),
        query={"containerid": "100103type=1&q=衣架"},
    )
    with site:
        args = {"keywords": "收纳,挂钩,衣架,晾衣架", "base_url": site.base_url, "since": "2026-11-01"}
        stats = run_spider("weibo", args, FAST)
    with engine.connect() as conn:
        rows = {r["post_id"]: r for r in conn.execute(sa.select(posts)).mappings()}
    assert set(rows) == {"5235600001", "5235600002", "5235600003", "5235600004"}
    first = rows["5235600001"]
    assert first["text"] == "租房党的#收纳#神器，可惜@某品牌 的挂钩承重差，挂两件大衣就压弯了[泪]"
    assert (first["likes"], first["comments"], first["shares"]) == (12000, 30, 12)
    assert first["published_at"] == datetime(2026, 11, 22, 13, 14, 5) and first["tags"] == ["收纳"]
    assert first["url"] == "https://m.weibo.cn/detail/5235600001" and first["kind"] == "note"
    assert rows["5235600002"]["text"] == "衣柜收纳盒买大了，放不下\n退货又要运费，烦"
    assert (
        rows["5235600003"]["text"] == "求推荐不发霉的浴室收纳架" and rows["5235600003"]["shares"] == 1_000_000
    )
    assert stats["items"] == 4 and stats["dropped_by_reason"] == {"duplicate": 1}
    assert stats["skipped"] == {"before_since": 1}
    assert stats["api_errors"] == {"ok_-100": 1, "bad_json": 1}
    assert stats["retries"] == 1 and stats["responses_by_status"]["503"] == 1 and stats["errors"] == 0
    assert stats["errors_by_type"]["http_ignored"] == {"404": 1}  # 晾衣架 is not routed
    assert site.hits["p3"] == 1  # ok 0 ends the keyword


def test_max_items_stops_yielding_and_following():
    from scrapy.http import TextResponse
    from scrapy.utils.test import get_crawler

    from crawlers.items import PostItem
    from crawlers.spiders.weibo import WeiboSpider

    crawler = get_crawler(WeiboSpider)
    spider = crawler.spider = WeiboSpider.from_crawler(crawler, keywords="收纳", max_items="2")
    url = "https://m.weibo.cn/api/container/getIndex?page=1"
    response = TextResponse(url, body=fixture("weibo/search_p1.json"), headers={"Content-Type": JSON_TYPE})
    out = list(spider.parse_search(response, keyword="收纳", page=1))
    assert [o.post_id for o in out if isinstance(o, PostItem)] == ["5235600001", "5235600002"]
    assert len(out) == 2  # no next page once full
    assert crawler.stats.get_value("oppradar/skipped/max_items_reached") == 1
