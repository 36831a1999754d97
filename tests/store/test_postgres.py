"""The same schema and upserts on PostgreSQL; skipped unless OPPRADAR_TEST_DATABASE_URL reaches one."""

from __future__ import annotations

import json
import os

import pytest
import sqlalchemy as sa

from store.db import dispose_engines, get_engine, upsert
from store.records import clean_post
from store.schema import metadata, opportunities, posts

URL = os.environ.get("OPPRADAR_TEST_DATABASE_URL", "")


def _reachable(url: str) -> str | None:
    if not url.startswith("postgresql"):
        return "OPPRADAR_TEST_DATABASE_URL is not set to a postgresql+psycopg:// URL"
    try:
        with sa.create_engine(url).connect() as conn:
            conn.execute(sa.text("select 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means: no server to test against
        return f"PostgreSQL at {url} is not reachable: {type(exc).__name__}"
    return None


pytestmark = pytest.mark.skipif(bool(_reachable(URL)), reason=_reachable(URL) or "")


@pytest.fixture
def pg(monkeypatch, tmp_path):
    monkeypatch.setenv("OPPRADAR_HOME", str(tmp_path))
    monkeypatch.setenv("OPPRADAR_DATABASE_URL", URL)
    metadata.drop_all(sa.create_engine(URL))
    engine = get_engine(URL)
    yield engine
    dispose_engines()
    metadata.drop_all(sa.create_engine(URL))


def _post(i: int, **kw):
    rec = {"platform": "xhs", "post_id": f"n{i}", "kind": "note", "published_at": "2026-11-10T08:00:00Z",
           "text": "车载冰箱没有杯架", "source": "test", "author_id": f"u{i}", "tags": ["车载冰箱"]}
    rec.update(kw)
    return clean_post(rec, salt="s")


def test_upsert_twice_changes_nothing(pg):
    with pg.begin() as conn:
        first = upsert(conn, posts, [_post(i) for i in range(3)])
        again = upsert(conn, posts, [_post(i) for i in range(3)])
        rows = conn.execute(sa.select(posts).order_by(posts.c.post_id)).mappings().all()
    assert (first.inserted, again.inserted, again.updated) == (3, 0, 3)
    assert rows[0]["tags"] == ["车载冰箱"] and rows[0]["published_at"].tzinfo is None


def test_cli_import_and_list_on_postgres(pg, tmp_path, capsys):
    from recommender.cli import main

    path = tmp_path / "posts.jsonl"
    rec = {"platform": "xhs", "post_id": "n1", "kind": "note", "published_at": "2026-11-10T08:00:00Z",
           "text": "车载冰箱没有杯架", "source": "test"}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    main(["import", "posts", str(path), "--format", "jsonl"])
    with pg.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(opportunities)).scalar_one() == 0


def test_whole_pipeline_on_postgres(pg):
    from datetime import date

    from recommender.demo import run_demo
    from recommender.publish import read_list

    week = run_demo(seed=11, serve=False, end=date(2026, 11, 18), scale=0.3)
    _, items = read_list(pg, week, "creator", 3)
    assert [i["rank"] for i in items] == [1, 2, 3]
