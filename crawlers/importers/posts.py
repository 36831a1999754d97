"""`oppradar import posts`: read and validate every file, then write all posts in one transaction.

Each run is a job_runs row `import:posts` (see jobs.py): ok with its counts, or failed with the error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from crawlers.importers.jobs import import_job
from crawlers.importers.mediacrawler import read_mediacrawler
from crawlers.importers.posts_jsonl import read_posts_jsonl
from crawlers.importers.report import ImportReport
from crawlers.importers.writer import write_records
from store.errors import BadInputError
from store.schema import posts
from store.settings import Settings

FORMATS = ("jsonl", "mediacrawler")
JOB = "import:posts"


def import_posts(engine: Engine, paths: list[Path], fmt: str, *, settings: Settings) -> ImportReport:
    """Import Post JSONL or MediaCrawler exports; any bad row raises BadInputError and writes nothing."""
    if fmt not in FORMATS:
        raise BadInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", field="format")
    with import_job(engine, JOB) as report:
        if fmt == "jsonl":
            records = read_posts_jsonl(list(paths), settings.salt, report)
        else:
            records = read_mediacrawler(engine, list(paths), settings.salt, report)
        kept = drop_empty(records, report)
        write_records(engine, posts, kept, settings=settings, source="import-posts", report=report)
    return report


def drop_empty(records: list[dict[str, Any]], report: ImportReport) -> list[dict[str, Any]]:
    """Posts with neither title nor text say nothing to extract from: allowed in input, counted here."""
    kept = [r for r in records if r["title"].strip() or r["text"].strip()]
    if len(kept) < len(records):
        report.skip("empty text", len(records) - len(kept))
    return kept
