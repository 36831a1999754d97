"""Import speed of a 100,000-row MediaCrawler export (xhs contents CSV + comments JSONL) into SQLite.

The baseline in the same run is a parse-only pass over the same files (csv.DictReader + json.loads):
the floor any importer pays before validating, deduping and writing. The ratio is what to compare
between runs on this shared, noisy machine; rows/s alone moves with the load.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import random
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

from crawlers.importers import import_posts
from store.db import dispose_engines, get_engine
from store.settings import get_settings

ROWS = 100_000
NOTE_SHARE = 0.3  # the rest are comments; each note gets a handful
DUPLICATE_SHARE = 0.02  # notes crawled twice, as MediaCrawler's appending CSV does
SEED = 20261124
XHS_COLUMNS = ["note_id", "type", "title", "desc", "video_url", "time", "last_update_time", "user_id",
               "nickname", "avatar", "liked_count", "collected_count", "comment_count", "share_count",
               "ip_location", "image_list", "tag_list", "last_modify_ts", "note_url", "source_keyword",
               "xsec_token"]
PRODUCTS = ["车载冰箱", "拖把", "猫砂盆", "吸奶器", "雨伞", "露营灯", "保温杯", "收纳箱", "电动牙刷",
            "婴儿推车", "手机支架", "空气炸锅", "宠物饮水机", "登山包", "加湿器"]
OPENERS = ["姐妹们避雷！", "用了三个月说说真实感受。", "终于找到一款好用的", "家人们谁懂啊，",
           "开箱测评来了～", "不是广告，自费买的。", "第一次写笔记，", "踩坑记录：", ""]
COMPLAINTS = ["杯架放不下大号保温杯", "夹子松动一开车就掉下来", "吸力小，猫毛根本吸不干净", "用久了有异味",
              "噪音大晚上根本睡不着", "拧不干，地板全是水印", "太重了拿着手酸", "充电慢，充一晚上还没满",
              "不保温，中午就凉了", "折叠麻烦，收不起来", "难清洗，缝隙里全是污垢", "肩带细勒肩膀"]
WISHES = ["要是能加个杯托就好了", "希望出个大容量版本", "有没有静音一点的推荐", "求一个不漏水的款式",
          "想要可以折叠收纳的", "要是能带防滑垫就完美了"]
FILLERS = ["价格还算良心", "物流挺快的", "颜值是真的高", "客服态度一般", "性价比不错", "包装很用心",
           "细节做工还行", "朋友推荐入的", "已经回购第二次了", "宝宝很喜欢"]
PLACES = ["广东", "浙江", "四川", "江苏", "北京", "上海", "湖北", "山东", "福建", "河南"]
EMOJI = ["[哭惹R]", "[笑哭R]", "[赞R]", "😅", "👍", "🙃", ""]


def _sentence(rng: random.Random) -> str:
    pool = rng.choice((COMPLAINTS, COMPLAINTS, WISHES, FILLERS))
    return rng.choice(pool) + rng.choice(("，", "。", "！", "～", "。", "，"))


def _text(rng: random.Random, product: str, sentences: tuple[int, int]) -> str:
    body = "".join(_sentence(rng) for _ in range(rng.randint(*sentences)))
    return f"{rng.choice(OPENERS)}{product}{body}{rng.choice(EMOJI)}"


def _count(rng: random.Random) -> str:
    n = int(rng.paretovariate(1.2) * 10)
    if n >= 100_000:
        return "10万+"
    if n >= 10_000:
        return f"{n / 10_000:.1f}万"
    return rng.choice((str(n), str(n), ""))


DAY_MS = 86_400_000
BASE_MS = int((datetime(2026, 5, 1) - datetime(1970, 1, 1)).total_seconds() * 1000)


def generate_export(root: Path, rows: int = ROWS, seed: int = SEED) -> Path:
    """A MediaCrawler data/ tree with `rows` rows: xhs contents CSV and comments JSONL."""
    rng = random.Random(seed)
    data = root / "data"
    (data / "xhs" / "csv").mkdir(parents=True)
    (data / "xhs" / "jsonl").mkdir(parents=True)
    n_notes = int(rows * NOTE_SHARE)
    n_dupes = int(n_notes * DUPLICATE_SHARE)
    notes = [_note(rng, i) for i in range(n_notes)]
    # the first notes crawled again a day later, appended at the end as MediaCrawler's CSV store does
    again = [{**n, "liked_count": _count(rng), "last_modify_ts": str(BASE_MS + DAY_MS * 20)}
             for n in notes[:n_dupes]]
    with (data / "xhs" / "csv" / "search_contents_2026-05-20.csv").open("w", encoding="utf-8-sig",
                                                                         newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=XHS_COLUMNS)
        writer.writeheader()
        writer.writerows(notes + again)
    note_ids = [n["note_id"] for n in notes]
    with (data / "xhs" / "jsonl" / "search_comments_2026-05-20.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(rows - n_notes - n_dupes):
            fh.write(json.dumps(_comment(rng, i, rng.choice(note_ids)), ensure_ascii=False) + "\n")
    return data


def _note(rng: random.Random, i: int) -> dict[str, str]:
    note_id, product = f"66{i:022x}", rng.choice(PRODUCTS)
    row = dict.fromkeys(XHS_COLUMNS, "")
    row.update(
        note_id=note_id, type=rng.choice(("normal", "normal", "video")),
        title=product + rng.choice(("真实测评", "避雷", "好物分享", "怎么选")),
        desc=_text(rng, product, (1, 12)),
        time=str(BASE_MS + rng.randrange(DAY_MS * 19)), user_id=f"5f{rng.randrange(16 ** 22):022x}",
        nickname=f"小红薯{rng.randrange(10 ** 6)}", liked_count=_count(rng), collected_count=_count(rng),
        comment_count=_count(rng), share_count=_count(rng), ip_location=rng.choice(PLACES),
        tag_list=f"{product},好物推荐", last_modify_ts=str(BASE_MS + DAY_MS * 19 + i), source_keyword=product,
        note_url=f"https://www.xiaohongshu.com/explore/{note_id}")
    return row


def _comment(rng: random.Random, i: int, note_id: str) -> dict[str, object]:
    top = rng.random() < 0.7
    return {
        "comment_id": f"67{i:022x}", "create_time": BASE_MS + rng.randrange(DAY_MS * 19),
        "ip_location": rng.choice(PLACES), "note_id": note_id,
        "content": _text(rng, rng.choice(PRODUCTS), (1, 3)),
        "creator_hash": f"{rng.randrange(16 ** 16):016x}",
        "nickname": "用户***", "sub_comment_count": str(rng.randrange(5)), "pictures": "",
        "parent_comment_id": "0" if top else f"67{rng.randrange(max(i, 1)):022x}",
        "last_modify_ts": BASE_MS + DAY_MS * 19 + i, "like_count": _count(rng),
    }


def parse_only(data: Path) -> int:
    """The baseline: read every row with the standard library and nothing else."""
    count = 0
    for path in sorted(data.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            count += sum(1 for _ in csv.DictReader(fh))
    for path in sorted(data.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            count += sum(1 for line in fh if json.loads(line))
    return count


def _timed(fn, *args):
    """Result, wall seconds and CPU seconds (all threads: the archive is written in one)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _line(label: str, rows: int, wall: float, cpu: float) -> str:
    return (f"{label}: {wall:.2f} s wall, {rows / wall:,.0f} rows/s; {cpu:.2f} s CPU, "
            f"{rows / cpu:,.0f} rows per CPU-second")


