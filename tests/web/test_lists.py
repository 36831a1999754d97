"""The pages: this week's list, other weeks, segments, categories, the detail page and the CSV export."""

from __future__ import annotations

import csv
import io
import re


def page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_list_page_in_chinese(client, published):
    status, html = page(client, "/")
    assert status == 200
    assert 'lang="zh-CN"' in html
    assert "2026-W47 机会榜 · 创作者" in html
    assert html.index("车载冰箱 · 缺杯架") < html.index("奶瓶 · 防胀气") < html.index("=猫砂盆 · 防外溅")
    assert "近一周提及翻了三倍" in html  # the top explanation phrase
    assert "+210%" in html and "¥53.00" in html and "2 / 14" in html
    assert "/opportunity/2026-W47/opp-fridge" in html


def test_list_page_footer_says_when_and_which_model(client, published):
    _, html = page(client, "/")
    assert "数据截至 2026-11-23 10:00 (北京时间)，模型 m-20261120" in html


def test_list_page_in_english(client, published):
    _, html = page(client, "/?lang=en")
    assert 'lang="en"' in html
    assert "2026-W47 opportunities · Creators" in html
    assert "Mentions" in html and "Est. margin" in html
    assert "机会榜" not in html


def test_null_figures_show_a_dash(client, published):
    _, html = page(client, "/?category=母婴")
    assert "奶瓶 · 防胀气" in html
    assert "—" in html
    assert "None" not in html


def test_segment_switch(client, published):
    status, html = page(client, "/?segment=group-leader")
    assert status == 200
    assert "2026-W47 机会榜 · 团长" in html
    assert "车载冰箱 · 缺杯架" in html and "奶瓶 · 防胀气" not in html
    assert "一件代发" in html and "71%" in html  # group-leader columns
    assert "分享文本" in html and "1. 车载冰箱 · 缺杯架｜拿货价约 ¥26.00｜预估毛利 ¥53.00" in html


def test_unknown_segment_is_400(client, published):
    status, html = page(client, "/?segment=boss")
    assert status == 400
    assert "请求有误" in html and "boss" in html


def test_category_filter(client, published):
    _, html = page(client, "/?category=汽车用品")
    assert "车载冰箱 · 缺杯架" in html and "奶瓶 · 防胀气" not in html
    _, html = page(client, "/?category=食品")
    assert "这个类目本周没有上榜的机会" in html


def test_other_week_and_week_picker(client, published):
    status, html = page(client, "/week/2026-W46")
    assert status == 200 and "晾衣架 · 承重" in html and "车载冰箱" not in html
    response = client.get("/?week=2026-W46&segment=creator&category=")
    assert response.status_code == 302
    assert response.headers["Location"] == "/week/2026-W46?segment=creator"


def test_week_not_published_is_404(client, published):
    for path in ("/week/2026-W40", "/week/not-a-week"):
        status, html = page(client, path)
        assert status == 404
        assert "找不到这个页面" in html


def test_empty_database_is_a_friendly_page(client):
    status, html = page(client, "/")
    assert status == 200
    assert "还没有发布的榜单" in html and "oppradar rank" in html and "make demo" in html


def test_detail_escapes_crawled_text(client, published):
    status, html = page(client, "/opportunity/2026-W47/opp-fridge")
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<b>x" not in html
    assert "javascript:" not in html  # a crawled javascript: URL never becomes a link
    assert 'href="https://www.douyin.com/video/2" rel="nofollow noopener noreferrer"' in html


def test_detail_shows_figures_reasons_posts_and_offers(client, published):
    _, html = page(client, "/opportunity/2026-W47/opp-fridge")
    for text in ("提及次数", "对口货源数", "拿货价中位数", "¥26.00", "预估单件毛利", "67%", "1.5万",
                 "近一周提及翻了三倍", "+0.910", "小红书", "抖音", "车载冰箱居然没有放杯子的地方",
                 "车载冰箱专用杯架 支持来图定制", "¥12.50 – ¥18.00", "义乌市好物工艺品厂", "工厂", "贸易商",
                 "一件代发", "可定制", 'href="https://detail.1688.com/offer/1.html"'):
        assert text in html, text
    assert html.count('class="post"') == 2  # the missing evidence post is not invented


def test_detail_missing_is_404(client, published):
    assert client.get("/opportunity/2026-W47/opp-nope").status_code == 404
    assert client.get("/opportunity/2026-W46/opp-fridge").status_code == 404


def test_csv_export_has_bom_and_rows(client, published):
    response = client.get("/export.csv?week=2026-W47&segment=creator")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="oppradar-2026-W47-creator.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["排名", "机会", "产品"]
    assert [r[1] for r in rows[1:]] == ["车载冰箱 · 缺杯架", "奶瓶 · 防胀气", "'=猫砂盆 · 防外溅"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["周增长 (%)"] == "210.0" and first["预估单件毛利"] == "53.00"
    assert first["上榜理由"] == "近一周提及翻了三倍"
    assert first["详情链接"] == "http://localhost/opportunity/2026-W47/opp-fridge"


def test_csv_export_defaults_segments_and_errors(client, published):
    rows = list(csv.reader(io.StringIO(client.get("/export.csv?segment=group-leader&lang=en")
                                       .data.decode("utf-8-sig"))))
    assert rows[0][0] == "Rank" and len(rows) == 2
    assert client.get("/export.csv?week=2026-W40").status_code == 404
    assert client.get("/export.csv?segment=boss").status_code == 400


def test_csv_export_with_nothing_published_is_404(client):
    assert client.get("/export.csv").status_code == 404


def test_stylesheet_is_local_and_pages_load_nothing_external(client, published):
    css = client.get("/static/style.css")
    assert css.status_code == 200 and b"PingFang SC" in css.data and b"url(" not in css.data
    for path in ("/", "/opportunity/2026-W47/opp-fridge", "/login"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//(?!localhost)[^"]*\.(css|js)', html), path
        assert "<script" not in html, path
