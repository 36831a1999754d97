"""Read MediaCrawler exports (files, or its data/ folder) into Post records.

Files: data/{platform}/{csv|json|jsonl}/{search|detail|creator}_{contents|comments|creators}_{date}.{ext}
and the older data/{platform}/{n}_{type}_{contents|comments|creator}_{date}.csv. Creator files hold
profiles, not posts: they are skipped and counted. Both eras are read: user_id (hashed with the salt)
or, after 2026-07-01, creator_hash (hashed again with the salt, so hashes stay per installation).

Decision on replies: a comment whose parent_comment_id is set (and is not its own id: weibo names the
thread's root there, itself for a top-level comment) becomes kind "reply", and its
parent_id is the note's id like any comment's, so every comment joins its note (and the note's
keyword) in one step; which comment it answers is not kept (the Post record has no field for it).
Comments inherit their note's source_keyword as `query`, from the same import or else from the posts
table. Repeated (platform, id) rows keep the highest last_modify_ts; the rest count as duplicates.
A title equal to the text is dropped, since xhs and kuaishou copy the text into a missing title.
Tieba prints times as people read them ("昨天 12:30", "3小时前", "刚刚", "12-05"): they count back from
the row's last_modify_ts, or noon (China time) of the day in the file name when the row has none.
Weibo and tieba text arrives as HTML: tags are dropped, <br> becomes a line break, entities decoded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawlers.importers.mediacrawler_layouts import (
    AUTHOR_COLUMNS,
    COMMENTS,
    CONTENTS,
    FOLDER_PLATFORMS,
    REPLY_COLUMNS,
    Layout,
    content_kind,
    platform_from_columns,
)
from crawlers.importers.progress import Progress
from crawlers.importers.readers import data_suffix, iter_rows, record_error
from crawlers.importers.report import ImportReport
from crawlers.importers.values import (
    FieldError,
    convert,
    html_to_text,
    is_blank,
    parse_count,
    parse_local_time,
    parse_relative_time,
    to_id,
)
from crawlers.importers.writer import Deduper
from store.errors import BadInputError, RecordError
from store.records import clean_post, hash_author
from store.schema import posts
from store.weeks import SHANGHAI, to_naive_utc

log = logging.getLogger(__name__)
SOURCE = "mediacrawler"
EXTENSIONS = (".csv", ".json", ".jsonl")
_NAME_RE = re.compile(
    r"^(?:\d+_)?(?P<crawler>[a-z]+)_(?P<store>contents|comments|creators|creator)_"
    r"(?P<date>\d{4}-?\d{2}-?\d{2})$")
_PARENT_KINDS = ("note", "video", "topic")


@dataclass(frozen=True)
class ExportFile:
    path: Path
    platform: str | None  # None: guess from the columns
    store: str | None  # contents or comments; None: guess from the columns
    day: date | None = None  # the crawl day in the file name, for relative times


def find_exports(paths: list[Path], report: ImportReport) -> list[ExportFile]:
    """The contents and comments files named or found under the folders; others are counted."""
    found: list[ExportFile] = []
    for path in map(Path, paths):
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and data_suffix(p) in EXTENSIONS)
            for file in candidates:
                export = _classify(file, report, explicit=False)
                if export:
                    found.append(export)
            if not candidates:
                raise BadInputError("no MediaCrawler .csv/.json/.jsonl exports under this folder",
                                    path=str(path))
        elif path.is_file():
            export = _classify(path, report, explicit=True)
            if export:
                found.append(export)
        else:
            raise BadInputError("no such file or folder", path=str(path))
    return found


def _classify(path: Path, report: ImportReport, *, explicit: bool) -> ExportFile | None:
    name = path.name.removesuffix(".gz")
    m = _NAME_RE.match(name[: len(name) - len(data_suffix(path))])
    folder = path.parent.parent if path.parent.name.lower() in ("csv", "json", "jsonl") else path.parent
    platform = FOLDER_PLATFORMS.get(folder.name.lower())
    if m and m["store"].startswith("creator"):
        log.info("%s: creator profiles, not posts; skipped", path)
        report.skip("creator files")
        return None
    if not explicit and not m:
        log.warning("%s: not named like a MediaCrawler export; skipped", path)
        report.skip("unrecognised files")
        return None
    if not explicit and platform is None:
        # Found in a folder walk: the folder says the platform (tiktok exports have douyin's columns).
        log.warning("%s: platform folder %r is not one of %s; skipped", path, folder.name,
                    ", ".join(sorted(FOLDER_PLATFORMS)))
        report.skip("unsupported platform files")
        return None
    return ExportFile(path, platform, m["store"] if m else None, _day(m["date"]) if m else None)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if "-" in text else datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def read_mediacrawler(engine: Engine, paths: list[Path], salt: str,
                      report: ImportReport) -> list[dict[str, Any]]:
    """Validate every row of every export; the kept posts, comments carrying their note's keyword."""
    dedupe = Deduper()
    exports = find_exports(paths, report)
    progress = Progress("import:posts", [e.path for e in exports])
    try:
        for export in exports:
            _read_export(export, salt, dedupe, report, progress)
    finally:
        progress.close()
    report.duplicates += dedupe.duplicates
    records = dedupe.records()
    _inherit_queries(engine, records)
    return records


