import csv
import json
from datetime import datetime

import pytest
import sqlalchemy as sa

from crawlers.importers import import_posts
from store.archive import RawArchive
from store.errors import BadInputError
from store.records import hash_author
from store.schema import posts

XHS_COLUMNS = ["note_id", "type", "title", "desc", "video_url", "time", "last_update_time", "user_id",
               "nickname", "avatar", "liked_count", "collected_count", "comment_count", "share_count",
               "ip_location", "image_list", "tag_list", "last_modify_ts", "note_url", "source_keyword",
               "xsec_token"]
NOTE = "6650a1b2000000001e03c4d5"
VIDEO_NOTE = "6651f0e3000000001c02a7b9"
AWEME = 7380012345678901234  # longer than a double holds exactly: must stay a string end to end
CREATOR = "9f2c4e1a7b3d5c60"


def secs(*args):
    """Epoch seconds of a naive-UTC datetime."""
    return int((datetime(*args) - datetime(1970, 1, 1)).total_seconds())


def ms(*args):
    return secs(*args) * 1000


def xhs_row(note_id, **kw):
    row = dict.fromkeys(XHS_COLUMNS, "")
    row.update(note_id=note_id, type="normal", time=str(ms(2026, 5, 1, 4)),
               user_id="5f1a0b2c000000000100d3e4", nickname="爱自驾的小鹿", ip_location="四川",
               last_modify_ts=str(ms(2026, 5, 1, 6)), source_keyword="车载冰箱",
               note_url=f"https://www.xiaohongshu.com/explore/{note_id}?xsec_token=AB1")
    row.update(kw)
    return row


