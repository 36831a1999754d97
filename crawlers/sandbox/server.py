"""A local HTTP server that answers like the live platforms, from a sandbox World.

It serves the live paths, so a spider run with `-a base_url=http://127.0.0.1:PORT` keeps its paths
and query strings and only swaps scheme and host:

- 小红书 web: POST /api/sns/web/v1/search/notes, GET /api/sns/web/v2/comment/page
- B站: GET /x/web-interface/search/type?search_type=video, GET /x/v2/reply?type=1
  (shapes from SocialSisterYi/bilibili-API-collect, docs/search and docs/comment/list.md)
- 1688 open platform: /openapi/param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/{appKey}
- /robots.txt allowing everything.

Like the live APIs, request errors answer HTTP 200 with a non-zero `code`. Unknown paths are 404.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import Counter, defaultdict
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from crawlers.sandbox.catalog import PRODUCTS_BY_NAME
from crawlers.sandbox.offers import TRUTH_KEYS
from crawlers.sandbox.world import World

log = logging.getLogger(__name__)

XHS_SEARCH = "/api/sns/web/v1/search/notes"
XHS_COMMENTS = "/api/sns/web/v2/comment/page"
BILI_SEARCH = "/x/web-interface/search/type"
BILI_REPLIES = "/x/v2/reply"
OFFER_SEARCH = "/openapi/param2/1/com.alibaba.fenxiao.crossborder/product.search.keywordQuery/"
XHS_PAGE_MAX, XHS_COMMENT_PAGE, BILI_PAGE, BILI_REPLY_MAX, OFFER_PAGE_MAX = 20, 10, 20, 20, 50


def format_count(n: int | None) -> str:
    """A count the way xhs shows it: 985, 1.2万, 10万+."""
    n = int(n or 0)
    if n < 10_000:
        return str(n)
    if n < 100_000:
        return f"{n / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return "10万+"


def _ms(dt: datetime) -> int:
    return int(dt.replace(tzinfo=UTC).timestamp() * 1000)


def _s(dt: datetime) -> int:
    return int(dt.replace(tzinfo=UTC).timestamp())


def _int(value: Any, default: int, lo: int = 1, hi: int | None = None) -> int:
    try:
        num = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    num = max(lo, num)
    return min(num, hi) if hi else num


def _highlight(title: str, keyword: str) -> str:
    """B站 marks the matched words of a title with <em class="keyword">."""
    product = PRODUCTS_BY_NAME.get(keyword)
    words = sorted({keyword, *(product.aliases if product else ())}, key=len, reverse=True)
    for word in words:
        if word and word in title:
            return title.replace(word, f'<em class="keyword">{word}</em>', 1)
    return title


class _Index:
    """The world's posts and offers arranged the way each endpoint pages through them."""

    def __init__(self, world: World) -> None:
        by_time = sorted(world.posts, key=lambda p: (p["published_at"], p["post_id"]), reverse=True)
        self.notes: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.children: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.by_id: dict[tuple[str, str], dict] = {}
        for post in by_time:
            key = (post["platform"], post["post_id"])
            self.by_id[key] = post
            if post["kind"] == "comment":
                self.children[(post["platform"], post["parent_id"])].append(post)
            else:
                self.notes[(post["platform"], post["keyword"])].append(post)
        self.popular = {k: sorted(v, key=lambda p: (-(p["likes"] or 0), p["post_id"]))
                        for k, v in self.notes.items()}
        self.offers: dict[str, list[dict]] = defaultdict(list)
        for offer in sorted(world.offers, key=lambda o: (-o["monthSold"], o["offerId"])):
            self.offers[offer["keyword"]].append({k: v for k, v in offer.items() if k not in TRUTH_KEYS})

    def notes_for(self, platform: str, keyword: str, newest_first: bool) -> list[dict]:
        key = (platform, keyword.strip())
        return (self.notes if newest_first else self.popular).get(key, [])


def _xhs_note(post: dict) -> dict:
    return {
        "id": post["post_id"], "model_type": "note", "xsec_token": post.get("xsec_token", ""),
        "note_card": {
            "type": post.get("note_type", "normal"), "display_title": post["title"], "desc": post["text"],
            "user": {"user_id": post["author_id"], "nickname": post["author_name"],
                     "avatar": "https://sns-avatar-qc.xhscdn.com/avatar/default.jpg"},
            "interact_info": {"liked": False, "liked_count": format_count(post["likes"]),
                              "collected_count": format_count(post["collects"]),
                              "comment_count": format_count(post["comments"]),
                              "shared_count": format_count(post["shares"])},
            "time": _ms(post["published_at"]),
            "tag_list": [{"id": f"t{i}", "name": t, "type": "topic"} for i, t in enumerate(post["tags"])],
            "cover": {"url_default": f"https://sns-webpic-qc.xhscdn.com/{post['post_id']}.jpg"},
        },
    }


