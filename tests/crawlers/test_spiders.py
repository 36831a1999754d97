import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from crawlers.items import OfferItem, PostItem
from crawlers.middlewares import ApiErrorMiddleware
from crawlers.runner import run_spider
from crawlers.sandbox.server import SandboxServer
from crawlers.sandbox.world import generate_world
from crawlers.spiders.fields import parse_count, parse_rate, rebase, strip_highlight
from crawlers.spiders.sandbox_notes import SandboxNotesSpider
from crawlers.spiders.sandbox_offers import SandboxOffersSpider
from store.archive import RawArchive
from store.errors import BadInputError, OppradarError
from store.records import hash_author
from store.schema import job_runs, offers, posts

KEYWORDS = ["车载冰箱", "猫砂盆", "车载香薰机"]
END = date(2026, 5, 20)

XHS_SEARCH_BODY = {
    "code": 0, "success": True, "msg": "成功",
    "data": {"has_more": True, "items": [
        {"id": "6650a3f2000000001e03b8c1", "model_type": "note", "xsec_token": "ABtok",
         "note_card": {"type": "normal", "display_title": "车载冰箱没有杯架",
                       "desc": "车载冰箱居然没有杯架，一刹车饮料全倒了<script>alert(1)</script>",
                       "user": {"user_id": "5f1e0c2b000000000101d8a7", "nickname": "开车的阿伟"},
                       "interact_info": {"liked": False, "liked_count": "1.2万", "collected_count": "10万+",
                                         "comment_count": "3", "shared_count": ""},
                       "time": 1778000000000, "tag_list": [{"id": "1", "name": "自驾游", "type": "topic"}]}},
        {"id": "5e0000000000000000000001", "model_type": "note",
         "note_card": {"type": "video", "display_title": "旧笔记", "desc": "很久以前的",
                       "user": {"user_id": "u-old", "nickname": "x"},
                       "interact_info": {"liked_count": "5", "comment_count": "0"},
                       "time": 1577836800000, "tag_list": []}},
        {"id": "hot_query", "model_type": "hot_query"},
    ]},
}
BILI_SEARCH_BODY = {
    "code": 0, "message": "0", "ttl": 1,
    "data": {"page": 1, "pagesize": 20, "numResults": 21, "numPages": 2, "result": [
        {"type": "video", "id": 1054832917, "aid": 1054832917, "bvid": "BV1xx411c7mD",
         "title": '【避雷】<em class="keyword">车载冰箱</em>用了三个月 <b>真</b>',
         "description": "没有放杯子的地方 <script>alert(1)</script>", "author": "数码老张", "mid": 5669526,
         "pubdate": 1778000000, "play": 2915, "like": 120, "favorites": 33, "review": 0,
         "tag": "车载冰箱,自驾", "arcurl": "http://www.bilibili.com/video/av1054832917"}]},
}
OFFER_ITEM = {
    "offerId": 624358412345, "subject": "车载冰箱12V24V小型便携 车家两用 工厂直销 来图定制",
    "imageUrl": "https://cbu01.alicdn.com/img/ibank/O1CN01x.jpg",
    "priceInfo": {"price": "168.00", "consignPrice": "188.50"}, "repurchaseRate": "12%", "monthSold": 321,
    "isOnePsale": True, "sellerIdentities": ["super_factory", "tp_member"], "minOrderQuantity": 2,
    "createDate": "2026-03-02 10:12:33", "companyName": "永康市锐驰汽车用品厂", "sellerOpenId": "b2b-1",
    "sendGoodsAddressText": "浙江 永康",
    "sellerDataInfo": {"compositeServiceScore": "4.5", "repeatPurchasePercent": "0.4666",
                       "collect30DayWithin48HPercent": "85%"},
    "productSimpleShippingInfo": {"shippingTimeGuarantee": "shipIn48Hours"},
}


def _response(url, body):
    return TextResponse(url=url, body=json.dumps(body, ensure_ascii=False).encode("utf-8"), encoding="utf-8",
                        request=Request(url), headers={"Content-Type": "application/json;charset=UTF-8"})


def _spider(cls, **kwargs):
    crawler = get_crawler(cls)
    spider = cls.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    return spider


def test_field_parsers():
    assert [parse_count(v) for v in ("1.2万", "10万+", "985", "", None, "3.4w", "1,024", 7)] == \
        [12000, 100000, 985, None, None, 34000, 1024, 7]
    assert [parse_rate(v) for v in ("12%", "0.4666", "1", "85", "", None)] == \
        [0.12, 0.4666, 1.0, 0.85, None, None]
    assert strip_highlight('<em class="keyword">猫砂盆</em><b>x</b>') == "猫砂盆<b>x</b>"
    assert rebase("https://api.bilibili.com/x/v2/reply?type=1&oid=2", "http://127.0.0.1:81") == \
        "http://127.0.0.1:81/x/v2/reply?type=1&oid=2"