def write_csv(path, rows, columns=XHS_COLUMNS):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_jsonl(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def write_json(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


def douyin_video(**kw):
    row = {"aweme_id": AWEME, "aweme_type": "0", "title": "", "create_time": secs(2026, 7, 4, 4),
           "desc": "露营带了车载冰箱，结果杯托放不下保温杯，有没有好用的杯架推荐 #露营好物",
           "creator_hash": CREATOR, "nickname": "露营***", "liked_count": "2.5万", "collected_count": "3012",
           "comment_count": "1,024", "share_count": "560", "last_modify_ts": ms(2026, 7, 4, 6),
           "aweme_url": f"https://www.douyin.com/video/{AWEME}", "source_keyword": "车载冰箱杯架"}
    row.update(kw)
    return row


def douyin_comment(comment_id, aweme_id=AWEME, **kw):
    row = {"comment_id": comment_id, "create_time": secs(2026, 7, 4, 5), "ip_location": "广东",
           "aweme_id": aweme_id,
           "content": "同款冰箱，杯子一开车就倒，太不稳了", "creator_hash": "0a1b2c3d4e5f6789",
           "sub_comment_count": "0", "like_count": "17", "last_modify_ts": ms(2026, 7, 4, 6),
           "parent_comment_id": "0", "pictures": ""}
    row.update(kw)
    return row


@pytest.fixture
def data_dir(tmp_path):
    """A MediaCrawler data/ folder: old-era xhs CSV and JSON, new-era douyin JSONL, a creator file."""
    data = tmp_path / "data"
    # The desc spans lines: row lines in errors must be physical lines, not record numbers.
    write_csv(data / "xhs" / "1_search_contents_2026-05-01.csv", [
        xhs_row(NOTE, title="车载冰箱居然没有杯架？", desc="开了三小时高速，\n饮料只能夹在腿上，\"杯架\"呢？",
                liked_count="1.2万", collected_count="356", comment_count="89", tag_list="车载冰箱,自驾装备"),
        xhs_row(VIDEO_NOTE, type="video", title="拖把拧不干怎么办", desc="拧不干的拖把真的会谢，地板全是水印",
                liked_count="10万+", source_keyword="拖把"),
    ])
    # The same note again, crawled later with more likes: the newer copy wins.
    write_json(data / "xhs" / "json" / "search_contents_2026-05-02.json", [
        xhs_row(NOTE, title="车载冰箱居然没有杯架？", desc="开了三小时高速，\n饮料只能夹在腿上，\"杯架\"呢？",
                liked_count="1.3万", last_modify_ts=ms(2026, 5, 2, 6), tag_list="车载冰箱,自驾装备"),
    ])
    write_json(data / "xhs" / "json" / "search_comments_2026-05-02.json", [
        {"comment_id": "6652aa01000000001f00b001", "create_time": ms(2026, 5, 1, 8), "ip_location": "浙江",
         "note_id": NOTE, "content": "我也是！放杯子的地方都没有，只能买个杯托自己装", "user_id": "60a1b2c3",
         "nickname": "momo", "avatar": "", "sub_comment_count": "2", "pictures": "",
         "parent_comment_id": 0, "last_modify_ts": ms(2026, 5, 2, 6), "like_count": "45"},
        {"comment_id": "6652aa01000000001f00b002", "create_time": ms(2026, 5, 1, 9), "ip_location": "江苏",
         "note_id": NOTE, "content": "求链接，杯架夹不紧的别买", "user_id": "60a1b2c4", "nickname": "阿杰",
         "avatar": "", "sub_comment_count": "0", "pictures": "",
         "parent_comment_id": "6652aa01000000001f00b001", "last_modify_ts": ms(2026, 5, 2, 6),
         "like_count": ""},
        {"comment_id": "6652aa01000000001f00b003", "create_time": ms(2026, 5, 1, 9), "ip_location": "江苏",
         "note_id": NOTE, "content": "", "user_id": "60a1b2c5", "nickname": "图片评论", "avatar": "",
         "sub_comment_count": "0", "pictures": "http://sns-img/1.jpg", "parent_comment_id": "0",
         "last_modify_ts": ms(2026, 5, 2, 6), "like_count": "1"},
    ])
    write_csv(data / "xhs" / "1_search_creator_2026-05-01.csv", [{"user_id": "5f1a", "nickname": "x"}],
              columns=["user_id", "nickname"])
    write_jsonl(data / "douyin" / "jsonl" / "search_contents_2026-07-03.jsonl", [douyin_video()])
    write_jsonl(data / "douyin" / "jsonl" / "search_comments_2026-07-03.jsonl",
                [douyin_comment(7380098765432109876)])
    # A platform oppradar does not import, with douyin's columns: skipped, not taken for douyin.
    write_jsonl(data / "tiktok" / "jsonl" / "search_contents_2026-07-03.jsonl", [douyin_video(aweme_id=1)])
    return data


def all_posts(engine):
    with engine.connect() as conn:
        rows = conn.execute(sa.select(posts).order_by(posts.c.platform, posts.c.post_id)).mappings()
        return {(r["platform"], r["post_id"]): dict(r) for r in rows}


def test_mediacrawler_folder_imports_posts(engine, settings, data_dir):
    report = import_posts(engine, [data_dir], "mediacrawler", settings=settings)

    assert (report.files, report.rows_read, report.duplicates) == (5, 8, 1)
    assert report.skipped == {"creator files": 1, "empty text": 1, "unsupported platform files": 1}
    assert (report.inserted, report.updated) == (6, 0)
    got = all_posts(engine)
    assert len(got) == 6
    note = got[("xhs", NOTE)]
    assert note["kind"] == "note" and note["likes"] == 13_000  # the newer copy, "1.3万"
    assert note["title"] == "车载冰箱居然没有杯架？"
    assert note["text"] == "开了三小时高速，\n饮料只能夹在腿上，\"杯架\"呢？"
    assert note["tags"] == ["车载冰箱", "自驾装备"] and note["query"] == "车载冰箱"
    assert note["author_hash"] == hash_author("5f1a0b2c000000000100d3e4", settings.salt)
    assert note["published_at"] == datetime(2026, 5, 1, 4) and note["crawled_at"] == datetime(2026, 5, 2, 6)
    assert note["source"] == "mediacrawler" and note["url"].startswith("https://www.xiaohongshu.com/explore/")
    video_note = got[("xhs", VIDEO_NOTE)]
    assert (video_note["kind"], video_note["likes"], video_note["shares"]) == ("video", 100_000, None)

    comment = got[("xhs", "6652aa01000000001f00b001")]
    assert (comment["kind"], comment["parent_id"], comment["query"]) == ("comment", NOTE, "车载冰箱")
    assert (comment["likes"], comment["comments"]) == (45, 2)
    reply = got[("xhs", "6652aa01000000001f00b002")]
    assert (reply["kind"], reply["parent_id"], reply["likes"]) == ("reply", NOTE, None)
    assert reply["query"] == "车载冰箱"

    video = got[("douyin", str(AWEME))]
    assert video["kind"] == "video" and video["likes"] == 25_000 and video["comments"] == 1024
    assert video["author_hash"] == hash_author(CREATOR, settings.salt) != CREATOR
    assert video["published_at"] == datetime(2026, 7, 4, 4) and video["title"] == ""
    dy_comment = got[("douyin", "7380098765432109876")]
    assert (dy_comment["parent_id"], dy_comment["query"]) == (str(AWEME), "车载冰箱杯架")

    archived = list(RawArchive(settings.raw_dir).read("import-posts"))
    assert len(archived) == 6 and {a["source"] for a in archived} == {"mediacrawler"}


def test_importing_twice_changes_nothing(engine, settings, data_dir):
    import_posts(engine, [data_dir], "mediacrawler", settings=settings)
    before = all_posts(engine)
    again = import_posts(engine, [data_dir], "mediacrawler", settings=settings)
    assert (again.inserted, again.updated) == (0, 6)
    assert "0 new, 6 updated, 1 duplicates" in again.summary()
    assert all_posts(engine) == before


def test_comments_inherit_keyword_of_a_note_imported_earlier(engine, settings, tmp_path):
    write_jsonl(tmp_path / "a" / "douyin" / "search_contents_2026-07-03.jsonl", [douyin_video()])
    write_jsonl(tmp_path / "b" / "douyin" / "search_comments_2026-07-04.jsonl",
                [douyin_comment("7380000000000000001"),
                 douyin_comment("7380000000000000002", aweme_id="7380000000000000999",
                                content="杯架太小了，放不下500毫升的杯子")])
    import_posts(engine, [tmp_path / "a"], "mediacrawler", settings=settings)
    import_posts(engine, [tmp_path / "b"], "mediacrawler", settings=settings)
    got = all_posts(engine)
    assert got[("douyin", "7380000000000000001")]["query"] == "车载冰箱杯架"
    assert got[("douyin", "7380000000000000002")]["query"] is None  # its video was never imported


def test_malformed_jsonl_line_in_second_file_writes_nothing(engine, settings, data_dir):
    bad = data_dir / "douyin" / "jsonl" / "search_comments_2026-07-03.jsonl"
    bad.write_text(json.dumps(douyin_comment("1")) + "\n\n" + '{"comment_id": "2", "content": "杯架\n',
                   encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [data_dir], "mediacrawler", settings=settings)
    assert (err.value.path, err.value.line, err.value.field) == (str(bad), 3, "json")
    assert all_posts(engine) == {}
    assert list(RawArchive(settings.raw_dir).read("import-posts")) == []


def test_bad_count_names_physical_csv_line_and_column(engine, settings, tmp_path):
    path = tmp_path / "data" / "xhs" / "csv" / "search_contents_2026-05-03.csv"
    write_csv(path, [xhs_row("a1", desc="第一行\n第二行\n第三行"), xhs_row("a2", liked_count="很多")])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [path], "mediacrawler", settings=settings)
    # header line 1, row a1 spans lines 2-4, row a2 starts on line 5
    assert (err.value.line, err.value.field) == (5, "liked_count")
    assert str(path) in str(err.value)


def test_truncated_json_export_names_line(engine, settings, tmp_path):
    path = tmp_path / "data" / "xhs" / "json" / "search_contents_2026-05-03.json"
    write_json(path, [xhs_row("a1"), xhs_row("a2")])
    path.write_text(path.read_text(encoding="utf-8")[:-40], encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [tmp_path / "data"], "mediacrawler", settings=settings)
    assert err.value.field == "json" and err.value.path == str(path) and err.value.line > 20


def test_missing_time_names_the_export_column(engine, settings, tmp_path):
    path = tmp_path / "data" / "xhs" / "json" / "search_contents_2026-05-03.json"
    write_json(path, [xhs_row("a1"), xhs_row("a2", time="")])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [path], "mediacrawler", settings=settings)
    # "[" is line 1, the first object lines 2-24 (21 keys), the second starts on line 25
    assert (err.value.field, err.value.line) == ("time", 25)


