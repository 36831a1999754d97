"""Every public-source spider against a hostile local server: one crawl per spider, one test per case.

Each spider crawls once a scripted server on 127.0.0.1 that answers in its live format and holds all of
its hostile cases: pagination, a 500 then success, a timeout then success, a 404, a truncated answer,
GBK (a JSON body declared `charset=gbk`; HTML with the charset in the header only or in a meta tag only),
script and style noise in text fields, a robots.txt disallow, and duplicates across pages.
`test_case[<spider>-<case>]` checks one case on that run's rows and job_runs stats;
`test_run_totals[<spider>]` checks the whole run: exactly these rows, drops, skips and errors by type.
offers_1688 has no noise case: the search fields it reads (subject, prices, ...) are never HTML.

Two cases guard fixes in crawlers/middlewares.py: weibo-robots and rss-robots (the disallowed request is a
later start request, which Scrapy's own robots.txt middleware let through while robots.txt was loading),
and bilibili-gbk (a GBK body that is also valid UTF-8, which `TextResponse.json()` misread).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from crawlers.runner import run_spider
from store.db import dispose_engines, get_engine
from store.schema import offers, posts
from tests.crawlers.fixtures import live
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, json_reply

SLOW = 3.0  # seconds a "timeout" route sleeps: past DOWNLOAD_TIMEOUT (FAST: 2 s), whatever the load
HTML = "text/html; charset=utf-8"
GBK_JSON = "application/json; charset=gbk"
TIMEOUT = "DownloadTimeoutError"  # Scrapy 2.13+ (twisted's TimeoutError before)
E500 = "500 Internal Server Error"
NOT_FOUND = "404"


def gbk_json(obj: Any) -> Reply:
    return Reply(json.dumps(obj, ensure_ascii=False).encode("gbk"), content_type=GBK_JSON)


def cut_json(obj: Any, keep: float = 0.6) -> Reply:
    """A JSON answer cut short (the connection's data ends mid-document, the headers say it is all)."""
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Reply(body[: int(len(body) * keep)])


def html(text: str, content_type: str = HTML, encoding: str = "utf-8") -> Reply:
    return Reply(text.encode(encoding), content_type=content_type)


def cut_before(text: str, marker: str) -> str:
    """The page cut just before `marker` (which must be there)."""
    return text[: text.index(marker)]


@dataclass
class Case:
    """What proves a hostile case was handled: rows with these fields, rows absent, stats, route hits."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    stats: dict[str, Any] = field(default_factory=dict)  # "a/b/c" paths into the run's stats
    hits: dict[str, int] = field(default_factory=dict)


@dataclass
class Scenario:
    """A spider's crawl: its arguments, its scripted site, what the run must store and count."""

    spider: str
    args: dict[str, str]
    site: Callable[[], FixtureSite]
    rows: set[str]  # every row the run stores, exactly
    cases: dict[str, Case]
    dropped: dict[str, int]
    skipped: dict[str, int] = field(default_factory=dict)
    api_errors: dict[str, int] = field(default_factory=dict)
    robots_forbidden: int = 1
    table: sa.Table = posts


# ---- B站 -------------------------------------------------------------------------------------------------

BILI_SEARCH = "/x/web-interface/wbi/search/type"
BILI_REPLY = "/x/v2/reply"
BUVID3 = "buvid3=4A1C2B7E-0D1F-49C3-9E6B-2AB15F6C71D3infoc; path=/"
NAV = {"code": -101, "message": "账号未登录", "ttl": 1, "data": {"isLogin": False, "wbi_img": {
    "img_url": "https://i0.hdslb.com/bfs/wbi/7cd084941338484aae1ad9425b84077c.png",
    "sub_url": "https://i0.hdslb.com/bfs/wbi/4932caff0ff746eab6f01bf08b70ac45.png"}}}


def bilibili_site() -> FixtureSite:
    em = '<em class="keyword">收纳盒</em>'
    v1 = live.bili_video(1700000001, f"{em}买大了，放不下", "衣柜里根本塞不进去", 2, 1763620800, 71)
    v2 = live.bili_video(1700000002, f"桌面{em}测评", "三款都看了一遍", 1, 1763600000, 72)
    v3 = live.bili_video(
        1700000003, '<em class="keyword">收纳</em><em class="keyword">盒</em>盖子太松',
        '盖子太松<script>var ad="买买买";</script>，一碰就掉<style>.a{color:red}</style>', 1, 1763500000, 73,
    )
    v4 = live.bili_video(1700000004, "抽屉收纳盒", "分隔板<b>容易断</b>", 0, 1763400000, 74)
    v5 = live.bili_video(1700000005, "透明收纳盒发黄了", "用了半年就变黄", 2, 1763300000, 75)
    v6 = live.bili_video(1700000006, "收纳盒开箱", "第三页的视频", 0, 1763200000, 76)
    c11 = live.bili_reply(2430000011, "收纳盒太大了，退货还要运费", 81, 1763621000, replies=[
        live.bili_reply(2430000012, "回复 @用户81 :同款，衣柜放不下", 82, 1763622000)])
    site = FixtureSite(robots=f"User-agent: *\nDisallow: {BILI_REPLY}?type=1&oid=1700000005\n")
    site.add("home", "/", Reply(b"<!DOCTYPE html><html><body></body></html>", content_type=HTML,
                                headers={"Set-Cookie": BUVID3}))
    site.add("nav", "/x/web-interface/nav", json_reply(NAV))
    site.add("search_p1", BILI_SEARCH, json_reply(live.bili_search([v1, v2, v3], 1, 3)), query={"page": "1"})
    site.add("search_p2", BILI_SEARCH, Reply(b"oops", 500, "text/plain"),
             json_reply(live.bili_search([v4, {**v1, "like": 46}, v5], 2, 3)), query={"page": "2"})
    site.add("search_p3", BILI_SEARCH, cut_json(live.bili_search([v6], 3, 3)), query={"page": "3"})
    site.add("replies_v1", BILI_REPLY, gbk_json(live.bili_replies([c11], 3, size=2)),
             query={"oid": "1700000001"})
    # 漏水 in GBK (C2 A9 CB AE) is valid UTF-8 too ("©ˮ"): only the declared charset tells them apart
    site.add("replies_v1_p2", BILI_REPLY, gbk_json(live.bili_replies(
        [live.bili_reply(2430000013, "漏水", 84, 1763623000, uname="car_fan")], 3, size=2, num=2)),
        query={"oid": "1700000001", "pn": "2"})
    site.add("replies_v2", BILI_REPLY, json_reply({}, delay=SLOW), json_reply(live.bili_replies(
        [live.bili_reply(2430000021, "盖子容易裂，小心", 83, 1763601000)], 1)), query={"oid": "1700000002"})
    site.add("replies_v5", BILI_REPLY, json_reply(live.bili_replies(
        [live.bili_reply(2430000051, "颜色变黄了", 85, 1763301000)], 1)), query={"oid": "1700000005"})
    return site  # the replies of 1700000003 are not routed: a 404


BILIBILI = Scenario(
    spider="bilibili",
    args={"keywords": "收纳盒"},
    site=bilibili_site,
    rows={"1700000001", "1700000002", "1700000003", "1700000004", "1700000005",
          "2430000011", "2430000012", "2430000013", "2430000021"},
    cases={
        "pagination": Case(rows={"1700000004": {}, "1700000005": {}, "2430000013": {}},
                           hits={"search_p3": 1, "replies_v1_p2": 1}),
        "server_error": Case(rows={"1700000004": {"title": "抽屉收纳盒", "text": "分隔板容易断"}},
                             stats={f"retries_by_reason/{E500}": 1}, hits={"search_p2": 2}),
        "timeout": Case(rows={"2430000021": {"text": "盖子容易裂，小心", "parent_id": "1700000002"}},
                        hits={"replies_v2": 2}),
        "not_found": Case(rows={"1700000003": {}}),
        "truncated": Case(absent={"1700000006"}, stats={"api_errors/bad_json": 1}, hits={"search_p3": 1}),
        "gbk": Case(rows={
            "2430000011": {"text": "收纳盒太大了，退货还要运费", "parent_id": "1700000001"},
            "2430000012": {"text": "回复 @用户81 :同款，衣柜放不下", "parent_id": "2430000011"},
            "2430000013": {"text": "漏水", "kind": "comment"}}),
        "noise": Case(rows={"1700000003": {"title": "收纳盒盖子太松", "text": "盖子太松，一碰就掉"},
                            "1700000001": {"title": "收纳盒买大了，放不下"}}),
        "robots": Case(absent={"2430000051"}, hits={"replies_v5": 0}),
        "duplicates": Case(rows={"1700000001": {"likes": 45}}),  # the first copy stays
    },
    dropped={"duplicate": 1},
    api_errors={"bad_json": 1},
)

# ---- 微博 ------------------------------------------------------------------------------------------------

WEIBO_PATH = "/api/container/getIndex"


def weibo_query(keyword: str, page: int | None = None) -> dict[str, str]:
    query = {"containerid": f"100103type=1&q={keyword}"}
    return {**query, "page": str(page)} if page else query


def weibo_site() -> FixtureSite:
    w1 = live.weibo_mblog(
        "5300000001",
        '租房必备<span class="surl-text">#收纳盒#</span>，可惜<a href=\'/n/某品牌\'>@某品牌</a> '
        "的盖子一压就裂"
        '<span class="url-icon"><img alt="[泪]" src="https://h5.sinaimg.cn/m/emoticon/d_lei.png" /></span>',
        "Sun Nov 22 21:14:05 +0800 2026", 6012340001, "1.2万",
    )
    w2 = live.weibo_mblog(
        "5300000002",
        '塑料收纳盒有股味道<script>window.__ad="推广"</script><style>.card{color:red}</style>，放衣服都串味'
        "<br />晾了三天还有",
        "Sat Nov 21 09:30:00 +0800 2026", 6012340002,
    )
    w3 = live.weibo_mblog("5300000003", "收纳盒的卡扣一掰就断", "Fri Nov 20 18:00:00 +0800 2026", 6012340003)
    w4 = live.weibo_mblog("5300000004", "粘钩挂两天就掉下来", "Thu Nov 19 08:00:00 +0800 2026", 6012340004)
    w8 = live.weibo_mblog("5300000008", "晾衣架被风吹翻了", "Wed Nov 18 08:00:00 +0800 2026", 6012340008)
    w9 = live.weibo_mblog("5300000009", "鞋架太窄放不下", "Thu Nov 19 08:00:00 +0800 2026", 6012340009)
    forbidden = quote("100103type=1&q=鞋架", safe="")  # the 5th start request: it waits for robots.txt
    site = FixtureSite(robots=f"User-agent: *\nDisallow: {WEIBO_PATH}?containerid={forbidden}\n")
    site.add("box_p1", WEIBO_PATH, json_reply(live.weibo_page("收纳盒", [w1, w2], 2)),
             query=weibo_query("收纳盒", 1))
    site.add("box_p2", WEIBO_PATH, Reply(b"oops", 500, "text/plain"),
             gbk_json(live.weibo_page("收纳盒", [w3, {**w2, "attitudes_count": 9}], 3)),
             query=weibo_query("收纳盒", 2))
    site.add("box_p3", WEIBO_PATH, json_reply(live.WEIBO_END), query=weibo_query("收纳盒", 3))
    site.add("hook", WEIBO_PATH, json_reply({}, delay=SLOW),
             json_reply(live.weibo_page("挂钩", [w4], None)), query=weibo_query("挂钩"))
    site.add("cut", WEIBO_PATH, cut_json(live.weibo_page("晾衣架", [w8], 2)), query=weibo_query("晾衣架"))
    site.add("shoe", WEIBO_PATH, json_reply(live.weibo_page("鞋架", [w9], None)), query=weibo_query("鞋架"))
    return site  # 衣架 is not routed: a 404


WEIBO = Scenario(
    spider="weibo",
    args={"keywords": "收纳盒,挂钩,衣架,晾衣架,鞋架"},
    site=weibo_site,
    rows={"5300000001", "5300000002", "5300000003", "5300000004"},
    cases={
        "pagination": Case(rows={"5300000003": {}}, hits={"box_p3": 1}),
        "server_error": Case(rows={"5300000003": {}}, stats={f"retries_by_reason/{E500}": 1},
                             hits={"box_p2": 2}),
        "timeout": Case(rows={"5300000004": {"text": "粘钩挂两天就掉下来", "query": "挂钩"}},
                        hits={"hook": 2}),
        "not_found": Case(),
        "truncated": Case(absent={"5300000008"}, stats={"api_errors/bad_json": 1}, hits={"cut": 1}),
        "gbk": Case(rows={"5300000003": {"text": "收纳盒的卡扣一掰就断", "query": "收纳盒"}}),
        "noise": Case(rows={
            "5300000001": {"text": "租房必备#收纳盒#，可惜@某品牌 的盖子一压就裂[泪]", "likes": 12000},
            "5300000002": {"text": "塑料收纳盒有股味道，放衣服都串味\n晾了三天还有"}}),
        "robots": Case(absent={"5300000009"}, hits={"shoe": 0}),
        "duplicates": Case(rows={"5300000002": {"likes": 0}}),  # the first copy stays
    },
    dropped={"duplicate": 1},
    api_errors={"bad_json": 1},
)

# ---- 豆瓣小组 --------------------------------------------------------------------------------------------


def topic_path(tid: int) -> str:
    return f"/group/topic/{tid}/"


def douban_site() -> FixtureSite:
    p2 = "https://www.douban.com/group/search?start=50&cat=1013&q=收纳盒&sort=time"
    first = [(320000001 + i, f"收纳盒求助{i + 1}", f"2026-11-2{i} 21:03:11") for i in range(6)]
    second = [(320000007, "收纳盒尺寸", "2026-11-19 10:00:00"),
              (320000009, "私密小组", "2026-11-19 09:00:00"),
              (320000001, "收纳盒求助1", "2026-11-20 21:03:11")]
    t1 = live.douban_topic(
        320000001, "塑料收纳盒变形了", "2026-11-20 21:03:11",
        '<p>塑料收纳盒用了一个月，<b>盖子</b>就变形了。<script>track("topic")</script></p>'
        "<style>p{margin:0}</style><p>有没有结实点的推荐？</p>",
        [(4800000011, "2026-11-20 21:30:02", '试试PP材质的<script>ad()</script>，耐用<style>.x{}</style>'),
         (4800000012, "2026-11-20 22:01:45", "压缩袋也行，<br>就是容易漏气")],
        next_href="https://www.douban.com/group/topic/320000001/?start=100",
    )
    t1_p2 = live.douban_topic(
        320000001, "塑料收纳盒变形了", "2026-11-20 21:03:11", "",
        [(4800000012, "2026-11-20 22:01:45", "压缩袋也行，<br>就是容易漏气"),
         (4800000013, "2026-11-21 09:00:00", "谢谢，已下单")],
    )
    t2 = live.douban_topic(320000002, "收纳盒有味道", "2026-11-21 08:00:00", "<p>收纳盒有股塑料味，串味</p>",
                           [(4800000021, "2026-11-21 09:00:00", "开盖放阳台散几天")], meta_charset=None)
    t3 = live.douban_topic(320000003, "收纳盒发黄", "2026-11-22 08:00:00", "<p>透明收纳盒放了半年就发黄</p>",
                           meta_charset="gbk")
    t4 = live.douban_topic(320000004, "滑轮坏了", "2026-11-23 08:00:00", "<p>收纳盒的滑轮坏了</p>")
    t5 = live.douban_topic(320000005, "折叠收纳盒", "2026-11-24 08:00:00", "<p>折叠收纳盒收不起来</p>")
    t7 = live.douban_topic(
        320000007, "收纳盒尺寸", "2026-11-19 10:00:00", "<p>收纳盒尺寸太小，放不下A4纸</p>",
        [(4800000071, "2026-11-19 11:00:00", "买大一号的"),
         (4800000072, "2026-11-19 12:00:00", "被截断的回复")],
    )
    t9 = live.douban_topic(320000009, "私密小组", "2026-11-19 09:00:00", "<p>不该被抓到的帖子</p>")
    site = FixtureSite(robots="User-agent: *\nDisallow: /group/topic/320000009/\n")
    site.add("list", "/group/search", html(live.douban_list(first, p2)))
    site.add("list_p2", "/group/search", html(live.douban_list(second, None)), query={"start": "50"})
    site.add("t1", topic_path(320000001), html(t1))
    site.add("t1_p2", topic_path(320000001), html(t1_p2), query={"start": "100"})
    site.add("t2", topic_path(320000002), html(t2, "text/html; charset=GBK", "gbk"))
    site.add("t3", topic_path(320000003), html(t3, "text/html", "gbk"))
    site.add("t4", topic_path(320000004), Reply(b"error", 500, "text/plain"), html(t4))
    site.add("t5", topic_path(320000005), Reply(b"", delay=SLOW), html(t5))
    site.add("t7", topic_path(320000007), html(cut_before(t7, '<span class="pubtime">2026-11-19 12:00')))
    site.add("t9", topic_path(320000009), html(t9))
    return site  # topic 320000006 is not routed: a 404


DOUBAN = Scenario(
    spider="douban_group",
    args={"keywords": "收纳盒"},
    site=douban_site,
    rows={"320000001", "4800000011", "4800000012", "4800000013", "320000002", "4800000021", "320000003",
          "320000004", "320000005", "320000007", "4800000071"},
    cases={
        "pagination": Case(rows={"4800000013": {"parent_id": "320000001"}, "320000007": {}},
                           hits={"list_p2": 1, "t1_p2": 1}),
        "server_error": Case(rows={"320000004": {"text": "收纳盒的滑轮坏了"}},
                             stats={f"retries_by_reason/{E500}": 1}, hits={"t4": 2}),
        "timeout": Case(rows={"320000005": {"text": "折叠收纳盒收不起来"}}, hits={"t5": 2}),
        "not_found": Case(),
        "truncated": Case(rows={"320000007": {"text": "收纳盒尺寸太小，放不下A4纸"}, "4800000071": {}},
                          absent={"4800000072"}, stats={"dropped_by_reason/invalid_published_at": 1}),
        "gbk": Case(rows={
            "320000002": {"title": "收纳盒有味道", "text": "收纳盒有股塑料味，串味"},  # header only
            "4800000021": {"text": "开盖放阳台散几天"},
            "320000003": {"title": "收纳盒发黄", "text": "透明收纳盒放了半年就发黄"}}),  # meta only
        "noise": Case(rows={
            "320000001": {"title": "塑料收纳盒变形了",
                          "text": "塑料收纳盒用了一个月，盖子就变形了。\n有没有结实点的推荐？"},
            "4800000011": {"text": "试试PP材质的，耐用", "likes": 3}}),
        "robots": Case(absent={"320000009"}, hits={"t9": 0}),
        "duplicates": Case(rows={"4800000012": {"text": "压缩袋也行，\n就是容易漏气"}}, hits={"t1": 1}),
    },
    dropped={"duplicate": 1, "invalid_published_at": 1},
)

# ---- 贴吧 ------------------------------------------------------------------------------------------------


def tieba_site() -> FixtureSite:
    floor = live.tieba_floor
    t1 = live.tieba_thread("收纳盒隔板太薄", [
        floor(160000000011, 1, 501, '收纳盒的隔板太薄<script>var a="广告"</script>，放两本书就压弯了'
              '<style>.x{}</style><img class="BDE_Smiley" src="x.png" alt="[汗]">', "2026-11-20 10:15"),
        floor(160000000012, 2, 502, "换铁的吧<br>塑料的都这样", "2026-11-20 11:00")], pages=2)
    t1_p2 = live.tieba_thread("收纳盒隔板太薄", [
        floor(160000000012, 2, 502, "换铁的吧<br>塑料的都这样", "2026-11-20 11:00"),
        floor(160000000013, 3, 503, "楼上正解", "2026-11-20 12:00")], pages=2)
    t2 = live.tieba_thread("收纳盒有异味", [
        floor(160000000021, 1, 504, "收纳盒有异味，通风几天都没散", "2026-11-21 10:00"),
        floor(160000000022, 2, 505, "用小苏打吸一下", "2026-11-21 11:00")], meta_charset=None)
    t3 = live.tieba_thread("卡扣断了", [floor(160000000031, 1, 506, "收纳盒卡扣断了", "2026-11-22 10:00")])
    t4 = live.tieba_thread("轮子卡住", [floor(160000000041, 1, 507, "收纳盒轮子卡住了", "2026-11-23 10:00")])
    t6 = live.tieba_thread("盖子太紧", [
        floor(160000000061, 1, 508, "收纳盒盖子太紧打不开", "2026-11-19 10:00"),
        floor(160000000062, 2, 509, "被截断的楼层", "2026-11-19 11:00")])
    t9 = live.tieba_thread("不该抓", [floor(160000000091, 1, 510, "不该被抓到的帖子", "2026-11-19 10:00")])
    first = [(9200000001, "收纳盒隔板太薄"), (9200000002, "收纳盒有异味"), (9200000003, "卡扣断了"),
             (9200000004, "轮子卡住")]
    second = [(9200000005, "已删除"), (9200000006, "盖子太紧"), (9200000009, "不该抓")]
    site = FixtureSite(robots="User-agent: *\nDisallow: /p/9200000009\n")
    site.add("forum", "/f", html(live.tieba_forum(first, True, meta_charset="gbk"), "text/html", "gbk"))
    site.add("forum_p2", "/f", html(live.tieba_forum(second, False, bigpipe=True)), query={"pn": "50"})
    site.add("t1", "/p/9200000001", html(t1))
    site.add("t1_p2", "/p/9200000001", html(t1_p2), query={"pn": "2"})
    site.add("t2", "/p/9200000002", html(t2, "text/html; charset=GBK", "gbk"))
    site.add("t3", "/p/9200000003", Reply(b"busy", 500, "text/plain"), html(t3))
    site.add("t4", "/p/9200000004", Reply(b"", delay=SLOW), html(t4))
    site.add("t6", "/p/9200000006", html(cut_before(t6, '<span class="tail-info">2026-11-19 11:00')))
    site.add("t9", "/p/9200000009", html(t9))
    return site  # thread 9200000005 is not routed: a 404


TIEBA = Scenario(
    spider="tieba",
    args={"keywords": "收纳盒"},
    site=tieba_site,
    rows={"9200000001", "160000000012", "160000000013", "9200000002", "160000000022", "9200000003",
          "9200000004", "9200000006"},
    cases={
        "pagination": Case(rows={"160000000013": {"parent_id": "9200000001"}, "9200000006": {}},
                           hits={"forum_p2": 1, "t1_p2": 1}),
        "server_error": Case(rows={"9200000003": {"text": "收纳盒卡扣断了"}},
                             stats={f"retries_by_reason/{E500}": 1}, hits={"t3": 2}),
        "timeout": Case(rows={"9200000004": {"text": "收纳盒轮子卡住了"}}, hits={"t4": 2}),
        "not_found": Case(),
        "truncated": Case(rows={"9200000006": {"text": "收纳盒盖子太紧打不开"}}, absent={"160000000062"},
                          stats={"dropped_by_reason/invalid_published_at": 1}),
        "gbk": Case(rows={
            "9200000001": {"title": "收纳盒隔板太薄"},  # the forum list: GBK, charset in a meta tag only
            "9200000002": {"title": "收纳盒有异味", "text": "收纳盒有异味，通风几天都没散"},  # header only
            "160000000022": {"text": "用小苏打吸一下", "kind": "reply"}}),
        "noise": Case(rows={"9200000001": {"text": "收纳盒的隔板太薄，放两本书就压弯了[汗]", "kind": "topic"},
                            "160000000012": {"text": "换铁的吧\n塑料的都这样"}}),
        "robots": Case(absent={"9200000009"}, hits={"t9": 0}),
        "duplicates": Case(rows={"160000000012": {}}),
    },
    dropped={"duplicate": 1, "invalid_published_at": 1},
)

# ---- RSS and Atom ----------------------------------------------------------------------------------------

ATOM = "application/atom+xml"
RSS = "application/rss+xml"


def rss_site() -> FixtureSite:
    atom_p1 = live.atom_feed([
        ("tag:blog.example.com,2026:post-41", "租房收纳盒 <em>十件</em>", "2026-11-22T10:00:00+08:00",
         "<p>伸缩杆、挂钩、收纳盒……</p><script>track()</script><style>p{}</style><p>收纳盒别买太薄的</p>"),
        ("tag:blog.example.com,2026:post-40", "周末整理", "2026-11-21T10:00:00Z", "<p>整理了抽屉</p>"),
    ], "https://blog.example.com/atom.xml?page=2")
    atom_p2 = live.atom_feed([
        ("tag:blog.example.com,2026:post-41", "租房收纳盒", "2026-11-22T10:00:00+08:00", "重复"),
        ("tag:blog.example.com,2026:post-39", "阳台收纳柜", "2026-11-20T08:00:00Z", "晒了一个夏天，变黄了"),
    ], None)
    gbk_decl = live.rss_feed([
        ("bbs-2001", "收纳盒承重差", "Fri, 20 Nov 2026 13:05:00 +0800", "<p>放几本书就裂了</p>"),
        ("bbs-2002", "鞋盒发霉", "Thu, 19 Nov 2026 09:00:00 +0800", "<p>梅雨天长霉点</p>"),
    ], encoding="gbk")
    gbk_header = live.rss_feed(
        [("bbs-2101", "收纳袋漏气", "Wed, 18 Nov 2026 20:00:00 GMT", "真空收纳袋两天就漏气")], encoding=None)
    slow = live.rss_feed([("bbs-2201", "挂钩掉了", "Tue, 17 Nov 2026 20:00:00 GMT", "粘钩不牢")])
    cut = live.rss_feed([
        ("bbs-2301", "置物架生锈", "Mon, 16 Nov 2026 20:00:00 GMT", "不锈钢也生锈"),
        ("bbs-2302", "被截断的帖子", "Mon, 16 Nov 2026 21:00:00 GMT", "看不到"),
    ])
    private = live.rss_feed([("bbs-2901", "不该抓", "Mon, 16 Nov 2026 20:00:00 GMT", "不该抓")])
    site = FixtureSite(robots="User-agent: *\nDisallow: /private.xml\n")
    site.add("atom", "/atom.xml", Reply(b"oops", 500, "text/plain"),
             Reply(atom_p1.encode(), content_type=ATOM))
    site.add("atom_p2", "/atom.xml", Reply(atom_p2.encode(), content_type=ATOM), query={"page": "2"})
    site.add("gbk_decl", "/gbk-decl.xml", Reply(gbk_decl.encode("gbk"), content_type=RSS))
    site.add("gbk_header", "/gbk-header.xml",
             Reply(gbk_header.encode("gbk"), content_type=f"{RSS}; charset=gbk"))
    site.add("slow", "/slow.xml", Reply(b"", delay=SLOW), Reply(slow.encode(), content_type=RSS))
    site.add("cut", "/cut.xml",
             Reply(cut_before(cut, "<pubDate>Mon, 16 Nov 2026 21:00").encode(), content_type=RSS))
    site.add("private", "/private.xml", Reply(private.encode(), content_type=RSS))
    return site  # gone.xml is not routed: a 404


RSS_FEEDS = ("https://blog.example.com/atom.xml", "https://bbs.example.cn/gbk-decl.xml",
             "https://bbs.example.cn/gbk-header.xml", "https://bbs.example.cn/slow.xml",
             "https://bbs.example.cn/gone.xml", "https://bbs.example.cn/cut.xml",
             "https://bbs.example.cn/private.xml")

RSS_SCENARIO = Scenario(
    spider="rss",
    args={"feeds": ",".join(RSS_FEEDS)},
    site=rss_site,
    rows={"tag:blog.example.com,2026:post-41", "tag:blog.example.com,2026:post-40",
          "tag:blog.example.com,2026:post-39", "bbs-2001", "bbs-2002", "bbs-2101", "bbs-2201", "bbs-2301"},
    cases={
        "pagination": Case(rows={"tag:blog.example.com,2026:post-39": {"text": "晒了一个夏天，变黄了"}},
                           hits={"atom_p2": 1}),
        "server_error": Case(rows={"tag:blog.example.com,2026:post-40": {"text": "整理了抽屉"}},
                             stats={f"retries_by_reason/{E500}": 1}, hits={"atom": 2}),
        "timeout": Case(rows={"bbs-2201": {"title": "挂钩掉了", "text": "粘钩不牢"}}, hits={"slow": 2}),
        "not_found": Case(),
        "truncated": Case(rows={"bbs-2301": {"text": "不锈钢也生锈"}}, absent={"bbs-2302"},
                          stats={"dropped_by_reason/invalid_published_at": 1}),
        "gbk": Case(rows={
            "bbs-2001": {"title": "收纳盒承重差", "text": "放几本书就裂了"},  # the XML declaration only
            "bbs-2002": {"title": "鞋盒发霉", "text": "梅雨天长霉点"},
            "bbs-2101": {"title": "收纳袋漏气", "text": "真空收纳袋两天就漏气"}}),  # the header only
        "noise": Case(rows={"tag:blog.example.com,2026:post-41": {
            "title": "租房收纳盒 十件", "text": "伸缩杆、挂钩、收纳盒……\n收纳盒别买太薄的"}}),
        "robots": Case(absent={"bbs-2901"}, hits={"private": 0}),
        "duplicates": Case(rows={"tag:blog.example.com,2026:post-41": {}}),
    },
    dropped={"duplicate": 1, "invalid_published_at": 1},
)

# ---- 1688 ------------------------------------------------------------------------------------------------

OPEN_API = "/openapi/param2/1/com.alibaba.fenxiao.crossborder/"
SEARCH_1688 = OPEN_API + "product.search.keywordQuery/0"
DETAIL_1688 = OPEN_API + "product.search.queryProductDetail/0"


def offer_query(keyword: str, page: int) -> Callable[[Any], bool]:
    """Matches the keywordQuery POST for this keyword and page (inside the offerQueryParam JSON)."""

    def match(req: Any) -> bool:
        query = json.loads(req.form.get("offerQueryParam") or "{}")
        return query.get("keyword") == keyword and query.get("beginPage") == page

    return match


def offers_1688_site() -> FixtureSite:
    o = live.offer_1688
    o11 = o(745200000011, "桌面收纳盒 抽屉式 可印logo", "12.50", "2026-08-02 10:12:33")
    o12 = o(745200000012, "塑料收纳盒 带盖", "8.00", "2026-07-01 09:00:00")
    o13 = o(745200000013, "透明收纳盒 PP材质", "6.80", "2026-06-15 08:00:00")
    o14 = o(745200000014, "折叠收纳盒 布艺", "15.00", "2026-05-01 08:00:00")
    o21 = o(745200000021, "免打孔挂钩 强力粘钩", "0.35", "2026-04-01 08:00:00")
    o41 = o(745200000041, "不锈钢晾衣架", "25.00", "2026-03-01 08:00:00")
    page = live.offers_1688_page
    site = FixtureSite(robots=f"User-agent: *\nDisallow: {DETAIL_1688}\n")
    site.add("p1", SEARCH_1688, json_reply(page([o11, o12], 1, 3)), when=offer_query("收纳盒", 1))
    site.add("p2", SEARCH_1688, Reply(b"", 500, "text/plain"), gbk_json(page([o13, o11], 2, 3)),
             when=offer_query("收纳盒", 2))
    site.add("p3", SEARCH_1688, json_reply(page([o14], 3, 3)), when=offer_query("收纳盒", 3))
    site.add("hook", SEARCH_1688, json_reply({}, delay=SLOW), json_reply(page([o21], 1, 1)),
             when=offer_query("挂钩", 1))
    site.add("cut", SEARCH_1688, cut_json(page([o41], 1, 1)), when=offer_query("晾衣架", 1))
    site.add("detail", DETAIL_1688, json_reply({"result": {"success": True, "result": {}}}))
    return site  # 衣架's search is not routed: a 404


OFFERS_1688 = Scenario(
    spider="offers_1688",
    args={"keywords": "收纳盒,挂钩,衣架,晾衣架"},
    site=offers_1688_site,
    rows={"745200000011", "745200000012", "745200000013", "745200000014", "745200000021"},
    cases={
        "pagination": Case(rows={"745200000014": {"title": "折叠收纳盒 布艺", "price_min": 15.0}},
                           hits={"p3": 1}),
        "server_error": Case(rows={"745200000013": {}}, stats={f"retries_by_reason/{E500}": 1},
                             hits={"p2": 2}),
        "timeout": Case(rows={"745200000021": {"title": "免打孔挂钩 强力粘钩", "price_min": 0.35}},
                        hits={"hook": 2}),
        "not_found": Case(),
        "truncated": Case(absent={"745200000041"}, stats={"api_errors/bad_json": 1}, hits={"cut": 1}),
        "gbk": Case(rows={"745200000013": {"title": "透明收纳盒 PP材质", "price_min": 6.8,
                                           "sales_30d": 12000}}),
        # every detail is disallowed: each offer is its search item alone (no unit, counted as detail_failed)
        "robots": Case(rows={"745200000011": {"unit": None, "customizable": True}},
                       stats={"skipped/detail_failed": 5}, hits={"detail": 0}),
        "duplicates": Case(rows={"745200000011": {}}, stats={"skipped/duplicate_offer": 1}),
    },
    dropped={},
    skipped={"duplicate_offer": 1, "detail_failed": 5},
    api_errors={"bad_json": 1},
    robots_forbidden=5,
    table=offers,
)

SCENARIOS = {s.spider: s for s in (BILIBILI, WEIBO, DOUBAN, TIEBA, RSS_SCENARIO, OFFERS_1688)}
MATRIX = [(spider, case) for spider, s in SCENARIOS.items() for case in s.cases]


# ---- the crawls ------------------------------------------------------------------------------------------


@dataclass
class Run:
    stats: dict[str, Any]
    rows: dict[str, dict[str, Any]]
    hits: dict[str, int]


def crawl(scenario: Scenario, home: Any) -> Run:
    """One crawl of the scenario's site, in its own OPPRADAR_HOME; the rows it stored and its stats."""
    url = f"sqlite:///{home / 'oppradar.db'}"
    env = {"OPPRADAR_HOME": str(home), "OPPRADAR_DATABASE_URL": url}
    with scenario.site() as site:
        stats = run_spider(scenario.spider, {**scenario.args, "base_url": site.base_url}, FAST, env=env,
                           timeout=120)
    key = scenario.table.c.offer_id if scenario.table is offers else scenario.table.c.post_id
    with get_engine(url).connect() as conn:
        rows = {r[key.name]: dict(r) for r in conn.execute(sa.select(scenario.table)).mappings()}
    return Run(stats, rows, dict(site.hits))


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory) -> Iterator[dict[str, Future[Run]]]:
    """The crawls the selected tests need, two at a time (a crawl mostly waits on its timeout route)."""
    wanted = {item.callspec.params["spider"] for item in request.session.items
              if item.module is request.module and hasattr(item, "callspec")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield {name: pool.submit(crawl, SCENARIOS[name], tmp_path_factory.mktemp(f"home-{name}"))
               for name in SCENARIOS if name in wanted}
    dispose_engines()


def stat(stats: dict[str, Any], path: str) -> Any:
    """The value at an "a/b/c" path of the stats (0 when a count is absent)."""
    value: Any = stats
    for part in path.split("/"):
        value = value.get(part, 0) if isinstance(value, dict) else 0
    return value


@pytest.mark.parametrize(("spider", "case"), MATRIX, ids=[f"{s}-{c}" for s, c in MATRIX])
def test_case(runs, spider, case):
    run = runs[spider].result()
    scenario, check = SCENARIOS[spider], SCENARIOS[spider].cases[case]
    for row_id, fields in check.rows.items():
        assert row_id in run.rows, f"{row_id} missing"
        assert {k: run.rows[row_id][k] for k in fields} == fields
    assert not check.absent & set(run.rows)
    for path, value in check.stats.items():
        assert stat(run.stats, path) == value, path
    for route, count in check.hits.items():
        assert run.hits.get(route, 0) == count, route
    if case == "robots":
        assert run.stats["robots_forbidden"] == scenario.robots_forbidden
        assert run.stats["errors_by_type"]["download"]["IgnoreRequest"] == scenario.robots_forbidden
    if case == "timeout":
        assert run.stats["errors_by_type"]["download"][TIMEOUT] == 1
        assert run.stats["retries_by_reason"][f"scrapy.exceptions.{TIMEOUT}"] == 1
    if case == "server_error":
        assert run.stats["responses_by_status"]["500"] == 1
    if case == "not_found":
        assert run.stats["errors_by_type"]["http_ignored"] == {NOT_FOUND: 1} and run.hits["404"] == 1
    if case == "duplicates" and scenario.table is posts:
        assert run.stats["dropped_by_reason"]["duplicate"] == 1
    if case == "noise":
        texts = " ".join(f"{r['title']} {r['text']}" for r in run.rows.values())
        assert not any(junk in texts for junk in ("<", "{", "script", "广告", "推广", "脚本", "track("))


@pytest.mark.parametrize("spider", list(SCENARIOS))
def test_run_totals(runs, spider):
    run, scenario = runs[spider].result(), SCENARIOS[spider]
    stats = run.stats
    assert set(run.rows) == scenario.rows
    assert stats["items"] == len(scenario.rows) and stats["inserted"] == len(scenario.rows)
    assert stats["dropped_by_reason"] == scenario.dropped
    assert stats["skipped"] == scenario.skipped
    assert stats["api_errors"] == scenario.api_errors
    assert stats["robots_forbidden"] == scenario.robots_forbidden
    assert stats["errors_by_type"] == {
        "log_error": 0,
        "download": {TIMEOUT: 1, "IgnoreRequest": scenario.robots_forbidden},  # robots.txt's refusals
        "spider_exceptions": {},
        "http_ignored": {NOT_FOUND: 1},
        "api": scenario.api_errors,
        "store": 0,
    }
    assert stats["retries_by_reason"] == {E500: 1, f"scrapy.exceptions.{TIMEOUT}": 1}
    assert stats["retries_exhausted"] == 0
    assert stats["errors"] == 0 and stats["spider_exceptions"] == 0
    assert stats["finish_reason"] == "finished" and stats["status"] == "ok"
