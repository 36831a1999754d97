"""Each import is a job_runs row: `import:posts` or `import:offers`, ok or failed, with its counts."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine

from crawlers.importers.report import ImportReport
from store.db import finish_job, start_job
from store.weeks import utcnow

log = logging.getLogger(__name__)


@contextmanager
def import_job(engine: Engine, job: str) -> Iterator[ImportReport]:
    """Record the run around the block; a failure is recorded with its message and raised again."""
    with engine.begin() as conn:
        run_id = start_job(conn, job, utcnow())
    report = ImportReport()
    start = time.perf_counter()
    try:
        with _gc_paused():
            yield report
    except BaseException as exc:
        report.seconds = time.perf_counter() - start
        message = str(exc) or type(exc).__name__
        try:
            with engine.begin() as conn:
                finish_job(conn, run_id, "failed", utcnow(), report.stats(), message)
        except Exception:  # the database itself failing must not hide the import's own error
            log.exception("%s: could not record the failed run %s in job_runs", job, run_id)
        # the caller shows the error itself (the CLI as one line): this only says how far it got
        log.info("%s failed after %s", job, report.summary())
        raise
    report.seconds = time.perf_counter() - start
    with engine.begin() as conn:
        finish_job(conn, run_id, "ok", utcnow(), report.stats(), report.summary())
    log.info("%s: %s", job, report.summary())


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: an import holds 100,000s of records (no cycles), and each collection
    walks them all, which cost a fifth of the import's CPU time in benchmarks/bench_import.py."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