def _read_export(export: ExportFile, salt: str, dedupe: Deduper, report: ImportReport,
                 progress: Progress) -> None:
    report.files += 1
    reader = _RowReader(export, salt)
    add = dedupe.add
    for line, row in iter_rows(export.path, progress):
        report.rows_read += 1
        post, rank = reader.post(row, line)
        add((post["platform"], post["post_id"]), post, rank)


class _RowReader:
    """Maps the rows of one export file; platform and store type settle on its first row."""

    def __init__(self, export: ExportFile, salt: str) -> None:
        self.export, self.salt = export, salt
        self.platform, self.store = export.platform, export.store
        self.layout: Layout | None = None
        self._authors: dict[str, str | None] = {}  # raw id -> hash; people comment many times
        # Relative times ("3小时前") count back from the row's last_modify_ts, else noon of the file's day.
        self._day_ref = (to_naive_utc(datetime.combine(export.day, time(12), SHANGHAI))
                         if export.day else None)

    def _settle(self, row: dict[str, Any], line: int) -> Layout:
        columns = set(row)
        self.store = self.store or ("comments" if "comment_id" in columns else "contents")
        self.platform = self.platform or platform_from_columns(columns)
        if self.platform is None:
            raise BadInputError("cannot tell which platform this export is from; put it under "
                                f"data/<platform>/ ({', '.join(sorted(FOLDER_PLATFORMS))})",
                                path=str(self.export.path), line=line, field="platform")
        self.layout = (COMMENTS if self.store == "comments" else CONTENTS)[self.platform]
        return self.layout

    def post(self, row: dict[str, Any], line: int) -> tuple[dict[str, Any], float]:
        """The cleaned Post of a row and its rank for dedupe (last_modify_ts)."""
        layout = self.layout or self._settle(row, line)
        try:
            draft, rank = self._draft(layout, row)
            return clean_post(draft, salt=self.salt), rank
        except FieldError as exc:
            raise BadInputError(exc.message, path=str(self.export.path), line=line,
                                field=exc.field) from exc
        except RecordError as exc:
            source_field = {"post_id": layout.id, "published_at": layout.time}.get(exc.field)
            raise record_error(exc, self.export.path, line, source_field) from exc

    def _draft(self, layout: Layout, row: dict[str, Any]) -> tuple[dict[str, Any], float]:
        if layout.id not in row:
            raise FieldError(layout.id, f"no {layout.id!r} column: is this a {self.platform} "
                                         f"{self.store} export?")
        post_id = convert(to_id, row[layout.id], layout.id)
        parent = None
        if layout.parent:
            parent = convert(to_id, row.get(layout.parent), layout.parent)
            if parent is None:
                raise FieldError(layout.parent, "is required and empty (the comment's note)")
        modified = convert(parse_local_time, row.get("last_modify_ts"), "last_modify_ts")
        text = ""
        for column in layout.text:
            if not is_blank(value := row.get(column)):
                text = str(value)
                break
        if layout.html and ("<" in text or "&" in text):
            text = html_to_text(text)
        title = "" if layout.title is None or is_blank(row.get(layout.title)) else str(row[layout.title])
        draft = {
            "platform": self.platform, "post_id": post_id, "kind": self._kind(layout, row),
            "parent_id": parent, "url": self._url(layout, row, parent or post_id),
            "author_hash": self._author(row), "title": "" if title.strip() == text.strip() else title,
            "text": text, "published_at": self._published(layout, row, modified), "crawled_at": modified,
            "tags": row.get(layout.tags) if layout.tags else None, "source": SOURCE,
            "query": str(row.get("source_keyword") or "").strip() or None,
        }
        for field, column in layout.counts.items():
            draft[field] = convert(parse_count, row.get(column), column)
        return draft, modified.timestamp() if modified else float("-inf")

    def _published(self, layout: Layout, row: dict[str, Any], modified: datetime | None) -> datetime:
        value = row.get(layout.time)
        try:
            published = parse_local_time(value)
        except ValueError as exc:
            published = parse_relative_time(value, modified or self._day_ref)
            if published is None:
                raise FieldError(layout.time, str(exc)) from exc
        if published is None:
            raise FieldError(layout.time, "is required and empty")
        return published

    def _kind(self, layout: Layout, row: dict[str, Any]) -> str:
        if layout.parent is None:
            return content_kind(self.platform, row)
        for column in REPLY_COLUMNS:
            value = row.get(column)
            # weibo's parent is the thread's root comment, which for a top-level comment is itself
            if value and str(value).strip() not in ("", "0", str(row.get(layout.id)).strip()):
                return "reply"
        return "comment"

    def _url(self, layout: Layout, row: dict[str, Any], note_id: str) -> str:
        if layout.url and not is_blank(row.get(layout.url)):
            return str(row[layout.url]).strip()
        return layout.url_pattern.format(id=note_id) if layout.url_pattern else ""

    def _author(self, row: dict[str, Any]) -> str | None:
        for column in AUTHOR_COLUMNS:
            raw = convert(to_id, row.get(column), column)
            if raw is not None:
                author = self._authors.get(raw)
                if author is None:
                    author = self._authors[raw] = hash_author(raw, self.salt)
                return author
        return None


