import json
import math
import urllib.error
import urllib.parse
import urllib.request

import pytest

from crawlers.sandbox.server import SandboxServer, format_count

KEYWORD = "车载冰箱"


def _get(server, path, **params):
    url = f"{server.base_url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert "json" in resp.headers["Content-Type"]
        return json.loads(resp.read().decode("utf-8"))


def _post_json(server, path, body):
    req = urllib.request.Request(f"{server.base_url}{path}", data=json.dumps(body).encode("utf-8"),
                                 headers={"Content-Type": "application/json;charset=UTF-8"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read().decode("utf-8"))


def _world_posts(world, platform, kind, keyword=KEYWORD):
    return [p for p in world.posts if p["platform"] == platform and p["kind"] == kind
            and p["keyword"] == keyword]


def test_format_count_like_xhs():
    assert [format_count(n) for n in (0, 985, 10_000, 12_000, 99_000, 100_000, 250_000)] == \
        ["0", "985", "1万", "1.2万", "9.9万", "10万+", "10万+"]


def test_robots_allows_everything_and_unknown_paths_are_404(sandbox_server):
    with urllib.request.urlopen(f"{sandbox_server.base_url}/robots.txt", timeout=10) as resp:
        assert resp.read().decode() == "User-agent: *\nAllow: /\n"
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{sandbox_server.base_url}/api/nothing", timeout=10)
    assert err.value.code == 404


def test_xhs_search_pages_through_every_note(sandbox_world, sandbox_server):
    seen, page = [], 1
    while True:
        answer = _post_json(sandbox_server, "/api/sns/web/v1/search/notes",
                            {"keyword": KEYWORD, "page": page, "page_size": 20, "sort": "time_descending"})
        assert answer["code"] == 0 and answer["success"] is True and answer["msg"] == "成功"
        items = answer["data"]["items"]
        assert len(items) <= 20
        seen += items
        if not answer["data"]["has_more"]:
            break
        page += 1
    notes = _world_posts(sandbox_world, "xhs", "note")
    assert sorted(i["id"] for i in seen) == sorted(p["post_id"] for p in notes)
    times = [i["note_card"]["time"] for i in seen]
    assert times == sorted(times, reverse=True)
    card = seen[0]["note_card"]
    assert set(card) >= {"type", "display_title", "desc", "user", "interact_info", "time", "tag_list"}
    assert set(card["interact_info"]) >= {"liked_count", "collected_count", "comment_count", "shared_count"}
    assert all(isinstance(v, str) for k, v in card["interact_info"].items() if k.endswith("_count"))
    assert {"user_id", "nickname"} <= set(card["user"]) and seen[0]["model_type"] == "note"
    via_get = _get(sandbox_server, "/api/sns/web/v1/search/notes", keyword=KEYWORD, page=1)
    assert via_get["code"] == 0 and via_get["data"]["items"]


def test_xhs_search_errors_like_the_live_api(sandbox_server):
    answer = _post_json(sandbox_server, "/api/sns/web/v1/search/notes", {"page": 1})
    assert answer["code"] != 0 and answer["success"] is False
    empty = _post_json(sandbox_server, "/api/sns/web/v1/search/notes", {"keyword": "没有这个词"})
    assert empty["data"] == {"has_more": False, "items": []}


def test_xhs_comments_follow_the_cursor(sandbox_world, sandbox_server):
    comments = _world_posts(sandbox_world, "xhs", "comment")
    note_id = _busiest_parent(comments)
    expected = sorted(c["post_id"] for c in comments if c["parent_id"] == note_id)
    seen, cursor = [], ""
    for _ in range(20):
        answer = _get(sandbox_server, "/api/sns/web/v2/comment/page", note_id=note_id, cursor=cursor)
        assert answer["code"] == 0 and answer["success"] is True
        data = answer["data"]
        seen += data["comments"]
        if not data["has_more"]:
            break
        cursor = data["cursor"]
    assert sorted(c["id"] for c in seen) == expected
    first = seen[0]
    assert first["note_id"] == note_id and isinstance(first["create_time"], int)
    assert {"user_id", "nickname"} <= set(first["user_info"]) and first["sub_comments"] == []
    missing = _get(sandbox_server, "/api/sns/web/v2/comment/page", note_id="nope")
    assert missing["success"] is False


def _busiest_parent(comments):
    """The parent with the most comments (to exercise paging)."""
    counts = {}
    for c in comments:
        counts[c["parent_id"]] = counts.get(c["parent_id"], 0) + 1
    return max(counts, key=counts.get)


def test_bilibili_search_shape_and_pages(sandbox_world, sandbox_server):
    videos = _world_posts(sandbox_world, "bilibili", "video")
    first = _get(sandbox_server, "/x/web-interface/search/type", search_type="video", keyword=KEYWORD, page=1)
    assert first["code"] == 0 and first["message"] == "0"
    data = first["data"]
    assert data["pagesize"] == 20 and data["numResults"] == len(videos)
    assert data["numPages"] == math.ceil(len(videos) / 20)
    seen = list(data["result"])
    for page in range(2, data["numPages"] + 1):
        seen += _get(sandbox_server, "/x/web-interface/search/type", search_type="video", keyword=KEYWORD,
                     page=page)["data"]["result"]
    assert sorted(str(r["aid"]) for r in seen) == sorted(v["post_id"] for v in videos)
    item = seen[0]
    for key in ("type", "aid", "bvid", "title", "description", "author", "mid", "pubdate", "play", "like",
                "favorites", "review", "tag", "arcurl"):
        assert key in item
    assert any('<em class="keyword">' in r["title"] for r in seen)
    bad = _get(sandbox_server, "/x/web-interface/search/type", keyword=KEYWORD)
    assert bad["code"] == -400


def test_bilibili_replies_page(sandbox_world, sandbox_server):
    replies = _world_posts(sandbox_world, "bilibili", "comment")
    oid = _busiest_parent(replies)
    expected = sorted(r["post_id"] for r in replies if r["parent_id"] == oid)
    first = _get(sandbox_server, "/x/v2/reply", type=1, oid=oid, pn=1, ps=2)
    assert first["code"] == 0 and first["data"]["page"] == {"num": 1, "size": 2, "count": len(expected),
                                                            "acount": len(expected)}
    seen = []
    for pn in range(1, math.ceil(len(expected) / 2) + 1):
        seen += _get(sandbox_server, "/x/v2/reply", type=1, oid=oid, pn=pn, ps=2)["data"]["replies"]
    assert sorted(str(r["rpid"]) for r in seen) == expected
    reply = seen[0]
    assert reply["oid"] == int(oid) and isinstance(reply["ctime"], int)
    assert reply["content"]["message"] and reply["member"]["uname"]
    assert _get(sandbox_server, "/x/v2/reply", type=1, oid="1")["code"] == -404


def test_offer_search_by_get_and_post(sandbox_world, sandbox_server):
    path = "/openapi/param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/demo"
    expected = [o for o in sandbox_world.offers if o["keyword"] == KEYWORD]
    query = json.dumps({"keyword": KEYWORD, "beginPage": 1, "pageSize": 10}, ensure_ascii=False)
    answer = _get(sandbox_server, path, offerQueryParam=query)["result"]
    assert answer["success"] is True and answer["code"] == "200"
    result = answer["result"]
    assert result["totalRecords"] == len(expected) and result["pageSize"] == 10
    assert result["totalPage"] == math.ceil(len(expected) / 10)
    seen = list(result["data"])
    for page in range(2, result["totalPage"] + 1):
        form = urllib.parse.urlencode({"offerQueryParam": json.dumps(
            {"keyword": KEYWORD, "beginPage": page, "pageSize": 10})}).encode()
        req = urllib.request.Request(f"{sandbox_server.base_url}{path}", data=form)
        with urllib.request.urlopen(req, timeout=10) as resp:
            seen += json.loads(resp.read())["result"]["result"]["data"]
    assert sorted(o["offerId"] for o in seen) == sorted(o["offerId"] for o in expected)
    assert not {"keyword", "product", "aspects", "listed_at"} & set(seen[0])
    assert set(seen[0]["priceInfo"]) == {"price", "consignPrice"}
    refused = _get(sandbox_server, path, offerQueryParam="{not json")["result"]
    assert refused["success"] is False


def test_fail_first_answers_503_then_recovers(sandbox_world):
    with SandboxServer(sandbox_world, fail_first=1) as server:
        with pytest.raises(urllib.error.HTTPError) as err:
            _get(server, "/x/v2/reply", type=1, oid="1")
        assert err.value.code == 503
        assert _get(server, "/x/v2/reply", type=1, oid="1")["code"] == -404
        assert server.hits["bili_replies"] == 2
