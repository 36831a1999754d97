"""build_needs: extraction into the needs table, replacing the rows of the posts read."""

from __future__ import annotations

import sqlalchemy as sa

from features.columns import need_key
from features.needs import build_needs
from store.schema import needs
from tests.features.conftest import post

W1, W2 = "2026-W10", "2026-W11"


def _rows(engine):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(needs).order_by(needs.c.post_id, needs.c.aspect))
                .mappings()]


def test_needs_are_written_with_key_week_and_post(engine, add_posts):
    add_posts(post(W1, "车载冰箱没有杯架，188元买的", post_id="n1"),
              post(W1, "今天天气真好", post_id="n2", query="车载冰箱"))
    stats = build_needs(engine)
    assert stats["posts_read"] == 2 and stats["needs_written"] == 1 and stats["posts_without_need"] == 1
    [row] = _rows(engine)
    assert row["need_key"] == need_key("车载冰箱", "杯架") == "车载冰箱|杯架"
    assert (row["platform"], row["post_id"], row["week"], row["category"]) == ("xhs", "n1", W1, "汽车用品")
    assert row["price_mentions"] == [188.0] and row["polarity"] == "complaint"


def test_comments_take_the_product_of_their_parent_note_even_in_another_week(engine, add_posts):
    add_posts(post(W1, "用了一个月，说说感受", title="车载冰箱真实测评", post_id="note1"),
              post(W2, "同款，也是没有杯托", kind="comment", parent_id="note1", post_id="c1"),
              post(W2, "我也是没有杯托", kind="reply", parent_id="c1", post_id="r1"))
    build_needs(engine, [W2])
    assert {(r["post_id"], r["need_key"]) for r in _rows(engine)} == {("c1", "车载冰箱|杯架"),
                                                                    ("r1", "车载冰箱|杯架")}


def test_rebuilding_replaces_the_rows_of_the_posts_read_only(engine, add_posts):
    add_posts(post(W1, "保温杯漏水", post_id="a"), post(W2, "拖把拧不干", post_id="b"))
    build_needs(engine)
    add_posts(post(W2, "拖把太重了", post_id="b"))  # the post was edited
    stats = build_needs(engine, [W2])
    assert stats["posts_read"] == 1
    assert {(r["post_id"], r["aspect"]) for r in _rows(engine)} == {("a", "漏水"), ("b", "重量")}


def test_a_post_moved_to_another_week_leaves_no_old_row(engine, add_posts):
    add_posts(post(W1, "保温杯漏水", post_id="m"))
    build_needs(engine)
    add_posts(post(W2, "保温杯漏水", post_id="m"))
    build_needs(engine, [W2])
    assert [(r["post_id"], r["week"]) for r in _rows(engine)] == [("m", W2)]


def test_dropped_needs_are_counted(engine, add_posts):
    add_posts(post(W1, "居然没有杯架", post_id="d"))
    stats = build_needs(engine)
    assert stats["needs_written"] == 0 and stats["dropped"] == {"dropped_no_product": 1}


def test_no_weeks_means_nothing_read(engine, add_posts):
    add_posts(post(W1, "保温杯漏水"))
    assert build_needs(engine, [])["posts_read"] == 0


def test_ten_thousand_posts_in_one_build(engine, add_posts):
    texts = ["车载冰箱没有杯托，要是有杯架就好了", "保温杯漏水😭踩雷了 @小红薯 https://x.cn/a",
             "分享一下今天的穿搭", "求推荐不漏水的保温杯，预算100左右", "猫砂盆带砂严重，后悔买了",
             "这个空气炸锅真的好用，清洗也方便"]
    add_posts(*[post(W1 if i % 2 else W2, texts[i % len(texts)] * (1 + i % 3), post_id=f"bulk{i}",
                     query="车载冰箱") for i in range(10_000)])
    stats = build_needs(engine)
    # speed is bench_extract's business; no test depends on timing
    assert stats["posts_read"] == 10_000 and stats["needs_written"] > 6_000


def test_two_workers_write_the_same_rows_comments_included(engine, add_posts):
    notes = [post(W1, "用了一个月，说说感受", title=t, post_id=f"note{i}")
             for i, t in enumerate(["车载冰箱真实测评", "保温杯避雷", "拖把开箱"])]
    replies = ["同款，也是没有杯托", "我的也漏水", "拧不干，后悔", "分享一下今天的穿搭", "太贵了，不值"]
    comments = [post(W1 if i % 2 else W2, replies[i % len(replies)], kind="comment",
                     parent_id=f"note{i % 3}", post_id=f"c{i}") for i in range(2_400)]
    add_posts(*notes, *comments)
    one = build_needs(engine, workers=1)
    rows = _rows(engine)
    two = build_needs(engine, workers=2)
    assert _rows(engine) == rows and len(rows) > 1_000
    one.pop("seconds"), two.pop("seconds")
    assert one == two
