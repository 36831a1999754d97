"""The shared end of every import: dedupe on the contract key, then one transaction and the archive."""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from crawlers.importers.report import ImportReport
from store.archive import RawArchive
from store.db import upsert
from store.settings import Settings

log = logging.getLogger(__name__)


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
    """Upsert every record in one transaction and archive them; the archive failing rolls it back."""
    if records:
        with engine.begin() as conn:
            result = upsert(conn, table, records)
            RawArchive(settings.raw_dir).append(source, records)
        report.inserted, report.updated = result.inserted, result.updated
    log.info("%s: %s", source, report.summary())
    return report
