"""Run a spider in a subprocess (Twisted's reactor cannot restart in one process) and read back its run.

The crawl's full log goes to $OPPRADAR_HOME/logs/crawl-<spider>-<time>.log; warnings, errors and
the periodic progress lines are echoed to stderr. The stats come from the run's job_runs row.

Settings overrides pass through as `-s NAME=VALUE`, so:
- pause and resume: `run_spider(name, args, {"JOBDIR": home / "jobs" / "tieba-daily"})`; a run stopped by
  SIGTERM or Ctrl-C is recorded as failed (finish_reason "shutdown"), the same call again resumes it;
- record and replay: `{"HTTPCACHE_ENABLED": True}` records, `{"OPPRADAR_OFFLINE": 1}` replays the cache
  without touching the network (crawlers.middlewares.OfflineAddon);
- politeness off for local servers: `{"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import uuid
from collections import deque
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from store.db import get_engine
from store.errors import BadInputError, OppradarError
from store.schema import job_runs
from store.settings import get_settings
from store.weeks import utcnow

ROOT = Path(__file__).resolve().parent.parent
_LEVEL_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[^\]]+\] (DEBUG|INFO|WARNING|ERROR|CRITICAL): ")
_PROGRESS_RE = re.compile(r"Crawled [1-9]\d* pages")
TAIL_LINES = 30


def list_spiders() -> list[str]:
    """Names of the project's spiders."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawlers.spiders"]})).list())


def _command(spider: str, spider_args: dict[str, str], overrides: dict[str, str], token: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in spider_args.items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**overrides, "OPPRADAR_RUN_TOKEN": token}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def _pump(stream: IO[str], log_file: Path, tail: deque[str]) -> None:
    """Copy the crawl's log to the log file; echo WARNING+ (with its traceback) and progress to stderr."""
    echo = False
    with log_file.open("w", encoding="utf-8") as out:
        for line in stream:
            out.write(line)
            tail.append(line.rstrip("\n"))
            m = _LEVEL_RE.match(line)
            if m:
                echo = m.group(1) in ("WARNING", "ERROR", "CRITICAL") or bool(_PROGRESS_RE.search(line))
            if echo:
                sys.stderr.write(line)


def _find_run(database_url: str, spider: str, token: str) -> dict[str, Any] | None:
    engine = get_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(job_runs).where(job_runs.c.job == f"crawl:{spider}")
                            .order_by(job_runs.c.id.desc()).limit(50)).mappings().all()
    return next((dict(r) for r in rows if (r["stats"] or {}).get("run_token") == token), None)


def run_spider(spider: str, spider_args: dict[str, str], settings_overrides: dict[str, str] | None = None,
               env: dict | None = None, timeout: float | None = None) -> dict:
    """Crawl with `python -m scrapy crawl` and return the run's stats (items, inserted, dropped, ...)."""
    spiders = list_spiders()
    if spider not in spiders:
        raise BadInputError(f"no spider named {spider!r}; available: {', '.join(spiders)}", field="spider")
    full_env = {**os.environ, **{k: str(v) for k, v in (env or {}).items()}}
    full_env["SCRAPY_SETTINGS_MODULE"] = "crawlers.settings"
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), full_env.get("PYTHONPATH")) if p)
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    settings = get_settings(full_env)
    logs = settings.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"crawl-{spider}-{utcnow():%Y%m%dT%H%M%S}-{os.getpid()}.log"
    token = uuid.uuid4().hex
    cmd = _command(spider, {k: str(v) for k, v in spider_args.items()},
                   {k: str(v) for k, v in (settings_overrides or {}).items()}, token)
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace")
    assert proc.stdout is not None
    pump = threading.Thread(target=_pump, args=(proc.stdout, log_file, tail), daemon=True)
    pump.start()
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()  # Scrapy shuts down cleanly on SIGTERM: the run is recorded as failed
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        pump.join(timeout=10)
        raise OppradarError(f"crawl {spider} timed out after {timeout:.0f} s; log: {log_file}\n"
                            + "\n".join(tail)) from None
    pump.join(timeout=10)
    run = _find_run(settings.database_url, spider, token)
    if code != 0 or run is None or run["status"] != "ok":
        why = f"exit code {code}" if code != 0 else ("no job_runs row" if run is None else run["message"])
        raise OppradarError(f"crawl {spider} failed ({why}); log: {log_file}; last lines:\n"
                            + "\n".join(tail))
    return {**run["stats"], "job_run_id": run["id"], "status": run["status"], "log_file": str(log_file)}
