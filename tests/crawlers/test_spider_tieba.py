"""The tieba spider against a local server serving 贴吧 HTML pages, GBK ones included."""

from datetime import datetime

import sqlalchemy as sa
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawlers.items import PostItem
from crawlers.runner import run_spider
from crawlers.spiders.tieba import TiebaSpider
from store.schema import posts
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply, fixture

GBK_HEADER = "text/html; charset=GBK"


def _spider():
    crawler = get_crawler(TiebaSpider)
    crawler.spider = TiebaSpider.from_crawler(crawler, keywords="车载冰箱")
    return crawler.spider


def test_gbk_page_decoded_from_the_header_alone():
    url = "https://tieba.baidu.com/p/9100000001"
    body = fixture("tieba/thread_1_gbk.html")
    assert b"charset" not in body.lower()
    response = HtmlResponse(url, body=body, headers={"Content-Type": GBK_HEADER})
    out = list(_spider().parse_thread(response, keyword="车载冰箱", page=1))
    floors = [o for o in out if isinstance(o, PostItem)]
    assert [(f.post_id, f.kind) for f in floors] == [("9100000001", "topic"), ("150000000002", "reply")]
    assert floors[0].title == "车载冰箱夏天不制冷了" and floors[0].text.endswith("完全不制冷[汗]")
    assert (
        floors[1].text == "半导体的就这样，温差只有20度\n换压缩机的吧" and floors[1].parent_id == "9100000001"
    )
    assert floors[0].published_at == datetime(2026, 11, 20, 2, 15)
    assert out[-1].url.endswith("/p/9100000001?pn=2")  # 共2页


def test_gbk_page_decoded_from_the_meta_tag_alone():
    response = HtmlResponse(
        "https://tieba.baidu.com/f?kw=x",
        body=fixture("tieba/forum_p1_gbk.html"),
        headers={"Content-Type": "text/html"},
    )
    assert response.encoding in ("gbk", "gb18030") and "车载冰箱吧" in response.text


def test_tieba_crawl_gbk_pages_bigpipe_list_and_failures(home, engine):
    site = FixtureSite()
    site.add("forum", "/f", Reply(fixture("tieba/forum_p1_gbk.html"), content_type="text/html"))
    site.add(
        "forum_p2", "/f", file_reply("tieba/forum_p2.html", "text/html; charset=utf-8"), query={"pn": "50"}
    )
    site.add("t1", "/p/9100000001", file_reply("tieba/thread_1_gbk.html", GBK_HEADER))
    site.add(
        "t1_p2", "/p/9100000001", file_reply("tieba/thread_1_p2_gbk.html", GBK_HEADER), query={"pn": "2"}
    )
    site.add("t2", "/p/9100000002", file_reply("tieba/thread_2.html", "text/html"))
    site.add("t4", "/p/9100000004", Reply(b"busy", 503, "text/plain"))
    with site:  # thread 3 is not routed: a 404
        stats = run_spider("tieba", {"keywords": "车载冰箱", "base_url": site.base_url}, FAST)
    with engine.connect() as conn:
        rows = {r["post_id"]: r for r in conn.execute(sa.select(posts)).mappings()}
    assert set(rows) == {"9100000001", "150000000002", "150000000003", "9100000002", "150000000022"}
    assert (
        rows["9100000002"]["text"] == "晚上睡车里，嗡嗡的吵得睡不着"
        and rows["9100000002"]["title"] == "压缩机噪音大正常吗"
    )
    assert rows["150000000003"]["text"] == "楼上正解，压缩机的贵但是好用"
    assert all(r["platform"] == "tieba" and r["author_hash"] for r in rows.values())
    assert stats["items"] == 5 and stats["dropped_by_reason"] == {"duplicate": 1}
    assert stats["errors_by_type"]["http_ignored"] == {"404": 1, "503": 1}
    assert stats["retries"] == 2 and stats["retries_exhausted"] == 1 and site.hits["t4"] == 3
    assert stats["errors"] == 1  # "Gave up retrying" is logged as an error
    assert stats["finish_reason"] == "finished"
