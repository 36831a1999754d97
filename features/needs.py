"""Fill the needs table: extract every post's needs and replace the rows of the posts read."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from features.columns import need_key
from features.extract import extract_many
from store.schema import needs, posts
from store.weeks import parse_week, week_end, week_of, week_start

log = logging.getLogger(__name__)

CHUNK = 500
PROGRESS_EVERY = 5_000
MAX_PARENT_HOPS = 3
_POST_COLUMNS = ("platform", "post_id", "kind", "parent_id", "title", "text", "tags", "query",
                 "published_at")


def build_needs(engine: Engine, weeks: list[str] | None = None, workers: int = 1) -> dict[str, Any]:
    """Extract the needs of all posts, or of those published in `weeks`, and replace their rows; `workers`
    processes share the extraction when there are enough posts (the output is the same)."""
    started = time.perf_counter()
    week_set = None if weeks is None else {parse_week(w) for w in weeks}
    with engine.connect() as conn:
        rows = _read_posts(conn, week_set)
        by_key = {(p["platform"], p["post_id"]): p for p in rows}
        _read_ancestors(conn, rows, by_key)
    stats: Counter = Counter()
    last = 0

    def progress(done: int) -> None:
        nonlocal last
        if done // PROGRESS_EVERY > last // PROGRESS_EVERY:
            rate = done / (time.perf_counter() - started)
            log.info("needs: %d/%d posts, %.0f posts/s, ETA %.0fs", done, len(rows), rate,
                     (len(rows) - done) / rate)
        last = done

    parents = [_parent_context(post, by_key) for post in rows]
    found = extract_many(rows, workers=workers, stats=stats, parents=parents, progress=progress)
    out = [_need_row(post, need) for post, needs_of_post in zip(rows, found, strict=True)
           for need in needs_of_post]
    without = sum(not needs_of_post for needs_of_post in found)
    with engine.begin() as conn:
        _replace(conn, week_set, [(p["platform"], p["post_id"]) for p in rows], out)
    seconds = time.perf_counter() - started
    result = {"posts_read": len(rows), "needs_written": len(out), "posts_without_need": without,
              "dropped": {k: v for k, v in sorted(stats.items()) if k.startswith("dropped_")},
              "notes": {k: v for k, v in sorted(stats.items()) if not k.startswith("dropped_")},
              "seconds": round(seconds, 3)}
    log.info("needs: %d posts → %d needs (%d posts without a need) in %.1fs; dropped %s",
             len(rows), len(out), without, seconds, result["dropped"] or "none")
    return result


def _read_posts(conn: Connection, week_set: set[str] | None) -> list[dict[str, Any]]:
    stmt = sa.select(*(posts.c[c] for c in _POST_COLUMNS))
    if week_set is not None:
        if not week_set:
            return []
        # A coarse UTC range in SQL, then the exact Shanghai week per post in Python.
        stmt = stmt.where(posts.c.published_at >= week_start(min(week_set)),
                          posts.c.published_at < week_end(max(week_set)))
    rows = [dict(r) for r in conn.execute(stmt.order_by(posts.c.platform, posts.c.post_id)).mappings()]
    for row in rows:
        row["week"] = week_of(row["published_at"])
    if week_set is not None:
        rows = [r for r in rows if r["week"] in week_set]
    return rows


def _read_ancestors(conn: Connection, rows: list[dict[str, Any]],
                    by_key: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Load the parents (and their parents) of comments that are not among the posts read."""
    frontier = rows
    for _ in range(MAX_PARENT_HOPS):
        wanted = {(p["platform"], p["parent_id"]) for p in frontier if p.get("parent_id")} - by_key.keys()
        if not wanted:
            return
        found = []
        for chunk in _chunks(sorted(wanted), CHUNK):
            stmt = sa.select(*(posts.c[c] for c in _POST_COLUMNS)).where(
                sa.tuple_(posts.c.platform, posts.c.post_id).in_(chunk))
            found.extend(dict(r) for r in conn.execute(stmt).mappings())
        for parent in found:
            by_key[(parent["platform"], parent["post_id"])] = parent
        frontier = found


def _parent_context(post: dict[str, Any], by_key: dict[tuple[str, str], dict[str, Any]]) -> dict | None:
    """For a comment: its parent's text, the root note's title and text, and the nearest query."""
    chain, cur = [], post
    for _ in range(MAX_PARENT_HOPS):
        parent = by_key.get((cur["platform"], cur.get("parent_id"))) if cur.get("parent_id") else None
        if parent is None or parent is post:
            break
        chain.append(parent)
        cur = parent
    if not chain:
        return None
    root = chain[-1]
    texts = [p.get("text") or "" for p in chain]
    return {"title": root.get("title") or "", "text": "\n".join(texts),
            "query": next((p.get("query") for p in chain if p.get("query")), None),
            "tags": root.get("tags") or []}


def _need_row(post: dict[str, Any], need: dict[str, Any]) -> dict[str, Any]:
    return {"platform": post["platform"], "post_id": post["post_id"], "product": need["product"],
            "aspect": need["aspect"], "need_key": need_key(need["product"], need["aspect"]),
            "category": need["category"], "polarity": need["polarity"], "need_type": need["need_type"],
            "span": need["span"], "price_mentions": need["price_mentions"], "week": post["week"],
            "published_at": post["published_at"]}


def _replace(conn: Connection, week_set: set[str] | None, keys: list[tuple[str, str]],
             rows: list[dict[str, Any]]) -> None:
    if week_set is None:
        conn.execute(sa.delete(needs))
    else:
        if week_set:
            conn.execute(sa.delete(needs).where(needs.c.week.in_(sorted(week_set))))
        # A post whose published_at moved weeks still has rows under its old week.
        for chunk in _chunks(keys, CHUNK):
            conn.execute(sa.delete(needs).where(sa.tuple_(needs.c.platform, needs.c.post_id).in_(chunk)))
    for chunk in _chunks(rows, 2_000):
        conn.execute(sa.insert(needs), chunk)


def _chunks(items: Iterable, size: int) -> Iterable[list]:
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]
