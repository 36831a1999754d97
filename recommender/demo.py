"""`oppradar demo`: a whole week of oppradar on the sandbox world, ending with the site.

The sandbox is crawled over HTTP by the real spiders (never read from its files), so the demo
exercises the same path as a real deployment: crawl, build, train, rank, publish, serve.
"""

from __future__ import annotations

import logging
import time
from datetime import date

from recommender import pipeline
from recommender.output import as_table
from recommender.publish import read_list
from store.db import get_engine
from store.settings import get_settings

log = logging.getLogger(__name__)


def crawl_sandbox(world, base_url: str) -> dict[str, dict]:
    """Crawl the sandbox's notes and offers with the project's spiders."""
    from crawlers.runner import run_spider

    args = {"keywords": ",".join(world.keywords), "base_url": base_url}
    return {spider: run_spider(spider, args) for spider in ("sandbox_notes", "sandbox_offers")}


def run_demo(seed: int = 7, host: str = "127.0.0.1", port: int = 5000, serve: bool = True,
             end: date | None = None, scale: float = 1.0) -> str:
    """Generate, crawl, build, train, rank; then print the top 10 and serve (unless serve=False)."""
    from crawlers.sandbox.server import SandboxServer
    from crawlers.sandbox.world import generate_world

    settings = get_settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = get_engine(settings.database_url)
    started = time.perf_counter()
    world = pipeline.run_stage("generate sandbox world", generate_world, seed=seed, end=end, scale=scale)
    with SandboxServer(world) as server:
        log.info("sandbox serving at %s", server.base_url)
        pipeline.run_stage("crawl sandbox", crawl_sandbox, world, server.base_url)
    pipeline.run_stage("build", pipeline.build, engine)
    pipeline.run_stage("train", pipeline.train, engine, settings)
    stats = pipeline.run_stage("rank", pipeline.rank, engine)
    week, top = read_list(engine, stats["week"], "creator", 10)
    print(f"\n{week} · top 10 · home {settings.home}\n{as_table(top)}\n")
    print(f"demo pipeline done in {time.perf_counter() - started:.0f} s")
    if serve:
        serve_site(host, port)
    return week


def serve_site(host: str, port: int) -> None:
    """Serve the Flask site (development server; use a WSGI server such as waitress in production)."""
    from web import create_app

    app = create_app()
    print(f"oppradar is serving at http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    app.run(host=host, port=port, debug=False, use_reloader=False)
