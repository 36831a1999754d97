"""Engine, schema creation and upserts on the contract's keys, for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from store.schema import metadata
from store.settings import get_settings

_engines: dict[str, Engine] = {}
BATCH = 500


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the site read while a crawl or build writes; busy_timeout waits instead of failing.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL per process, with every table created."""
    url = url or get_settings().database_url
    if url not in _engines:
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
        _engines[url] = engine
    return _engines[url]


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@dataclass
class UpsertResult:
    inserted: int = 0
    updated: int = 0

    def __iadd__(self, other: UpsertResult) -> UpsertResult:
        self.inserted += other.inserted
        self.updated += other.updated
        return self


def _existing_keys(conn: Connection, table: sa.Table, keys: Sequence[str],
                   rows: list[dict[str, Any]]) -> set[tuple]:
    """Keys of rows already stored, asked per prefix so the primary-key index serves each query."""
    wanted: dict[tuple, list] = {}
    for r in rows:
        wanted.setdefault(tuple(r[k] for k in keys[:-1]), []).append(r[keys[-1]])
    cols = [table.c[k] for k in keys]
    found: set[tuple] = set()
    for prefix, last in wanted.items():
        # A row-value IN over a composite key makes SQLite scan the table on every batch.
        cond = [c == v for c, v in zip(cols[:-1], prefix, strict=True)] + [cols[-1].in_(last)]
        found.update(tuple(r) for r in conn.execute(sa.select(*cols).where(*cond)))
    return found


def upsert(conn: Connection, table: sa.Table, rows: Iterable[dict[str, Any]],
           keys: Sequence[str] | None = None) -> UpsertResult:
    """Insert rows, or update the non-key columns of rows whose key exists; counts each."""
    keys = tuple(keys or (c.name for c in table.primary_key.columns))
    result = UpsertResult()
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            result += _upsert_batch(conn, table, keys, batch)
            batch = []
    if batch:
        result += _upsert_batch(conn, table, keys, batch)
    return result


def _upsert_batch(conn: Connection, table: sa.Table, keys: Sequence[str],
                  rows: list[dict[str, Any]]) -> UpsertResult:
    # The last row wins when a batch repeats a key, as it would row by row.
    unique = list({tuple(r[k] for k in keys): r for r in rows}.values())
    existing = _existing_keys(conn, table, keys, unique)
    dialect = conn.dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"upsert supports sqlite and postgresql, not {dialect}")
    stmt = insert(table)
    cols = [c for c in unique[0] if c not in keys]
    if cols:
        stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                          set_={c: stmt.excluded[c] for c in cols})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(stmt, unique)
    updated = sum(1 for r in unique if tuple(r[k] for k in keys) in existing)
    return UpsertResult(inserted=len(unique) - updated, updated=updated)


def start_job(conn: Connection, job: str, started_at: datetime) -> int:
    """Record a job run as running and return its id (see `finish_job`)."""
    from store.schema import job_runs

    res = conn.execute(sa.insert(job_runs).values(job=job, started_at=started_at,
                                                  status="running", stats={}))
    return int(res.inserted_primary_key[0])


def finish_job(conn: Connection, run_id: int, status: str, finished_at: datetime,
               stats: dict[str, Any] | None = None, message: str | None = None) -> None:
    from store.schema import job_runs

    conn.execute(sa.update(job_runs).where(job_runs.c.id == run_id).values(
        status=status, finished_at=finished_at, stats=stats or {}, message=message))
