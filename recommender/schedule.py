"""`oppradar schedule`: the long-running APScheduler process that keeps the list fresh.

Crawl daily, build and publish weekly, retrain monthly. It is its own process (never inside web
workers) with a persistent job store in the project database, so a restart neither loses nor
duplicates jobs; each crawl runs as a subprocess because Twisted's reactor cannot be restarted.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from store.errors import BadInputError
from store.settings import Settings, get_settings

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Shanghai"
JOB_DEFAULTS = {
    "coalesce": True,  # after downtime run a missed job once, not once per missed slot
    "max_instances": 1,
    "misfire_grace_time": 6 * 3600,  # a weekly build that starts 6 h late is still worth running
}


def load_crawls(path: Path) -> list[dict[str, Any]]:
    """The `[[crawl]]` tables of crawl.toml: spider, args, settings; none when the file is absent."""
    if not path.exists():
        return []
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(str(exc), path=str(path)) from exc
    crawls = config.get("crawl", [])
    for i, crawl in enumerate(crawls, start=1):
        if not isinstance(crawl, dict) or not crawl.get("spider"):
            raise BadInputError(f"[[crawl]] number {i} has no spider", path=str(path), field="spider")
    return crawls


def crawl_job() -> None:
    """Run every configured crawl, one subprocess each; one failing crawl does not stop the rest."""
    from crawlers.runner import run_spider

    failures = []
    for crawl in load_crawls(get_settings().crawl_config):
        try:
            stats = run_spider(crawl["spider"], crawl.get("args", {}), crawl.get("settings"))
            log.info("crawl %s: %s", crawl["spider"], stats)
        except Exception as exc:  # noqa: BLE001 - logged and re-raised below, after the other crawls
            log.error("crawl %s failed: %s", crawl["spider"], exc)
            failures.append(crawl["spider"])
    if failures:
        raise RuntimeError(f"crawls failed: {', '.join(failures)}")


def weekly_job() -> None:
    """Build every week with posts (the newest included) and publish the latest one."""
    from recommender import pipeline
    from store.db import get_engine

    engine = get_engine()
    pipeline.build(engine)
    pipeline.rank(engine)


def retrain_job() -> None:
    """Train a new model; the trainer promotes it only if it beats the current one."""
    from recommender import pipeline
    from store.db import get_engine

    pipeline.train(get_engine(), get_settings())


def _listener(event: JobExecutionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        log.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
    elif event.exception:
        log.error("job %s failed: %s", event.job_id, event.exception)
    else:
        log.info("job %s done", event.job_id)


def configure(scheduler: BaseScheduler) -> BaseScheduler:
    """Add the three jobs (ids fixed, so a restart replaces rather than duplicates them)."""
    jobs = [
        (crawl_job, "crawl", CronTrigger(hour=3, minute=0, timezone=TIMEZONE)),
        (weekly_job, "weekly", CronTrigger(day_of_week="mon", hour=6, minute=0, timezone=TIMEZONE)),
        (retrain_job, "retrain", CronTrigger(day=1, hour=4, minute=0, timezone=TIMEZONE)),
    ]
    for func, job_id, trigger in jobs:
        scheduler.add_job(func, trigger, id=job_id, name=job_id, replace_existing=True)
    scheduler.add_listener(_listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    return scheduler


def make_scheduler(settings: Settings | None = None, cls: type[BaseScheduler] = BlockingScheduler,
                   ) -> BaseScheduler:
    settings = settings or get_settings()
    store = SQLAlchemyJobStore(url=settings.database_url, tablename="scheduler_jobs")
    scheduler = cls(jobstores={"default": store}, job_defaults=JOB_DEFAULTS, timezone=TIMEZONE)
    return configure(scheduler)


def run() -> None:
    """Start the blocking scheduler until interrupted."""
    settings = get_settings()
    crawls = load_crawls(settings.crawl_config)
    log.info("scheduler starting: %d crawl(s) from %s; timezone %s", len(crawls),
             settings.crawl_config, TIMEZONE)
    scheduler = make_scheduler(settings)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
