"""Item pipelines: validate (store.records), drop repeats, store in batches and record the run.

Order (settings.ITEM_PIPELINES): ValidatePipeline → DedupePipeline → StorePipeline. Every dropped
item is counted under `oppradar/dropped/<reason>` and logged by Scrapy with the reason.
StorePipeline writes one `job_runs` row per run (job `crawl:<spider>`), started when the spider
opens and finished when it closes, with the stats that matter (see `run_summary`).

With JOBDIR, StorePipeline appends the key of every item it has committed to `JOBDIR/stored_keys.txt`
and DedupePipeline reads that file when a resumed run opens: an item stored before the stop is dropped
(`duplicate_stored_before_stop`), one that was only buffered is not remembered and so is stored now.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawlers.items import OfferItem
from store.archive import RawArchive
from store.db import finish_job, get_engine, start_job, upsert
from store.errors import RecordError
from store.records import OFFER_FIELDS, POST_FIELDS, clean_offer, clean_post
from store.schema import offers, posts
from store.settings import get_settings
from store.weeks import utcnow

log = logging.getLogger(__name__)
DROPPED = "oppradar/dropped/"
STORED_KEYS = "stored_keys.txt"


def _is_offer(item: Any) -> bool:
    return isinstance(item, OfferItem) or (isinstance(item, dict) and "offer_id" in item)


def item_key(item: Any) -> tuple[str, str, str]:
    """(table, platform, id): what makes an item the same item."""
    adapter = ItemAdapter(item)
    if _is_offer(item):
        return ("offer", str(adapter["platform"]), str(adapter["offer_id"]))
    return ("post", str(adapter["platform"]), str(adapter["post_id"]))


def _stored_keys_file(crawler: Crawler) -> Path | None:
    jobdir = crawler.settings.get("JOBDIR")
    return Path(jobdir) / STORED_KEYS if jobdir else None


class ValidatePipeline:
    """Types and checks each item with store.records; an invalid one is dropped, counted by field."""

    def __init__(self, stats: StatsCollector, salt: str) -> None:
        self.stats, self.salt = stats, salt

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        salt = crawler.settings.get("OPPRADAR_SALT") or get_settings().salt
        return cls(crawler.stats, salt)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        kind = "offer" if _is_offer(item) else "post"
        try:
            if kind == "offer":
                clean = clean_offer(adapter.asdict(), now=utcnow())
            else:
                clean = clean_post(adapter.asdict(), salt=self.salt, now=utcnow())
        except RecordError as exc:
            self.stats.inc_value(f"{DROPPED}invalid_{exc.field}")
            raise DropItem(f"invalid {kind}: {exc}") from exc
        for key, value in clean.items():
            adapter[key] = value
        if "author_id" in adapter:
            adapter["author_id"] = None  # hashed into author_hash above; the raw id goes no further
        return item


class DedupePipeline:
    """Drops an item already seen in this run (same platform and id), or stored before a JOBDIR stop."""

    def __init__(self, stats: StatsCollector, stored_file: Path | None = None) -> None:
        self.stats = stats
        self.seen: set[tuple[str, str, str]] = set()
        self.stored_before: set[tuple[str, str, str]] = set()
        if stored_file is not None and stored_file.exists():
            with stored_file.open(encoding="utf-8") as lines:
                self.stored_before = {tuple(line.rstrip("\n").split("\t", 2))
                                      for line in lines if line.strip()}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, _stored_keys_file(crawler))

    def process_item(self, item: Any) -> Any:
        key = item_key(item)
        if key in self.stored_before:
            self.stats.inc_value(f"{DROPPED}duplicate_stored_before_stop")
            raise DropItem(f"{key[0]} {key[1]}:{key[2]} was stored before the stop", log_level="DEBUG")
        if key in self.seen:
            self.stats.inc_value(f"{DROPPED}duplicate")
            raise DropItem(f"duplicate {key[0]} {key[1]}:{key[2]} in this run", log_level="DEBUG")
        self.seen.add(key)
        return item


class StorePipeline:
    """Upserts posts and offers in batches, archives each stored record, and records the run."""

    def __init__(self, crawler: Crawler, database_url: str, raw_dir: str, batch: int) -> None:
        self.crawler = crawler
        self.database_url, self.archive, self.batch = database_url, RawArchive(raw_dir), batch
        self.buffers: dict[str, list[dict]] = {"posts": [], "offers": []}
        self.run_id: int | None = None
        self.started: datetime | None = None
        self.store_failed = False
        self.keys_file = _stored_keys_file(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        store = get_settings()
        settings = crawler.settings
        pipeline = cls(crawler, settings.get("OPPRADAR_DATABASE_URL") or store.database_url,
                       settings.get("OPPRADAR_RAW_DIR") or str(store.raw_dir),
                       settings.getint("OPPRADAR_STORE_BATCH", 200))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def source(self) -> str:
        return self.crawler.spider.name

    def open_spider(self) -> None:
        self.engine = get_engine(self.database_url)
        self.started = utcnow()
        with self.engine.begin() as conn:
            self.run_id = start_job(conn, f"crawl:{self.source}", self.started)

    def process_item(self, item: Any) -> Any:
        table = "offers" if _is_offer(item) else "posts"
        wanted = OFFER_FIELDS if table == "offers" else POST_FIELDS
        self.buffers[table].append({k: v for k, v in ItemAdapter(item).items() if k in wanted})
        if len(self.buffers["posts"]) + len(self.buffers["offers"]) >= self.batch:
            self.flush()
        return item

    def flush(self) -> None:
        """Write buffered records: one transaction per table, then the archive."""
        stats = self.crawler.stats
        for name, table in (("posts", posts), ("offers", offers)):
            rows, self.buffers[name] = self.buffers[name], []
            if not rows:
                continue
            try:
                with self.engine.begin() as conn:
                    result = upsert(conn, table, rows)
            except Exception:
                self.store_failed = True
                stats.inc_value("oppradar/errors/store", len(rows))
                raise
            stats.inc_value(f"oppradar/stored/{name}", len(rows))
            stats.inc_value("oppradar/stored/inserted", result.inserted)
            stats.inc_value("oppradar/stored/updated", result.updated)
            self.archive.append(self.source, rows)
            self.note_stored(rows, "offer" if name == "offers" else "post")

    def note_stored(self, rows: list[dict], table: str) -> None:
        """With JOBDIR, remember committed items so a resumed run does not store them again."""
        if self.keys_file is None:
            return
        id_field = "offer_id" if table == "offer" else "post_id"
        self.keys_file.parent.mkdir(parents=True, exist_ok=True)
        with self.keys_file.open("a", encoding="utf-8") as out:
            out.writelines(f"{table}\t{r['platform']}\t{r[id_field]}\n" for r in rows)

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Finish the job_runs row once the crawl is over (the reason is only known then)."""
        if self.run_id is None:
            return
        summary = run_summary(self.crawler, reason, self.started)
        ok = reason == "finished" and not self.store_failed
        message = (f"{reason}: stored {summary['items']} ({summary['inserted']} new, {summary['updated']} "
                   f"updated), dropped {summary['dropped']}, errors {summary['errors']}, "
                   f"retries {summary['retries']}")
        with self.engine.begin() as conn:
            finish_job(conn, self.run_id, "ok" if ok else "failed", utcnow(), summary, message)
        log.info("crawl:%s %s", self.source, message)


