"""A crawl stopped with SIGTERM half way and resumed with the same JOBDIR stores every item exactly once."""

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from crawlers.runner import ROOT
from store.schema import job_runs, posts
from tests.crawlers.fixtures.site import FixtureSite, Reply

LIST_PAGES, THREADS_PER_PAGE = 10, 25
HTML = "text/html; charset=utf-8"


def _forum(req) -> Reply:
    page = int(req.query.get("pn", "0")) // 50 + 1
    items = "".join(
        f'<li class=" j_thread_list clearfix" data-field=\'{{"id":{tid},"reply_num":1}}\'>'
        f'<a href="/p/{tid}" title="帖子{tid}" class="j_th_tit ">帖子{tid}</a></li>'
        for tid in range(page * 1000, page * 1000 + THREADS_PER_PAGE)
    )
    more = (
        f'<a href="/f?kw=x&pn={page * 50}" class="next pagination-item">下一页&gt;</a>'
        if page < LIST_PAGES
        else ""
    )
    head = '<html><head><meta charset="utf-8"></head><body>'
    body = f'{head}<ul id="thread_list">{items}</ul>{more}</body></html>'
    return Reply(body.encode(), content_type=HTML, delay=0.04)


def _floor(pid: int, no: int, tid: int, text: str) -> str:
    return (
        f'<div class="l_post j_l_post" data-field=\'{{"author":{{"user_id":{pid % 97}}},'
        f'"content":{{"post_id":{pid},'
        f'"post_no":{no},"thread_id":{tid}}}}}\'><div class="d_post_content j_d_post_content">{text}</div>'
        f'<span class="tail-info">{no}楼</span><span class="tail-info">2026-11-20 10:{no:02d}</span></div>'
    )


def _thread(req) -> Reply:
    tid = int(req.path.rsplit("/", 1)[1])
    floors = _floor(tid * 100 + 1, 1, tid, f"车载冰箱{tid}漏水") + _floor(tid * 100 + 2, 2, tid, "同问")
    body = (
        f'<html><head><meta charset="utf-8"></head><body><h3 class="core_title_txt" title="帖子{tid}">'
        f"帖子{tid}</h3>{floors}</body></html>"
    )
    return Reply(body.encode(), content_type=HTML, delay=0.04)


def _crawl(site: FixtureSite, jobdir, env) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "tieba",
        "-a",
        "keywords=车载冰箱",
        "-a",
        f"base_url={site.base_url}",
        "-a",
        f"max_pages={LIST_PAGES}",
        "-s",
        f"JOBDIR={jobdir}",
        "-s",
        "OPPRADAR_STORE_BATCH=10",
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=0",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=2",
        "-s",
        "LOG_LEVEL=INFO",
    ]
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one()


def test_sigterm_then_resume_stores_every_item_once(home, engine, tmp_path):
    site = FixtureSite()
    site.add("forum", "/f", _forum)
    for page in range(1, LIST_PAGES + 1):
        for tid in range(page * 1000, page * 1000 + THREADS_PER_PAGE):
            site.add(f"t{tid}", f"/p/{tid}", _thread)
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "crawlers.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    jobdir = tmp_path / "job"
    expected = 2 * LIST_PAGES * THREADS_PER_PAGE
    with site:
        first = _crawl(site, jobdir, env)
        deadline = time.monotonic() + 20
        while _count(engine) < 40 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=30)
        stored_first = _count(engine)
        assert 0 < stored_first < expected, (
            f"the first run was not stopped half way ({stored_first})\n{err[-2000:]}"
        )
        second = _crawl(site, jobdir, env)
        _, err2 = second.communicate(timeout=60)
        assert second.returncode == 0, err2[-3000:]

    with engine.connect() as conn:
        ids = [r.post_id for r in conn.execute(sa.select(posts.c.post_id))]
        runs = conn.execute(sa.select(job_runs).order_by(job_runs.c.id)).mappings().all()
    want = {str(t) for p in range(1, LIST_PAGES + 1) for t in range(p * 1000, p * 1000 + THREADS_PER_PAGE)}
    want |= {str(int(t) * 100 + 2) for t in want}
    assert len(want) == expected and len(ids) == len(set(ids)) == expected
    assert set(ids) == want, (sorted(want - set(ids))[:20], err[-3000:])
    assert [(r["status"], r["stats"]["finish_reason"]) for r in runs] == [
        ("failed", "shutdown"),
        ("ok", "finished"),
    ]
    first_stats, second_stats = runs[0]["stats"], runs[1]["stats"]
    # exactly once: every item inserted by one of the runs, none stored again (updated) by the other
    assert first_stats["inserted"] + second_stats["inserted"] == expected
    assert first_stats["updated"] == second_stats["updated"] == 0
    assert first_stats["items"] == stored_first


def test_only_committed_items_are_remembered_across_runs(home, engine, tmp_path):
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from crawlers.items import PostItem
    from crawlers.pipelines import DedupePipeline, StorePipeline, ValidatePipeline
    from crawlers.spiders.tieba import TiebaSpider

    def crawler():
        c = get_crawler(TiebaSpider, {"JOBDIR": str(tmp_path / "job"), "OPPRADAR_STORE_BATCH": 100})
        c.spider = TiebaSpider.from_crawler(c, keywords="车载冰箱")
        return c

    def post(pid):
        return PostItem(
            platform="tieba",
            post_id=pid,
            kind="topic",
            text="车载冰箱漏水",
            published_at="2026-11-20T10:00:00",
            author_id="u1",
        )

    first = crawler()
    validate, dedupe, store = (
        p.from_crawler(first) for p in (ValidatePipeline, DedupePipeline, StorePipeline)
    )
    store.open_spider()
    store.process_item(dedupe.process_item(validate.process_item(post("1"))))
    # stopped before a flush: nothing committed, so nothing remembered
    assert DedupePipeline.from_crawler(crawler()).stored_before == set()
    store.close_spider()
    again = crawler()
    resumed = DedupePipeline.from_crawler(again)
    assert resumed.stored_before == {("post", "tieba", "1")}
    with pytest.raises(DropItem, match="before the stop"):
        resumed.process_item(ValidatePipeline.from_crawler(again).process_item(post("1")))
    assert resumed.process_item(post("2")).post_id == "2"
    assert again.stats.get_value("oppradar/dropped/duplicate_stored_before_stop") == 1
