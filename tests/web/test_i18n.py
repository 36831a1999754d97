"""Language choice, UI strings and the number formats pages use."""

from __future__ import annotations

import pytest

from web.i18n import FIELD_LABELS, STRINGS, beijing_time, choose_lang, count, growth, money, percent, t


def test_every_string_has_both_languages():
    for table in (STRINGS, FIELD_LABELS):
        for key, entry in table.items():
            assert entry.get("zh") and entry.get("en"), key


@pytest.mark.parametrize(("path", "headers", "expected"), [
    ("/", {}, "zh"),
    ("/", {"Accept-Language": "en-US,en;q=0.9"}, "en"),
    ("/", {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, "zh"),
    ("/?lang=en", {"Accept-Language": "zh-CN"}, "en"),
    ("/?lang=fr", {}, "zh"),
])
def test_language_choice(app, path, headers, expected):
    with app.test_request_context(path, headers=headers):
        choose_lang()
        assert t("nav_list") == STRINGS["nav_list"][expected]


def test_lang_param_is_remembered(client):
    assert "This week" in client.get("/?lang=en").get_data(as_text=True)
    assert "This week" in client.get("/").get_data(as_text=True)
    assert "本周榜单" in client.get("/?lang=zh").get_data(as_text=True)


def test_formats_in_chinese(app):
    with app.test_request_context("/"):
        choose_lang()
        assert money(1234.5) == "¥1,234.50"
        assert money(None) == "—"
        assert growth(2.1) == "+210%"
        assert growth(-0.25) == "-25%"
        assert percent(0.355) == "36%"
        assert count(12345) == "1.2万"
        assert count(30000) == "3万"
        assert count(123456789) == "1.2亿"
        assert count(980) == "980"
        assert count(float("nan")) == "—"
        assert beijing_time("2026-11-23T02:00:00Z") == "2026-11-23 10:00"


def test_counts_in_english(app):
    with app.test_request_context("/?lang=en"):
        choose_lang()
        assert count(12345) == "12,345"
        assert t("list_heading", week="2026-W47", segment="x") == "2026-W47 opportunities · x"