def run_summary(crawler: Crawler, reason: str, started: datetime | None) -> dict[str, Any]:
    """The stats of a crawl that a job_runs row keeps (JSON-ready)."""
    s = crawler.stats.get_stats()

    def under(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: int(v) for k, v in s.items() if k.startswith(prefix)}

    dropped = under(DROPPED)
    spider = crawler.spider
    download_errors = under("downloader/exception_type_count/")
    return {
        "spider": spider.name,
        "args": {k: _jsonable(getattr(spider, k)) for k in SPIDER_ARGS if hasattr(spider, k)},
        "items": int(s.get("oppradar/stored/posts", 0) + s.get("oppradar/stored/offers", 0)),
        "posts": int(s.get("oppradar/stored/posts", 0)),
        "offers": int(s.get("oppradar/stored/offers", 0)),
        "inserted": int(s.get("oppradar/stored/inserted", 0)),
        "updated": int(s.get("oppradar/stored/updated", 0)),
        "scraped": int(s.get("item_scraped_count", 0)),
        "dropped": sum(dropped.values()),
        "dropped_by_reason": dropped,
        "skipped": under("oppradar/skipped/"),
        "api_errors": under("oppradar/api_errors/"),
        "errors": int(s.get("log_count/ERROR", 0)),
        "errors_by_type": {
            "log_error": int(s.get("log_count/ERROR", 0)),
            "download": {k.rsplit(".", 1)[-1]: v for k, v in download_errors.items()},
            "spider_exceptions": under("spider_exceptions/"),
            "http_ignored": under("httperror/response_ignored_status_count/"),
            "api": under("oppradar/api_errors/"),
            "store": int(s.get("oppradar/errors/store", 0)),
        },
        "spider_exceptions": sum(under("spider_exceptions/").values()),
        "retries": int(s.get("retry/count", 0)),
        "retries_by_reason": under("retry/reason_count/"),
        "retries_exhausted": int(s.get("retry/max_reached", 0)),
        "requests": int(s.get("downloader/request_count", 0)),
        "responses_by_status": under("downloader/response_status_count/"),
        "robots_forbidden": int(s.get("robotstxt/forbidden", 0)),
        "cache": under("httpcache/"),
        "finish_reason": reason,
        "elapsed_s": round((utcnow() - started).total_seconds(), 2) if started else None,
        "run_token": crawler.settings.get("OPPRADAR_RUN_TOKEN"),
        "jobdir": crawler.settings.get("JOBDIR"),
    }


SPIDER_ARGS = ("keywords", "feeds", "max_pages", "max_items", "since", "base_url")


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