def _inherit_queries(engine: Engine, records: list[dict[str, Any]]) -> None:
    """Give each comment its note's keyword: from this import, else from notes already stored."""
    queries = {(r["platform"], r["post_id"]): r["query"] for r in records
               if r["kind"] in _PARENT_KINDS and r["query"]}
    orphans = [r for r in records if r["kind"] in ("comment", "reply") and not r["query"]]
    missing = {(r["platform"], r["parent_id"]) for r in orphans} - set(queries)
    queries.update(_stored_queries(engine, missing))
    unknown = 0
    for record in orphans:
        record["query"] = queries.get((record["platform"], record["parent_id"]))
        unknown += record["query"] is None
    if unknown:
        log.info("%s comment(s) have no keyword: their note is neither in this import nor stored "
                 "with one", f"{unknown:,}")


def _stored_queries(engine: Engine, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    if not keys:
        return {}
    by_platform: dict[str, list[str]] = {}
    for platform, post_id in keys:
        by_platform.setdefault(platform, []).append(post_id)
    found: dict[tuple[str, str], str] = {}
    with engine.connect() as conn:
        for platform, ids in by_platform.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                stmt = sa.select(posts.c.post_id, posts.c.query).where(
                    posts.c.platform == platform, posts.c.post_id.in_(chunk), posts.c.query.is_not(None))
                found.update({(platform, pid): q for pid, q in conn.execute(stmt) if q})
    return found
