"""The CLI contract: exit codes, one-line errors, no partial writes, idempotent imports."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from recommender.cli import main
from store.schema import offers, posts


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _post(i: int, **kw) -> dict:
    rec = {"platform": "xhs", "post_id": f"n{i}", "kind": "note", "parent_id": None,
           "url": f"https://www.xiaohongshu.com/explore/n{i}", "author_id": f"u{i}", "title": "车载冰箱",
           "text": "车载冰箱居然没有杯架，饮料一刹车就倒", "published_at": "2026-11-10T08:00:00Z",
           "crawled_at": "2026-11-20T08:00:00Z", "likes": 3, "comments": 1, "shares": 0, "collects": 2,
           "tags": ["车载冰箱"], "query": "车载冰箱", "source": "test"}
    rec.update(kw)
    return rec


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_help_lists_only_working_commands(capsys):
    assert _run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "crawl", "import", "build", "train", "evaluate", "models", "rank", "list",
                    "serve", "schedule"):
        assert command in out


def test_malformed_jsonl_line_fails_whole_import(tmp_path, engine, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(_post(i), ensure_ascii=False) for i in range(3)) + "\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    lines = [json.dumps(_post(10), ensure_ascii=False),
             json.dumps(_post(11, likes="很多"), ensure_ascii=False)]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _run(["import", "posts", str(good), str(bad), "--format", "jsonl"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, "the error must be one line"
    assert "bad.jsonl:2" in err and "likes" in err
    assert _count(engine, posts) == 0


def test_truncated_json_names_the_line(tmp_path, engine, capsys):
    path = tmp_path / "cut.jsonl"
    text = json.dumps(_post(1), ensure_ascii=False) + "\n" + '{"platform": "xhs", "post_'
    path.write_text(text, encoding="utf-8")
    assert _run(["import", "posts", str(path), "--format", "jsonl"]) == 2
    assert "cut.jsonl:2" in capsys.readouterr().err
    assert _count(engine, posts) == 0


def test_import_twice_changes_nothing(tmp_path, engine, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(_post(i), ensure_ascii=False) for i in range(5)) + "\n",
                    encoding="utf-8")
    assert _run(["import", "posts", str(path), "--format", "jsonl"]) == 0
    with engine.connect() as conn:
        before = [dict(r) for r in conn.execute(sa.select(posts).order_by(posts.c.post_id)).mappings()]
    assert _run(["import", "posts", str(path), "--format", "jsonl"]) == 0
    with engine.connect() as conn:
        after = [dict(r) for r in conn.execute(sa.select(posts).order_by(posts.c.post_id)).mappings()]
    assert before == after and len(after) == 5
    assert "0 new" in capsys.readouterr().out.splitlines()[-1]


def test_bad_offer_csv_row(tmp_path, engine, capsys):
    header = "offer_id,title,price_min,price_max,listed_at,dropship"
    rows = ["1001,车载冰箱杯架 带杯托,12.50,15.00,2026-11-01,是", "1002,车载冰箱,十二,20,2026-11-02,否"]
    path = tmp_path / "offers.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode("gbk"))
    assert _run(["import", "offers", str(path)]) == 2
    err = capsys.readouterr().err
    assert "offers.csv:3" in err and "price_min" in err
    assert _count(engine, offers) == 0


@pytest.mark.parametrize("args", [["build", "--week", "2026-47"], ["list", "--segment", "everyone"]])
def test_bad_arguments_exit_2(args, engine):
    assert _run(args) == 2


def test_list_before_anything_is_published(engine, capsys):
    assert _run(["list"]) == 1
    assert "oppradar rank" in capsys.readouterr().err