def test_spiders_need_keywords():
    with pytest.raises(ValueError, match="keywords"):
        SandboxNotesSpider()
    with pytest.raises(ValueError, match="since"):
        SandboxNotesSpider(keywords="a", since="last week")
    with pytest.raises(ValueError, match="keywords"):
        SandboxOffersSpider(keywords=" , ")


def test_xhs_search_callback_yields_notes_comments_and_next_page():
    spider = _spider(SandboxNotesSpider, keywords="车载冰箱", since="2026-03-01", max_pages="3",
                     base_url="http://127.0.0.1:9")
    out = list(spider.parse_xhs_search(_response("http://127.0.0.1:9/api/sns/web/v1/search/notes",
                                                 XHS_SEARCH_BODY), keyword="车载冰箱", page=1))
    notes = [o for o in out if isinstance(o, PostItem)]
    requests = [o for o in out if isinstance(o, Request)]
    assert len(notes) == 1  # the 2020 note is older than since; the hot_query card is not a note
    note = notes[0]
    assert (note.platform, note.kind, note.query, note.source) == ("xhs", "note", "车载冰箱", "sandbox_notes")
    assert (note.likes, note.collects, note.comments, note.shares) == (12000, 100000, 3, None)
    assert note.text.endswith("<script>alert(1)</script>")  # text stays text; escaping is the site's job
    assert note.url == "https://www.xiaohongshu.com/explore/6650a3f2000000001e03b8c1"
    assert note.published_at == datetime(2026, 5, 5, 16, 53, 20) and note.tags == ["自驾游"]
    assert note.author_id == "5f1e0c2b000000000101d8a7" and note.author_hash is None
    comment_req, next_page = requests
    assert comment_req.url.startswith("http://127.0.0.1:9/api/sns/web/v2/comment/page?note_id=6650a3f2")
    assert "xsec_token=ABtok" in comment_req.url
    assert json.loads(next_page.body)["page"] == 2 and next_page.method == "POST"
    assert spider.crawler.stats.get_value("oppradar/skipped/before_since") == 1


def test_xhs_comments_callback_keeps_the_note_keyword():
    spider = _spider(SandboxNotesSpider, keywords="车载冰箱")
    note = PostItem(platform="xhs", post_id="n1", kind="note", url="https://www.xiaohongshu.com/explore/n1",
                    query="车载冰箱")
    body = {"code": 0, "success": True, "data": {"has_more": False, "cursor": "c1", "comments": [
        {"id": "c1", "note_id": "n1", "content": "同求", "create_time": 1778000100000, "like_count": "1.1万",
         "user_info": {"user_id": "u2"},
         "sub_comments": [{"id": "c2", "content": "+1 我也是", "create_time": 1778000200000,
                           "like_count": "2", "user_info": {"user_id": "u3"}}]}]}}
    out = list(spider.parse_xhs_comments(_response("http://x/api/sns/web/v2/comment/page", body),
                                         note=note, token="", page=1))
    assert [(o.post_id, o.kind, o.parent_id, o.query, o.likes) for o in out] == \
        [("c1", "comment", "n1", "车载冰箱", 11000), ("c2", "reply", "c1", "车载冰箱", 2)]
    assert all(o.url == note.url for o in out)


def test_bilibili_search_callback_strips_highlight_only():
    spider = _spider(SandboxNotesSpider, keywords="车载冰箱")
    out = list(spider.parse_bili_search(_response("http://x/x/web-interface/search/type", BILI_SEARCH_BODY),
                                        keyword="车载冰箱", page=1))
    video, next_page = out
    assert video.title == "【避雷】车载冰箱用了三个月 <b>真</b>"
    assert video.text == "没有放杯子的地方 <script>alert(1)</script>"
    assert (video.post_id, video.kind, video.likes, video.collects, video.comments) == \
        ("1054832917", "video", 120, 33, 0)
    assert video.url == "https://www.bilibili.com/video/BV1xx411c7mD" and video.author_id == "5669526"
    assert "page=2" in next_page.url and "order=pubdate" in next_page.url


def test_offer_callback_maps_the_1688_item():
    spider = _spider(SandboxOffersSpider, keywords="车载冰箱")
    body = {"result": {"success": True, "code": "200", "result": {
        "totalRecords": 1, "totalPage": 1, "pageSize": 50, "currentPage": 1, "data": [OFFER_ITEM]}}}
    (offer,) = spider.parse_search(_response("http://x/openapi/x", body), keyword="车载冰箱", page=1)
    assert isinstance(offer, OfferItem)
    assert (offer.offer_id, offer.price_min, offer.price_max, offer.moq) == ("624358412345", 168.0, 188.5, 2)
    assert (offer.supplier_type, offer.dropship, offer.customizable) == ("factory", True, True)
    assert (offer.repurchase_rate, offer.ship_48h_rate, offer.rating) == (0.12, 0.85, 4.5)
    assert offer.listed_at == datetime(2026, 3, 2, 2, 12, 33)  # Beijing 10:12 is 02:12 UTC
    assert (offer.province, offer.city) == ("浙江", "永康")
    assert offer.url == "https://detail.1688.com/offer/624358412345.html"