def test_other_platforms_map_to_posts(engine, settings, tmp_path):
    data = tmp_path / "data"
    write_jsonl(data / "bili" / "jsonl" / "search_contents_2026-05-01.jsonl", [
        {"video_id": 1155001122, "video_type": "video", "title": "车载冰箱横评",
         "desc": "五款车载冰箱实测，只有一款带杯架",
         "create_time": 1777600000, "user_id": 40012345, "liked_count": 3300, "video_comment": 210,
         "video_share_count": 40, "video_favorite_count": 980, "last_modify_ts": 1777610000000,
         "video_url": "https://www.bilibili.com/video/av1155001122", "source_keyword": "车载冰箱"}])
    write_jsonl(data / "bili" / "jsonl" / "search_comments_2026-05-01.jsonl", [
        {"comment_id": 223344556677, "parent_comment_id": 0, "create_time": 1777603600,
         "video_id": 1155001122, "content": "up主测一下噪音吧，晚上睡车里太吵", "user_id": 50012345,
         "sub_comment_count": 1, "like_count": 12, "last_modify_ts": 1777610000000}])
    write_jsonl(data / "weibo" / "jsonl" / "search_contents_2026-05-01.jsonl", [
        {"note_id": "5031234567890123", "content": "家里的拖把又拧不干了，有没有好用的平板拖把",
         "create_time": 1777600000, "liked_count": "1.5万", "comments_count": "230", "shared_count": "12",
         "last_modify_ts": 1777610000000,
         "note_url": "https://m.weibo.cn/detail/5031234567890123", "user_id": "7001234567",
         "source_keyword": "拖把"}])
    write_jsonl(data / "zhihu" / "jsonl" / "search_contents_2026-05-01.jsonl", [
        {"content_id": "3345566778", "content_type": "answer",
         "content_text": "猫砂盆带砂问题，我换了翻盖款才解决",
         "content_url": "https://www.zhihu.com/question/1/answer/3345566778", "title": "猫砂盆怎么选",
         "created_time": 1777600000, "voteup_count": 880, "comment_count": 35, "source_keyword": "猫砂盆",
         "user_id": "zh-user-1", "last_modify_ts": 1777610000000}])
    write_jsonl(data / "tieba" / "jsonl" / "search_contents_2026-05-01.jsonl", [
        {"note_id": "9012345678", "title": "吸奶器胀气怎么办", "desc": "用了两周，宝宝喝完总胀气",
         "note_url": "https://tieba.baidu.com/p/9012345678", "publish_time": "2026-05-01 12:30",
         "user_link": "https://tieba.baidu.com/home/main?id=tb.1.abc", "tieba_name": "母婴",
         "tieba_link": "https://tieba.baidu.com/f?kw=母婴", "total_replay_num": 56,
         "source_keyword": "吸奶器"}])
    write_jsonl(data / "kuaishou" / "jsonl" / "search_contents_2026-05-01.jsonl", [
        {"video_id": "3xk9abcde", "video_type": "1", "title": "雨伞被风吹翻三次", "desc": "雨伞被风吹翻三次",
         "create_time": 1777600000000, "user_id": "ks-1", "liked_count": "4.1万", "viewd_count": "80万",
         "last_modify_ts": 1777610000000, "video_url": "https://www.kuaishou.com/short-video/3xk9abcde",
         "source_keyword": "雨伞"}])
    report = import_posts(engine, [data], "mediacrawler", settings=settings)
    assert report.inserted == 6
    got = all_posts(engine)
    assert got[("bilibili", "1155001122")]["collects"] == 980
    assert got[("bilibili", "223344556677")]["parent_id"] == "1155001122"
    assert got[("bilibili", "223344556677")]["query"] == "车载冰箱"
    assert got[("weibo", "5031234567890123")]["likes"] == 15_000
    assert got[("zhihu", "3345566778")]["text"].startswith("猫砂盆带砂")
    tieba = got[("tieba", "9012345678")]
    assert tieba["kind"] == "topic" and tieba["published_at"] == datetime(2026, 5, 1, 4, 30)  # China time
    assert tieba["author_hash"] == hash_author("https://tieba.baidu.com/home/main?id=tb.1.abc", settings.salt)
    kuaishou = got[("kuaishou", "3xk9abcde")]
    assert kuaishou["title"] == "" and kuaishou["text"] == "雨伞被风吹翻三次"  # title was a copy of the text


