import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from recommender.schedule import JOB_DEFAULTS, load_crawls, make_scheduler
from store.errors import BadInputError


def _jobs(settings):
    scheduler = make_scheduler(settings, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        return {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)


def test_jobs_persist_without_duplicates_across_restarts(settings, engine):
    first = _jobs(settings)
    second = _jobs(settings)
    assert set(first) == set(second) == {"crawl", "weekly", "retrain"}
    assert "mon" in repr(second["weekly"].trigger) and "Asia/Shanghai" in repr(second["weekly"].trigger)
    assert second["weekly"].misfire_grace_time == JOB_DEFAULTS["misfire_grace_time"]
    assert second["weekly"].max_instances == 1 and second["weekly"].coalesce


def test_crawl_config(tmp_path):
    assert load_crawls(tmp_path / "missing.toml") == []
    good = tmp_path / "crawl.toml"
    good.write_text('[[crawl]]\nspider = "sandbox_notes"\nargs = { keywords = "车载冰箱" }\n',
                    encoding="utf-8")
    assert load_crawls(good) == [{"spider": "sandbox_notes", "args": {"keywords": "车载冰箱"}}]
    bad = tmp_path / "bad.toml"
    bad.write_text("[[crawl]]\nargs = 1\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="spider"):
        load_crawls(bad)
