"""A whole MediaCrawler data/ tree (fixtures_mediacrawler/): seven platforms, both eras, CSV/JSON/JSONL."""

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from crawlers.importers import import_posts
from store.archive import RawArchive
from store.errors import BadInputError
from store.records import hash_author
from store.schema import job_runs, posts

TREE = Path(__file__).parent / "fixtures_mediacrawler" / "data"
A, B, C, D = ("6650a1b2000000001e03c4d5", "6651f0e3000000001c02a7b9", "6652c4d1000000001d01e2f0",
              "6690b7a2000000001203f1c8")
DY, WB, TB, ZH = "7380012345678901234", "5031234567890123", "9012345678", "3345566778"
T = datetime

# (platform, post_id, kind, parent_id, query, likes, published_at), times naive UTC
EXPECTED = [
    ("bilibili", "1155001122", "video", None, "车载冰箱", 18_000, T(2026, 8, 1, 10)),
    ("bilibili", "223344556677", "comment", "1155001122", "车载冰箱", 12, T(2026, 8, 1, 12)),
    ("bilibili", "223344556688", "reply", "1155001122", "车载冰箱", 0, T(2026, 8, 1, 13)),
    ("douyin", DY, "video", None, "车载冰箱杯架", 25_000, T(2026, 6, 9, 10)),
    ("douyin", "7380012345678905678", "video", None, "车载冰箱杯架", 8923, T(2026, 6, 8, 13, 45)),
    ("douyin", "7380098765432109876", "comment", DY, "车载冰箱杯架", 17, T(2026, 6, 9, 12)),
    ("douyin", "7380098765432109877", "reply", DY, "车载冰箱杯架", 11_000, T(2026, 6, 9, 12, 30)),
    ("kuaishou", "3xk9abcdefgh2mq", "video", None, "抗风雨伞", 41_000, T(2026, 6, 24, 9, 30)),
    ("kuaishou", "889900112233", "comment", "3xk9abcdefgh2mq", "抗风雨伞", None, T(2026, 6, 24, 11)),
    # tieba: "刚刚" and "昨天 12:30" count back from last_modify_ts (2026-06-20 14:00 China time);
    # "3小时前" too; "12-05" on a row without one, from noon of the file's day: December is last year's
    ("tieba", "150987654321", "comment", TB, "吸奶器", None, T(2026, 6, 20, 6)),
    ("tieba", "150987654322", "reply", TB, "吸奶器", None, T(2025, 12, 4, 16)),
    ("tieba", TB, "topic", None, "吸奶器", None, T(2026, 6, 19, 4, 30)),
    ("tieba", "9012345999", "topic", None, "防胀气奶瓶", None, T(2026, 6, 20, 3)),
    ("weibo", WB, "note", None, "拖把", 15_000, T(2026, 5, 19, 14)),
    ("weibo", "5031234567899001", "comment", WB, "拖把", 230, T(2026, 5, 19, 15)),  # rootid is itself
    ("weibo", "5031234567899002", "reply", WB, "拖把", None, T(2026, 5, 19, 16)),
    ("xhs", A, "note", None, "车载冰箱", 15_000, T(2026, 5, 1, 4)),  # the 2026-07-15 copy wins: 1.5万
    ("xhs", B, "video", None, "拖把", 100_000, T(2026, 4, 28, 12, 30)),  # "10万+"
    ("xhs", C, "note", None, "猫砂盆", None, T(2026, 4, 30, 1, 15)),  # "" likes
    ("xhs", "6652aa01000000001f00b001", "comment", A, "车载冰箱", 45, T(2026, 5, 1, 8)),
    ("xhs", "6652aa01000000001f00b002", "reply", A, "车载冰箱", None, T(2026, 5, 1, 9)),
    ("xhs", "6690b7a2000000001203f1c8", "note", None, "露营灯", 3562, T(2026, 7, 14, 11, 20)),
    ("xhs", "6695e0c1000000001f00c101", "comment", C, "猫砂盆", 8, T(2026, 7, 15, 2)),  # note: older file
    ("xhs", "6695e0c1000000001f00c102", "comment", D, "露营灯", 11_000, T(2026, 7, 15, 3)),
    ("xhs", "6695e0c1000000001f00c103", "reply", D, "露营灯", 12, T(2026, 7, 15, 4)),  # newer of two copies
    ("zhihu", "10987654321", "comment", ZH, "猫砂盆", 35, T(2026, 7, 18, 12)),
    ("zhihu", "1789012345678901234", "video", None, "保温杯", 880, T(2026, 7, 17, 3)),
    ("zhihu", ZH, "note", None, "猫砂盆", 12_000, T(2026, 7, 18, 9)),
]
COLUMNS = ("platform", "post_id", "kind", "parent_id", "query", "likes", "published_at")