def _xhs_comment(post: dict) -> dict:
    return {
        "id": post["post_id"], "note_id": post["parent_id"], "content": post["text"],
        "create_time": _ms(post["published_at"]), "ip_location": "",
        "like_count": format_count(post["likes"]),
        "liked": False, "user_info": {"user_id": post["author_id"], "nickname": post["author_name"],
                                      "image": "https://sns-avatar-qc.xhscdn.com/avatar/default.jpg"},
        "sub_comment_count": "0", "sub_comments": [], "sub_comment_cursor": "", "sub_comment_has_more": False,
        "status": 0, "at_users": [], "pictures": [], "show_tags": [],
    }


def _bili_video(post: dict, keyword: str) -> dict:
    aid = int(post["post_id"])
    return {
        "type": "video", "id": aid, "author": post["author_name"], "mid": int(post["author_id"]),
        "typeid": "21", "typename": "日常", "arcurl": f"http://www.bilibili.com/video/av{aid}",
        "aid": aid, "bvid": post["bvid"], "title": _highlight(post["title"], keyword),
        "description": post["text"], "arcrank": "0", "pic": f"//i0.hdslb.com/bfs/archive/{post['bvid']}.jpg",
        "play": post.get("plays", 0), "video_review": (post["likes"] or 0) // 3,
        "favorites": post["collects"] or 0, "tag": ",".join(post["tags"]), "review": post["comments"] or 0,
        "pubdate": _s(post["published_at"]), "senddate": _s(post["published_at"]), "duration": "4:21",
        "badgepay": False, "hit_columns": ["title"], "view_type": "", "is_pay": 0, "is_union_video": 0,
        "rec_tags": None, "new_rec_tags": [], "rank_score": post.get("plays", 0),
        "like": post["likes"] or 0,
    }


