import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from crawlers.importers import import_posts, progress
from crawlers.importers.progress import Progress
from store.schema import job_runs, posts

TREE = Path(__file__).parent / "fixtures_mediacrawler" / "data"


def test_progress_logs_rate_and_eta_every_n_rows(engine, settings, monkeypatch, caplog):
    monkeypatch.setattr(progress, "LOG_EVERY", 10)
    with caplog.at_level(logging.INFO, logger="crawlers.importers"):
        import_posts(engine, [TREE], "mediacrawler", settings=settings)
    lines = [r.getMessage() for r in caplog.records if r.name == "crawlers.importers.progress"]
    assert [line.split(",")[0] for line in lines] == ["import:posts: 10 rows", "import:posts: 20 rows",
                                                      "import:posts: 30 rows"]
    assert all(re.search(r"[\d,]+ rows/s, \d+%, ETA (\d+:\d\d:\d\d|\?)$", line) for line in lines)
    summary = [r.getMessage() for r in caplog.records if r.name == "crawlers.importers.jobs"]
    assert len(summary) == 1 and summary[0].startswith("import:posts: 16 files, 31 rows: 28 new")


def test_progress_share_counts_bytes_of_done_files_and_lines_of_the_current_one(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_bytes(b"x" * 300)
    second.write_bytes(b"y" * 100)
    bar = Progress("import:posts", [first, second])
    bar.begin_file(first, lines=4)
    bar.row(2)
    assert bar.fraction() == pytest.approx(300 * 0.5 / 400)
    bar.begin_file(second, lines=10)
    bar.row(5)
    assert bar.fraction() == pytest.approx((300 + 50) / 400)
    assert bar.status().startswith("import:posts: 2 rows, ")
    bar.close()


def test_archive_failure_rolls_the_import_back(engine, settings):
    settings.raw_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.raw_dir.write_text("a file where the archive folder should be")
    with pytest.raises(OSError):
        import_posts(engine, [TREE], "mediacrawler", settings=settings)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one() == 0
        (run,) = conn.execute(sa.select(job_runs)).mappings().all()
    assert run["status"] == "failed" and run["stats"]["rows"] == 31