def bench_import_mediacrawler(tmp_path):
    data, gen_seconds, _ = _timed(generate_export, tmp_path / "export")
    size_mb = sum(p.stat().st_size for p in data.rglob("*") if p.is_file()) / 1e6
    settings = get_settings({"OPPRADAR_HOME": str(tmp_path / "home")})
    engine = get_engine(settings.database_url)
    try:
        baseline_rows, base_wall, base_cpu = _timed(parse_only, data)
        report, wall, cpu = _timed(lambda: import_posts(engine, [data], "mediacrawler", settings=settings))
        again, again_wall, again_cpu = _timed(
            lambda: import_posts(engine, [data], "mediacrawler", settings=settings))
    finally:
        dispose_engines()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    assert report.rows_read == baseline_rows == ROWS
    assert again.inserted == 0 and again.updated == report.inserted
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nworkload: MediaCrawler xhs export, {ROWS:,} rows ({size_mb:.1f} MB: contents CSV + comments "
          f"JSONL, {report.duplicates:,} duplicates), generated in {gen_seconds:.1f} s, seed {SEED}")
    print(f"machine: {os.cpu_count()} cpus, {platform.machine()}, Python {sys.version.split()[0]}, "
          f"load average {load}; SQLite in a fresh home")
    print(_line("baseline parse-only (csv.DictReader + json.loads)", ROWS, base_wall, base_cpu))
    print(_line("import into a fresh database", ROWS, wall, cpu)
          + f"; {wall / base_wall:.1f}x the parse-only wall time")
    print(f"  {report.summary()}")
    print(_line("re-import (every row an update)", ROWS, again_wall, again_cpu))
    print(f"peak RSS of the process: {peak_mb:,.0f} MB")