def test_loose_file_outside_data_folder_is_recognised_by_columns(engine, settings, tmp_path):
    path = tmp_path / "my_export.jsonl"
    write_jsonl(path, [douyin_video()])
    report = import_posts(engine, [path], "mediacrawler", settings=settings)
    assert report.inserted == 1 and ("douyin", str(AWEME)) in all_posts(engine)


def test_tieba_time_that_is_no_time_names_the_column(engine, settings, tmp_path):
    row = {"note_id": "9012345678", "title": "吸奶器胀气怎么办", "desc": "宝宝喝完总胀气",
           "note_url": "https://tieba.baidu.com/p/9012345678", "publish_time": "昨天 12:30",
           "tieba_name": "母婴", "tieba_link": "https://tieba.baidu.com/f?kw=母婴", "last_modify_ts": ""}
    path = tmp_path / "data" / "tieba" / "json" / "search_contents_2026-06-20.json"
    write_json(path, [row, {**row, "note_id": "9012345679", "publish_time": "02-30"}])
    with pytest.raises(BadInputError) as err:
        import_posts(engine, [path], "mediacrawler", settings=settings)
    assert (err.value.field, err.value.line) == ("publish_time", 12)
    # without last_modify_ts "昨天" counts from the file's day: 2026-06-19 12:30 in China
    write_json(path, [row])
    import_posts(engine, [path], "mediacrawler", settings=settings)
    assert all_posts(engine)[("tieba", "9012345678")]["published_at"] == datetime(2026, 6, 19, 4, 30)
