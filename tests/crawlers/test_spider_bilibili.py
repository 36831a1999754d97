"""The bilibili spider against a local server in B站's live shapes: WBI signature, buvid3, -412, errors."""

import hashlib
from functools import reduce
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa

from crawlers.runner import run_spider
from crawlers.spiders.bilibili import BilibiliSpider, mixin_key, wbi_sign
from store.schema import posts
from tests.crawlers.fixtures.site import FAST, FixtureSite, Reply, file_reply, fixture, json_reply

# The table as docs/misc/sign/wbi.md prints it, kept apart from the spider's copy on purpose.
DOC_TAB = [
    46,
    47,
    18,
    2,
    53,
    8,
    23,
    32,
    15,
    50,
    10,
    31,
    58,
    3,
    45,
    35,
    27,
    43,
    5,
    49,
    33,
    9,
    42,
    19,
    29,
    28,
    14,
    39,
    12,
    38,
    41,
    13,
    37,
    48,
    7,
    16,
    24,
    55,
    40,
    61,
    26,
    17,
    0,
    1,
    60,
    51,
    30,
    4,
    22,
    25,
    54,
    21,
    56,
    59,
    6,
    63,
    57,
    62,
    11,
    36,
    20,
    34,
    44,
    52,
]
KEY = reduce(
    lambda s, i: s + ("7cd084941338484aae1ad9425b84077c4932caff0ff746eab6f01bf08b70ac45")[i], DOC_TAB, ""
)[:32]
BLOCKED = {"code": -412, "message": "请求被拦截", "ttl": 1, "data": None}


def test_wbi_signature_matches_the_documented_example():
    assert (
        mixin_key("7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45")
        == "ea1db124af3c7062474693fa704f4ff8"
        == KEY
    )
    signed = wbi_sign({"foo": "114", "bar": "514", "zab": 1919810}, KEY, wts=1702204169)
    assert signed == "bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4"
    assert "keyword=one%20one%20four" in wbi_sign({"keyword": "one one four!"}, KEY, wts=1)
    with pytest.raises(ValueError, match="keywords"):
        BilibiliSpider()


def _signed_ok(req) -> bool:
    query = dict(req.query)
    w_rid = query.pop("w_rid", None)
    if not w_rid or "wts" not in query or "buvid3=" not in (req.headers.get("Cookie") or ""):
        return False
    plain = urlencode(sorted(query.items()), quote_via=quote)
    return hashlib.md5((plain + KEY).encode()).hexdigest() == w_rid


def _search_route():
    page2_answers = [json_reply(BLOCKED), file_reply("bilibili/search_p2.json")]

    def answer(req):
        if not _signed_ok(req):
            return json_reply(BLOCKED)
        page = req.query.get("page")
        if page == "1":
            return file_reply("bilibili/search_p1.json")
        if page == "2":
            return page2_answers.pop(0) if len(page2_answers) > 1 else page2_answers[0]
        return Reply(fixture("bilibili/search_p2.json")[:300])  # truncated JSON

    return answer


def _site() -> FixtureSite:
    site = FixtureSite()
    site.add(
        "home",
        "/",
        file_reply(
            "bilibili/home.html",
            "text/html; charset=utf-8",
            headers={
                "Set-Cookie": "buvid3=4A1C2B7E-0D1F-49C3-9E6B-2AB15F6C71D3infoc; "
                "path=/; expires=Wed, 24 Nov 2027 00:00:00 GMT"
            },
        ),
    )
    site.add("nav", "/x/web-interface/nav", file_reply("bilibili/nav.json"))
    site.add("search", "/x/web-interface/wbi/search/type", _search_route())
    site.add(
        "replies_v1", "/x/v2/reply", file_reply("bilibili/replies_v1_p1.json"), query={"oid": "1105634021"}
    )
    site.add(
        "replies_v1_p2",
        "/x/v2/reply",
        Reply(b"oops", 500, "text/plain"),
        file_reply("bilibili/replies_v1_p2.json"),
        query={"oid": "1105634021", "pn": "2"},
    )
    site.add(
        "replies_v4",
        "/x/v2/reply",
        json_reply({}, delay=2.6),
        file_reply("bilibili/replies_v4.json"),
        query={"oid": "1355723881"},
    )
    # replies of 1405981123 are not routed: a 404
    return site


def test_bilibili_crawl_signs_retries_and_counts(home, settings, engine):
    with _site() as site:
        args = {"keywords": "车载冰箱", "base_url": site.base_url, "max_pages": "5"}
        stats = run_spider("bilibili", args, {**FAST, "HTTPCACHE_ENABLED": True})
        hits_after_first = dict(site.hits)
        replay = run_spider("bilibili", args, {**FAST, "OPPRADAR_OFFLINE": 1})
        assert dict(site.hits) == hits_after_first  # offline: the server saw nothing more

    with engine.connect() as conn:
        rows = {r["post_id"]: r for r in conn.execute(sa.select(posts)).mappings()}
    videos = {k for k, r in rows.items() if r["kind"] == "video"}
    assert videos == {"1105634021", "1405981123", "1755510009", "1355723881"}
    assert rows["1105634021"]["title"] == "车载冰箱用了半年，说点真话"
    assert rows["1355723881"]["title"] == "车载冰箱漏水？教你一招"
    assert rows["243001100002"]["parent_id"] == "243001100001" and rows["243001100002"]["kind"] == "reply"
    assert rows["243001100004"]["text"] == "有链接吗[doge]"  # page 2 of the replies, after a 500
    assert rows["243009900001"]["parent_id"] == "1355723881"  # after a timeout
    assert rows["1105634021"]["author_hash"] not in (None, "398712004")
    assert len(rows) == 9 and stats["items"] == 9 and stats["inserted"] == 9

    assert stats["dropped_by_reason"] == {"duplicate": 1}  # the video on pages 1 and 2
    assert stats["api_errors"] == {"-412": 1, "bad_json": 1}
    assert stats["retries_by_reason"]["api_code_-412"] == 1
    assert stats["responses_by_status"]["500"] == 1 and stats["responses_by_status"]["404"] == 1
    assert stats["errors_by_type"]["http_ignored"] == {"404": 1}
    assert sum(v for k, v in stats["errors_by_type"]["download"].items() if "Timeout" in k) == 1
    assert stats["retries"] == 3 and stats["errors"] == 0 and stats["finish_reason"] == "finished"
    assert hits_after_first["search"] == 4 and hits_after_first["home"] == 1

    assert replay["items"] == 9 and replay["updated"] == 9 and replay["inserted"] == 0
    assert replay["cache"]["ignore"] == 2  # the truncated page and the 404 were never cached