def test_api_error_middleware_counts_and_refuses():
    spider = _spider(SandboxNotesSpider, keywords="x")
    mw = ApiErrorMiddleware.from_crawler(spider.crawler)
    ok = _response("http://x/a", {"code": 0, "data": {}})
    assert mw.process_response(ok.request, ok) is ok
    blocked = _response("http://x/b", {"code": -412, "message": "请求被拦截"})
    retry = mw.process_response(blocked.request, blocked)
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    failed = _response("http://x/c", {"result": {"success": False, "code": "400"}})
    with pytest.raises(IgnoreRequest):
        mw.process_response(failed.request, failed)
    truncated = TextResponse(url="http://x/d", body=b'{"code": 0, "data": {"ite', encoding="utf-8",
                             request=Request("http://x/d"), headers={"Content-Type": "application/json"})
    with pytest.raises(IgnoreRequest):
        mw.process_response(truncated.request, truncated)
    stats = spider.crawler.stats
    assert [stats.get_value(f"oppradar/api_errors/{c}") for c in ("-412", "400", "bad_json")] == [1, 1, 1]


def _rows(engine, table):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(table)).mappings()]


def test_crawl_the_sandbox_into_the_database(home, settings, engine):
    world = generate_world(seed=3, end=END, scale=0.2)
    with SandboxServer(world, fail_first=2) as server:
        args = {"keywords": ",".join(KEYWORDS), "base_url": server.base_url}
        notes = run_spider("sandbox_notes", args)
        offer_stats = run_spider("sandbox_offers", args)
        post_rows, offer_rows = _rows(engine, posts), _rows(engine, offers)
        notes_again = run_spider("sandbox_notes", args)
        offers_again = run_spider("sandbox_offers", args)

    expected = {(p["platform"], p["post_id"]): p for p in world.posts_for(KEYWORDS)}
    got = {(r["platform"], r["post_id"]): r for r in post_rows}
    assert set(got) == set(expected)
    for key, p in expected.items():
        row = got[key]
        fields = ("kind", "parent_id", "title", "text", "published_at", "url")
        assert [row[f] for f in fields] == [p[f] for f in fields], key
        assert (row["likes"], row["comments"], row["shares"], row["collects"]) == \
            (p["likes"], p["comments"], p["shares"], p["collects"]), key
        assert (row["query"], row["tags"], row["source"]) == (p["keyword"], p["tags"], "sandbox_notes")
        assert row["author_hash"] == hash_author(p["author_id"], settings.salt) != p["author_id"]

    want_offers = {o["offerId"]: o for o in world.offers_for(KEYWORDS)}
    got_offers = {r["offer_id"]: r for r in offer_rows}
    assert set(got_offers) == set(want_offers)
    for oid, o in want_offers.items():
        row = got_offers[oid]
        assert (row["title"], row["listed_at"], row["platform"]) == (o["subject"], o["listed_at"], "1688")
        prices = sorted(float(v) for v in o["priceInfo"].values())
        assert (row["price_min"], row["price_max"]) == (prices[0], prices[-1])

    assert (notes["items"], notes["inserted"], notes["updated"]) == (len(expected), len(expected), 0)
    assert (offer_stats["items"], offer_stats["inserted"]) == (len(want_offers), len(want_offers))
    assert notes["retries"] == 2 and notes["responses_by_status"]["503"] == 2
    assert notes["errors"] == 0 and notes["dropped"] == 0 and notes["finish_reason"] == "finished"
    assert (notes_again["inserted"], notes_again["updated"]) == (0, len(expected))
    assert (offers_again["inserted"], offers_again["updated"]) == (0, len(want_offers))
    assert (len(_rows(engine, posts)), len(_rows(engine, offers))) == (len(expected), len(want_offers))

    runs = _rows(engine, job_runs)
    assert [(r["job"], r["status"]) for r in runs] == \
        [("crawl:sandbox_notes", "ok"), ("crawl:sandbox_offers", "ok")] * 2
    assert runs[0]["stats"]["items"] == len(expected) and runs[0]["finished_at"] >= runs[0]["started_at"]
    archived = list(RawArchive(settings.raw_dir).read("sandbox_notes"))
    assert len(archived) == 2 * len(expected) and "author_id" not in archived[0]


def test_runner_reports_failures(home):
    with pytest.raises(BadInputError, match="no spider named"):
        run_spider("no_such_spider", {})
    with pytest.raises(OppradarError, match="keywords"):
        run_spider("sandbox_notes", {"base_url": "http://127.0.0.1:9"})
