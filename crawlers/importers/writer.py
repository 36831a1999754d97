"""The shared end of every import: dedupe on the contract key, then one transaction and the archive.

The upsert here is store.db.upsert's statement with two changes for 100,000-row imports (see
benchmarks/bench_import.py): existing keys are looked up per platform with `post_id IN (...)`, which
uses the primary-key index (a `(platform, post_id) IN (VALUES ...)` scans the table in SQLite), and
rows go to executemany in chunks of CHUNK rather than 500. The archive is written in a thread while the
rows are upserted (gzip and SQLite both release the GIL); if either fails, the transaction rolls back
and the archive file is cut back to its size before the import.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from crawlers.importers.report import ImportReport
from store.archive import RawArchive
from store.db import UpsertResult
from store.settings import Settings
from store.weeks import utcnow

log = logging.getLogger(__name__)
CHUNK = 5_000  # rows per executemany
LOOKUP = 900  # ids per IN (...); under SQLite's oldest variable limit (999)


class Deduper:
    """Keeps one record per key: the highest rank wins, and on a tie the one read last."""

    def __init__(self) -> None:
        self._best: dict[Hashable, tuple[float, int, dict[str, Any]]] = {}
        self._seq = 0
        self.duplicates = 0

    def add(self, key: Hashable, record: dict[str, Any], rank: float = float("-inf")) -> None:
        self._seq += 1
        held = self._best.get(key)
        if held is not None:
            self.duplicates += 1
            if (rank, self._seq) < held[:2]:
                return
        self._best[key] = (rank, self._seq, record)

    def records(self) -> list[dict[str, Any]]:
        """The kept records, in the order their key was first read."""
        return [held[2] for held in self._best.values()]


def write_records(engine: Engine, table: sa.Table, records: list[dict[str, Any]], *, settings: Settings,
                  source: str, report: ImportReport) -> ImportReport:
    """Upsert every record in one transaction and archive them; either failing undoes both."""
    if records:
        archive = RawArchive(settings.raw_dir)
        when = utcnow()
        path = archive.path_for(source, when.date())
        size = path.stat().st_size if path.exists() else None
        try:
            with engine.begin() as conn, ThreadPoolExecutor(1, thread_name_prefix="archive") as pool:
                archived = pool.submit(archive.append, source, records, when)
                try:
                    result = upsert_records(conn, table, records)
                finally:
                    archived.result()  # waits; an archive error raises here and rolls back
        except BaseException:
            _cut_back(path, size)
            raise
        report.inserted, report.updated = result.inserted, result.updated
    return report


def _cut_back(path: Path, size: int | None) -> None:
    """Undo an append: gzip members are appended, so the old bytes are the old archive."""
    if not path.exists():
        return
    if size is None:
        path.unlink()
        return
    with path.open("r+b") as fh:
        fh.truncate(size)
        os.fsync(fh.fileno())


def upsert_records(conn: Connection, table: sa.Table, records: list[dict[str, Any]]) -> UpsertResult:
    """Insert or update records with unique keys (platform, id); counts which were new."""
    keys = [c.name for c in table.primary_key.columns]
    existing = _existing(conn, table, keys, records)
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(conn.dialect.name)
    if insert is None:
        raise NotImplementedError(f"imports support sqlite and postgresql, not {conn.dialect.name}")
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: stmt.excluded[c] for c in records[0] if c not in keys})
    compiled = stmt.compile(dialect=conn.dialect, column_keys=list(records[0]))
    order = compiled.positiontup
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        if order is None:  # a named paramstyle (PostgreSQL drivers): the ordinary way
            conn.execute(stmt, chunk)
        else:
            conn.exec_driver_sql(compiled.string, _positional(conn, table, order, chunk))
    return UpsertResult(inserted=len(records) - existing, updated=existing)


def _positional(conn: Connection, table: sa.Table, order: list[str],
                records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows as the driver takes them, through each column type's own bind processor (dates, JSON).

    The same values conn.execute(stmt, records) would send, without its per-row bookkeeping, which
    costs more than SQLite's insert itself at this size.
    """
    processors = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                  for name in order]
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    values = itemgetter(*order)
    if not convert:
        return [values(record) for record in records]
    rows = []
    for record in records:
        row = list(values(record))
        for i, process in convert:
            row[i] = process(row[i])
        rows.append(tuple(row))
    return rows


def _existing(conn: Connection, table: sa.Table, keys: list[str], records: list[dict[str, Any]]) -> int:
    """How many records' keys are already stored, looked up per platform through the key index."""
    group_key, id_key = keys
    by_group: dict[Any, list[Any]] = {}
    for record in records:
        by_group.setdefault(record[group_key], []).append(record[id_key])
    found = 0
    for group, ids in by_group.items():
        for start in range(0, len(ids), LOOKUP):
            stmt = sa.select(sa.func.count()).select_from(table).where(
                table.c[group_key] == group, table.c[id_key].in_(ids[start:start + LOOKUP]))
            found += conn.execute(stmt).scalar_one()
    return found
