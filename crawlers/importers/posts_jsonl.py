"""Read the contract's Post JSONL: one record a line, the DESIGN.md keys and no others.

Keys may be left out (clean_post says which are required); a raw `author_id` is hashed with the salt,
an `author_hash` is taken as is. A directory stands for the *.jsonl and *.jsonl.gz files under it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawlers.importers.progress import Progress
from crawlers.importers.readers import expand_paths, iter_rows, record_error
from crawlers.importers.report import ImportReport
from crawlers.importers.writer import Deduper
from store.errors import BadInputError, RecordError
from store.records import POST_FIELDS, clean_post

ALLOWED_KEYS = frozenset(POST_FIELDS) | {"author_id"}


def jsonl_files(paths: list[Path]) -> list[Path]:
    """The files to read: each file given, and the JSONL files under each directory given."""
    return expand_paths(paths, lambda p: p.name.endswith((".jsonl", ".jsonl.gz")), ".jsonl files")


def read_posts_jsonl(paths: list[Path], salt: str, report: ImportReport) -> list[dict[str, Any]]:
    """Validate every line of every file; the kept posts, one per (platform, post_id)."""
    dedupe = Deduper()
    files = jsonl_files(paths)
    progress = Progress("import:posts", files)
    try:
        for path in files:
            report.files += 1
            for line, obj in iter_rows(path, progress, suffix=".jsonl"):
                report.rows_read += 1
                post = _clean(obj, salt, path, line)
                dedupe.add((post["platform"], post["post_id"]), post, post["crawled_at"].timestamp())
    finally:
        progress.close()
    report.duplicates += dedupe.duplicates
    return dedupe.records()


def _clean(obj: dict[str, Any], salt: str, path: Path, line: int) -> dict[str, Any]:
    unknown = sorted(set(obj) - ALLOWED_KEYS)
    if unknown:
        raise BadInputError(f"unknown key {unknown[0]!r}; Post JSONL takes exactly: "
                            f"{', '.join(POST_FIELDS)} (and author_id)", path=str(path), line=line,
                            field=unknown[0])
    try:
        return clean_post(obj, salt=salt)
    except RecordError as exc:
        raise record_error(exc, path, line) from exc
