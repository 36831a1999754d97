"""Crawl throughput: the tieba spider over a 10,000-page local forum, politeness off, into SQLite.

Workload: 200 forum list pages x 49 threads = 9,800 thread pages + 200 list pages = 10,000 HTML pages,
2 floors (a topic and a reply) per thread = 19,600 items validated, deduped, stored and archived.
Served by a threaded HTTP/1.1 server on 127.0.0.1 from pre-rendered bytes. Baseline in the same run:
the same server fetched by plain keep-alive HTTP clients (8 threads), the ceiling the crawl could reach.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from crawlers.runner import run_spider

LIST_PAGES, THREADS_PER_PAGE, PAGE_STEP = 200, 49, 50
PAGES = LIST_PAGES * (THREADS_PER_PAGE + 1)
ITEMS = 2 * LIST_PAGES * THREADS_PER_PAGE
HEAD = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>车载冰箱吧</title>'
    "<script>var PageData={};</script><style>.x{}</style></head><body>"
)


def _forum_page(page: int) -> bytes:
    items = "".join(
        f'<li class=" j_thread_list clearfix" data-field=\'{{"id":{tid},"reply_num":1}}\'>'
        f'<a rel="noopener" href="/p/{tid}" title="帖子{tid}" class="j_th_tit ">车载冰箱 {tid}</a></li>'
        for tid in _threads(page)
    )
    more = (
        f'<a href="/f?kw=x&amp;pn={page * PAGE_STEP}" class="next pagination-item">下一页&gt;</a>'
        if page < LIST_PAGES
        else ""
    )
    return f'{HEAD}<ul id="thread_list">{items}</ul>{more}</body></html>'.encode()


def _thread_page(tid: int) -> bytes:
    floors = "".join(
        f'<div class="l_post j_l_post" data-field=\'{{"author":{{"user_id":{tid % 997 + no}}},'
        f'"content":{{"post_id":{tid * 1_000_000 + no},"post_no":{no},"thread_id":{tid}}}}}\'>'
        f'<div class="d_post_content j_d_post_content">{text}<script>ad()</script></div>'
        f'<span class="tail-info">{no}楼</span><span class="tail-info">2026-11-20 10:{no:02d}</span></div>'
        for no, text in ((1, f"车载冰箱{tid}夏天不制冷，放杯子的地方也没有"), (2, "同问，<br>压缩机的好一点"))
    )
    return f'{HEAD}<h3 class="core_title_txt" title="帖子{tid}">帖子{tid}</h3>{floors}</body></html>'.encode()


def _threads(page: int) -> range:
    return range(page * 1000, page * 1000 + THREADS_PER_PAGE)


def build_site() -> dict[str, bytes]:
    """Every page of the forum, by path and query as the spider asks for them."""
    site = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
    for page in range(1, LIST_PAGES + 1):
        site[f"/f?kw=%E8%BD%A6%E8%BD%BD%E5%86%B0%E7%AE%B1&ie=utf-8&pn={(page - 1) * PAGE_STEP}"] = (
            _forum_page(page)
        )
        for tid in _threads(page):
            site[f"/p/{tid}"] = _thread_page(tid)
    return site


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = self.server.pages.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        body = body if body is not None else b"not found"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _fetch_all(port: int, paths: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for path in paths:
        conn.request("GET", path)
        conn.getresponse().read()
    conn.close()


def bench_crawl(tmp_path: Path) -> None:
    pages = build_site()
    assert len(pages) == PAGES + 1  # + robots.txt
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.pages = pages
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        sample = list(pages)[1:2001]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda i: _fetch_all(port, sample[i::8]), range(8)))
        baseline = len(sample) / (time.perf_counter() - t0)

        t0 = time.perf_counter()
        stats = run_spider(
            "tieba",
            {"keywords": "车载冰箱", "base_url": f"http://127.0.0.1:{port}", "max_pages": str(LIST_PAGES)},
            {
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS": 32,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
                "ROBOTSTXT_OBEY": True,
                "OPPRADAR_STORE_BATCH": 1000,
                "LOG_LEVEL": "INFO",
            },
            env={"OPPRADAR_HOME": str(tmp_path / "home"), "OPPRADAR_DATABASE_URL": ""},
            timeout=600,
        )
        wall = time.perf_counter() - t0
    finally:
        server.shutdown()
        server.server_close()
    crawled = stats["responses_by_status"].get("200", 0) - 1  # robots.txt is not a page
    elapsed = stats["elapsed_s"]
    print(
        f"\nbench_crawl: workload {PAGES:,} pages ({LIST_PAGES} lists x {THREADS_PER_PAGE} threads), "
        f"{ITEMS:,} items, politeness off (no delay, AutoThrottle off, 32 concurrent, robots.txt on)"
    )
    print(
        f"  machine: {os.cpu_count()} cores (nproc), load average {os.getloadavg()[0]:.1f};"
        " server and crawler share it"
    )
    print(f"  baseline: plain keep-alive HTTP clients x8 fetch {baseline:,.0f} pages/s from this server")
    print(
        f"  crawl: {crawled:,} pages, {stats['items']:,} items stored in {elapsed:.1f} s (spider open→close)"
        f" -> {crawled / elapsed:,.0f} pages/s, {stats['items'] / elapsed:,.0f} items/s;"
        f" {wall:.1f} s wall with process start"
    )
    assert crawled == PAGES and stats["items"] == ITEMS and stats["errors"] == 0