def all_posts(engine):
    with engine.connect() as conn:
        rows = conn.execute(sa.select(posts).order_by(posts.c.platform, posts.c.post_id)).mappings()
        return [dict(r) for r in rows]


def runs(engine):
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(job_runs).order_by(job_runs.c.id)).mappings()]


@pytest.fixture
def imported(engine, settings):
    return import_posts(engine, [TREE], "mediacrawler", settings=settings)


def test_tree_imports_into_the_expected_posts(engine, imported):
    got = [tuple(row[c] for c in COLUMNS) for row in all_posts(engine)]
    assert got == sorted(EXPECTED, key=lambda r: (r[0], r[1]))
    assert (imported.files, imported.rows_read, imported.duplicates) == (16, 31, 2)
    assert (imported.inserted, imported.updated) == (28, 0)
    assert imported.skipped == {"creator files": 1, "empty text": 1}


def test_tree_fields_of_both_eras(engine, settings, imported):
    got = {(r["platform"], r["post_id"]): r for r in all_posts(engine)}
    old, new = got[("xhs", B)], got[("xhs", A)]
    assert old["author_hash"] == hash_author("60b2c3d4000000000101e5f6", settings.salt)  # user_id
    assert new["author_hash"] == hash_author("3fa85f6457174562", settings.salt)  # creator_hash, salted
    assert new["crawled_at"] == T(2026, 7, 15, 6) and new["tags"] == ["自驾游", "车载冰箱"]
    assert new["text"].startswith("开了三小时高速，\n饮料只能夹在腿上，\"杯架\"呢？")
    assert (old["collects"], old["comments"], old["shares"]) == (23_000, 1024, None)
    weibo = got[("weibo", WB)]
    assert weibo["text"] == "家里的拖把又拧不干了\n有没有好用的平板拖把推荐[允悲] #拖把#"
    assert got[("weibo", "5031234567899001")]["text"] == "我家那个也是，甩干桶太小了>_<"
    assert got[("tieba", "150987654321")]["text"] == "换个防胀气的奶嘴试试\n我家用了就好多了"
    assert got[("tieba", TB)]["author_hash"] == hash_author(
        "https://tieba.baidu.com/home/main?id=tb.1.7c1e2d3f.abcDEF", settings.salt)
    kuaishou = got[("kuaishou", "3xk9abcdefgh2mq")]
    assert kuaishou["title"] == "" and kuaishou["text"].startswith("雨伞被风吹翻三次")  # title was the text
    zvideo = got[("zhihu", "1789012345678901234")]
    assert zvideo["title"] == "十款保温杯保温实测"
    assert zvideo["text"] == "从早上8点到晚上8点，哪款不保温一目了然"  # content_text empty: desc
    assert got[("douyin", DY)]["url"] == f"https://www.douyin.com/video/{DY}"
    assert got[("bilibili", "1155001122")]["collects"] == 980
    assert {r["source"] for r in got.values()} == {"mediacrawler"}


def test_importing_the_tree_again_changes_nothing(engine, settings, imported):
    before = all_posts(engine)
    again = import_posts(engine, [TREE], "mediacrawler", settings=settings)
    assert (again.inserted, again.updated, again.duplicates) == (0, 28, 2)
    assert all_posts(engine) == before


def test_import_is_a_job_run_with_its_counts(engine, imported):
    (run,) = runs(engine)
    assert (run["job"], run["status"]) == ("import:posts", "ok")
    assert run["finished_at"] >= run["started_at"]
    stats = {k: v for k, v in run["stats"].items() if k != "seconds"}
    assert stats == {"files": 16, "rows": 31, "inserted": 28, "updated": 0, "duplicates": 2,
                     "skipped": {"creator files": 1, "empty text": 1}}
    assert run["message"].startswith("16 files, 31 rows: 28 new, 0 updated, 2 duplicates")


def test_bad_row_fails_its_file_and_writes_nothing(engine, settings, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TREE, data)
    bad = data / "bili" / "csv" / "search_comments_2026-08-03.csv"
    text = bad.read_text(encoding="utf-8-sig")
    bad.write_text(text.replace(",12,", ",很多,"), encoding="utf-8-sig")  # like_count of line 2
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [data], "mediacrawler", settings=settings)
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 2, "like_count")
    assert f"{bad}:2: field 'like_count'" in str(err.value)
    assert all_posts(engine) == []
    assert list(RawArchive(settings.raw_dir).read("import-posts")) == []
    (run,) = runs(engine)
    assert run["status"] == "failed" and "like_count" in run["message"]