def _bili_reply(post: dict) -> dict:
    rpid = int(post["post_id"])
    return {
        "rpid": rpid, "oid": int(post["parent_id"]), "type": 1, "mid": int(post["author_id"]), "root": 0,
        "parent": 0, "dialog": 0, "count": 0, "rcount": 0, "state": 0, "ctime": _s(post["published_at"]),
        "rpid_str": str(rpid), "root_str": "0", "parent_str": "0", "like": post["likes"] or 0,
        "member": {"mid": str(post["author_id"]), "uname": post["author_name"], "sex": "保密", "sign": "",
                   "avatar": "http://i0.hdslb.com/bfs/face/member/noface.jpg"},
        "content": {"message": post["text"], "plat": 0, "device": "", "members": [], "emote": {},
                    "jump_url": {}, "max_line": 6},
        "replies": [], "reply_control": {},
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        log.debug("sandbox %s", format % args)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch({})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        body: dict[str, Any] = {}
        try:
            if "json" in ctype:
                body = json.loads(raw.decode("utf-8") or "{}")
            elif raw:
                body = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8")).items()}
        except (UnicodeDecodeError, json.JSONDecodeError):
            self._json({"code": -1, "success": False, "msg": "请求体不是合法的JSON", "data": {}})
            return
        self._dispatch(body if isinstance(body, dict) else {})

    def _dispatch(self, body: dict[str, Any]) -> None:
        url = urlsplit(self.path)
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(url.query).items()}
        params.update(body)
        route = self.server.route(url.path)
        self.server.count(route or "404")
        if route is None:
            self._send(404, b"not found", "text/plain; charset=utf-8")
            return
        if route != "robots" and self.server.should_fail():
            self._send(503, b"busy, try again", "text/plain; charset=utf-8")
            return
        try:
            answer = getattr(self, f"_{route}")(params)
        except Exception:  # the handler must answer; the traceback goes to the log
            log.exception("sandbox failed on %s", self.path)
            self._send(500, b"internal error", "text/plain; charset=utf-8")
            return
        if isinstance(answer, dict):
            self._json(answer)

    def _send(self, status: int, payload: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, data: dict) -> None:
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(200, payload, "application/json;charset=UTF-8")

    def _robots(self, params: dict) -> None:
        self._send(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")

    def _xhs_search(self, params: dict) -> dict:
        keyword = str(params.get("keyword") or "").strip()
        if not keyword:
            return {"code": -1, "success": False, "msg": "keyword 不能为空", "data": {}}
        page = _int(params.get("page"), 1)
        size = _int(params.get("page_size"), XHS_PAGE_MAX, hi=XHS_PAGE_MAX)
        notes = self.server.index.notes_for("xhs", keyword, params.get("sort") == "time_descending")
        chunk = notes[(page - 1) * size: page * size]
        return {"code": 0, "success": True, "msg": "成功",
                "data": {"has_more": page * size < len(notes), "items": [_xhs_note(p) for p in chunk]}}

    def _xhs_comments(self, params: dict) -> dict:
        note_id = str(params.get("note_id") or "")
        if ("xhs", note_id) not in self.server.index.by_id:
            return {"code": -510000, "success": False, "msg": "笔记不存在", "data": {}}
        # oldest first, so a cursor (the last id seen) stays valid while new comments arrive
        comments = self.server.index.children.get(("xhs", note_id), [])[::-1]
        cursor = str(params.get("cursor") or "")
        start = next((i + 1 for i, c in enumerate(comments) if c["post_id"] == cursor), 0)
        chunk = comments[start: start + XHS_COMMENT_PAGE]
        return {"code": 0, "success": True, "msg": "成功", "data": {
            "comments": [_xhs_comment(c) for c in chunk], "cursor": chunk[-1]["post_id"] if chunk else cursor,
            "has_more": start + XHS_COMMENT_PAGE < len(comments), "time": _ms(datetime.now(UTC)),
            "xsec_token": str(params.get("xsec_token") or "")}}

    def _bili_search(self, params: dict) -> dict:
        keyword = str(params.get("keyword") or "").strip()
        if not keyword or params.get("search_type") != "video":
            return {"code": -400, "message": "请求错误", "ttl": 1, "data": None}
        page = _int(params.get("page"), 1)
        videos = self.server.index.notes_for("bilibili", keyword, params.get("order") == "pubdate")
        chunk = videos[(page - 1) * BILI_PAGE: page * BILI_PAGE]
        return {"code": 0, "message": "0", "ttl": 1, "data": {
            "seid": "8231649015724187904", "page": page, "pagesize": BILI_PAGE, "numResults": len(videos),
            "numPages": math.ceil(len(videos) / BILI_PAGE), "suggest_keyword": "", "rqt_type": "search",
            "cost_time": {}, "exp_list": {}, "egg_hit": 0, "show_column": 0,
            "result": [_bili_video(p, keyword) for p in chunk]}}

    def _bili_replies(self, params: dict) -> dict:
        if str(params.get("type", "")) != "1":
            return {"code": 12009, "message": "评论主体的type不合法", "ttl": 1, "data": None}
        oid = str(params.get("oid") or "")
        if ("bilibili", oid) not in self.server.index.by_id:
            return {"code": -404, "message": "啥都木有", "ttl": 1, "data": None}
        page = _int(params.get("pn"), 1)
        size = _int(params.get("ps"), BILI_REPLY_MAX, hi=BILI_REPLY_MAX)
        replies = self.server.index.children.get(("bilibili", oid), [])
        if str(params.get("sort", "0")) == "1":
            replies = sorted(replies, key=lambda r: (-(r["likes"] or 0), r["post_id"]))
        chunk = replies[(page - 1) * size: page * size]
        video = self.server.index.by_id[("bilibili", oid)]
        return {"code": 0, "message": "0", "ttl": 1, "data": {
            "page": {"num": page, "size": size, "count": len(replies), "acount": len(replies)},
            "config": {"showtopic": 1, "show_up_flag": True, "read_only": False},
            "replies": [_bili_reply(r) for r in chunk], "hots": [], "upper": {"mid": int(video["author_id"])},
            "top": None, "notice": None, "mode": 3, "support_mode": [2, 3]}}

    def _offer_search(self, params: dict) -> dict:
        raw = params.get("offerQueryParam")
        try:
            query = json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError:
            query = None
        if not isinstance(query, dict) or not str(query.get("keyword") or "").strip():
            return {"result": {"success": False, "code": "400",
                               "message": "offerQueryParam must be JSON with a keyword"}}
        page = _int(query.get("beginPage"), 1)
        size = _int(query.get("pageSize"), 20, hi=OFFER_PAGE_MAX)
        offers = self.server.index.offers.get(str(query["keyword"]).strip(), [])
        chunk = offers[(page - 1) * size: page * size]
        return {"result": {"success": True, "code": "200", "message": None, "result": {
            "totalRecords": len(offers), "totalPage": math.ceil(len(offers) / size), "pageSize": size,
            "currentPage": page, "data": chunk}}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], index: _Index, fail_first: int) -> None:
        super().__init__(address, _Handler)
        self.index = index
        self.hits: Counter[str] = Counter()
        self._fail_left = fail_first
        self._lock = threading.Lock()

    @staticmethod
    def route(path: str) -> str | None:
        if path == "/robots.txt":
            return "robots"
        if path == XHS_SEARCH:
            return "xhs_search"
        if path == XHS_COMMENTS:
            return "xhs_comments"
        if path == BILI_SEARCH:
            return "bili_search"
        if path == BILI_REPLIES:
            return "bili_replies"
        if path.startswith(OFFER_SEARCH) and len(path) > len(OFFER_SEARCH):
            return "offer_search"
        return None

    def count(self, route: str) -> None:
        with self._lock:
            self.hits[route] += 1

    def should_fail(self) -> bool:
        with self._lock:
            if self._fail_left > 0:
                self._fail_left -= 1
                return True
            return False


class SandboxServer:
    """The sandbox platforms on 127.0.0.1, in a daemon thread; a context manager.

    `fail_first=N` answers the first N API requests with HTTP 503, to exercise retries.
    """

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0, fail_first: int = 0) -> None:
        self.world = world
        self._httpd = _Server((host, port), _Index(world), fail_first)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def hits(self) -> Counter[str]:
        """Requests served so far, by route (robots, xhs_search, ..., 404)."""
        return self._httpd.hits

    def start(self) -> SandboxServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="sandbox-server",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
