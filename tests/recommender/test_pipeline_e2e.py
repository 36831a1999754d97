"""The walking skeleton end to end: sandbox world → spiders → build → train → rank → site."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from recommender.cli import main
from recommender.demo import run_demo
from recommender.publish import read_list
from store.schema import posts

END = date(2026, 11, 18)  # a fixed Wednesday, so the test never depends on today


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    """One tiny demo run shared by the tests of this module."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("demo")
    mp.setenv("OPPRADAR_HOME", str(home))
    mp.delenv("OPPRADAR_DATABASE_URL", raising=False)
    from crawlers.sandbox.world import generate_world
    from store.db import dispose_engines, get_engine

    world = generate_world(seed=11, end=END, scale=0.3)
    week = run_demo(seed=11, serve=False, end=END, scale=0.3)
    yield {"home": home, "world": world, "week": week, "engine": get_engine()}
    dispose_engines()
    mp.undo()


def _top_keys(engine, week, n):
    _, items = read_list(engine, week, "creator", n)
    return [f"{i['product']}|{i['aspect']}" for i in items]


def test_star_need_ranks_top3_and_caught_up_does_not(demo_home):
    world, engine, week = demo_home["world"], demo_home["engine"], demo_home["week"]
    assert week == world.weeks[-1]
    top3 = _top_keys(engine, week, 3)
    stars = world.planted("star")
    caught_up = world.planted("caught_up")
    assert any(k in top3 for k in stars), f"no star need {stars} in top 3 {top3}"
    assert not any(k in top3 for k in caught_up), f"caught-up need {caught_up} in top 3 {top3}"


def test_list_json_contract(demo_home, capsys):
    main(["list", "--format", "json", "--top", "5"])
    items = json.loads(capsys.readouterr().out)
    assert [i["rank"] for i in items] == [1, 2, 3, 4, 5]
    for key in ("rank", "opportunity_id", "title", "product", "aspect", "category", "score", "week",
                "mentions", "growth", "matching_offers", "est_margin", "evidence", "offers", "explanation"):
        assert key in items[0], key
    assert items[0]["evidence"], "the top opportunity has no evidence posts"


def test_site_shows_list_and_escapes_crawled_html(demo_home):
    from web import create_app

    client = create_app({"TESTING": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "车载冰箱" in page
    engine = demo_home["engine"]
    with engine.connect() as conn:
        html_posts = conn.execute(sa.select(posts.c.post_id).where(posts.c.text.contains("<script>"))).all()
    assert html_posts, "the sandbox should plant posts with <script> in their text"
    _, items = read_list(engine, demo_home["week"], "creator", None)
    for item in items:
        detail = client.get(f"/opportunity/{item['week']}/{item['opportunity_id']}")
        assert detail.status_code == 200
        assert "<script>alert" not in detail.get_data(as_text=True)
