import gzip
import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from crawlers.importers import ImportReport, import_posts
from store.errors import BadInputError
from store.records import hash_author
from store.schema import posts


def post(post_id, **kw):
    record = {"platform": "xhs", "post_id": post_id, "kind": "note", "parent_id": None,
              "url": f"https://www.xiaohongshu.com/explore/{post_id}", "author_id": "u-" + post_id,
              "title": "车载冰箱没有杯架", "text": "夏天自驾，冰可乐没地方放，只能拿手上",
              "published_at": "2026-05-01T08:00:00",
              "crawled_at": "2026-05-02T00:00:00", "likes": 12, "comments": 3, "shares": None, "collects": 5,
              "tags": ["自驾"], "query": "车载冰箱", "source": "my-crawler"}
    record.update(kw)
    return record


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def count_posts(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one()


def test_jsonl_posts_import_and_reimport(engine, settings, tmp_path):
    first = write_lines(tmp_path / "a.jsonl", [json.dumps(post("n1"), ensure_ascii=False),
                                               "",
                                               json.dumps(post("n2", author_id=None, author_hash="abc123"))])
    second = tmp_path / "b.jsonl.gz"
    second.write_bytes(gzip.compress("\n".join([
        json.dumps(post("n1", likes=40, crawled_at="2026-05-03T00:00:00")),  # newer copy of n1
        json.dumps(post("c1", kind="comment", parent_id="n1", title="", text="")),  # empty: skipped
    ]).encode()))
    report = import_posts(engine, [first, second], "jsonl", settings=settings)
    assert (report.files, report.rows_read, report.inserted, report.duplicates) == (2, 4, 2, 1)
    assert report.skipped == {"empty text": 1}
    summary = report.summary()
    assert summary.startswith("2 files, 4 rows: 2 new, 0 updated, 1 duplicates; skipped 1 empty text; ")
    with engine.connect() as conn:
        rows = {r.post_id: r for r in conn.execute(sa.select(posts))}
    assert rows["n1"].likes == 40 and rows["n1"].author_hash == hash_author("u-n1", settings.salt)
    assert rows["n2"].author_hash == "abc123" and rows["n1"].published_at == datetime(2026, 5, 1, 8)

    again = import_posts(engine, [first, second], "jsonl", settings=settings)
    assert (again.inserted, again.updated, count_posts(engine)) == (0, 2, 2)


def test_unknown_key_is_named(engine, settings, tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(post("n1")), json.dumps(post("n2", nickname="x"))])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [path], "jsonl", settings=settings)
    assert (err.value.path, err.value.line, err.value.field) == (str(path), 2, "nickname")
    assert count_posts(engine) == 0


def test_missing_required_field_is_named(engine, settings, tmp_path):
    record = post("n1")
    del record["published_at"]
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(record)])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [path], "jsonl", settings=settings)
    assert (err.value.line, err.value.field) == (1, "published_at")


def test_malformed_line_in_second_file_writes_nothing(engine, settings, tmp_path):
    good = write_lines(tmp_path / "a.jsonl", [json.dumps(post("n1")), json.dumps(post("n2"))])
    bad = write_lines(tmp_path / "b.jsonl", [json.dumps(post("n3")), json.dumps(post("n4")),
                                             '{"platform": "xhs", "post_id": "n5", "kind": "no'])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [good, bad], "jsonl", settings=settings)
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 3, "json")
    assert str(err.value).startswith(f"{bad}:3: field 'json': malformed JSON")
    assert count_posts(engine) == 0


def test_unknown_format_is_bad_input(engine, settings, tmp_path):
    with pytest.raises(BadInputError, match="unknown format"):
        import_posts(engine, [tmp_path], "csv", settings=settings)


def test_summary_formats_thousands():
    report = ImportReport(files=3, rows_read=1204, inserted=1180, updated=0, duplicates=24)
    assert report.summary() == "3 files, 1,204 rows: 1,180 new, 0 updated, 24 duplicates"
