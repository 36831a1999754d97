"""Chinese first, English available: UI strings, language choice, and number formatting for pages.

The language comes from `?lang=zh|en` (remembered in the session), then Accept-Language, default zh.
Crawled text (titles, posts, explanation phrases) is shown as it is, in Chinese.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request, session

from store.weeks import SHANGHAI

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DASH = "—"

STRINGS: dict[str, dict[str, str]] = {
    "app_name": {"zh": "机会雷达", "en": "Opportunity Radar"},
    "tagline": {"zh": "从大家的吐槽和心愿里，找到还没人做好的货", "en":
                "Products people ask for that factories have not made yet"},
    "nav_list": {"zh": "本周榜单", "en": "This week"},
    "nav_api": {"zh": "数据接口", "en": "API"},
    "nav_login": {"zh": "分析师登录", "en": "Analyst login"},
    "nav_logout": {"zh": "退出", "en": "Log out"},
    "nav_analyst": {"zh": "分析师", "en": "Analyst"},
    "lang_switch": {"zh": "English", "en": "中文"},
    "seg_creator": {"zh": "创作者", "en": "Creators"},
    "seg_group-leader": {"zh": "团长", "en": "Group leaders"},
    "list_heading": {"zh": "{week} 机会榜 · {segment}", "en": "{week} opportunities · {segment}"},
    "list_intro_creator": {"zh": "需求在涨、对口货源还少的产品改进点，按模型得分排序。",
                           "en": "Needs that grow while matching supply is thin, ranked by the model."},
    "list_intro_group-leader": {"zh": "适合团购的选品：支持一件代发、发货快、价格实在。",
                                "en": "Picks for group buying: dropship, fast shipping, honest prices."},
    "week": {"zh": "周次", "en": "Week"},
    "segment": {"zh": "人群", "en": "Audience"},
    "category": {"zh": "类目", "en": "Category"},
    "all_categories": {"zh": "全部类目", "en": "All categories"},
    "apply": {"zh": "查看", "en": "Show"},
    "export_csv": {"zh": "导出 CSV（Excel 可直接打开）", "en": "Export CSV (opens in Excel)"},
    "col_rank": {"zh": "排名", "en": "#"},
    "col_title": {"zh": "机会", "en": "Opportunity"},
    "col_score": {"zh": "得分", "en": "Score"},
    "col_mentions": {"zh": "提及", "en": "Mentions"},
    "col_growth": {"zh": "增长", "en": "Growth"},
    "col_supply": {"zh": "货源（对口/相关）", "en": "Supply (fits aspect / matching)"},
    "col_margin": {"zh": "预估毛利", "en": "Est. margin"},
    "col_why": {"zh": "上榜理由", "en": "Why it ranks"},
    "col_price": {"zh": "拿货价中位", "en": "Median cost"},
    "col_dropship": {"zh": "一件代发", "en": "Dropship"},
    "col_ship48": {"zh": "48小时发货", "en": "Ships in 48h"},
    "col_link": {"zh": "详情链接", "en": "Link"},
    "empty_title": {"zh": "还没有发布的榜单", "en": "No list has been published yet"},
    "empty_body": {"zh": "别着急：先抓取数据并排序，运行 oppradar rank（或者一键体验 make demo），"
                         "榜单发布后就会出现在这里。",
                   "en": "Nothing to show yet: run oppradar rank (or make demo for the whole sandbox) "
                         "and the list appears here once it is published."},
    "empty_segment": {"zh": "这一周这个人群还没有推荐。", "en": "No picks for this audience this week."},
    "empty_category": {"zh": "这个类目本周没有上榜的机会。", "en": "Nothing in this category this week."},
    "footer_data": {"zh": "数据截至 {when}，模型 {model}", "en": "Data as of {when}, model {model}"},
    "footer_about": {"zh": "每个数字都能追溯到证据帖子和货源。", "en":
                     "Every figure traces back to its evidence posts and offers."},
    "beijing_time": {"zh": "北京时间", "en": "Beijing time"},
    "no_model": {"zh": "未记录", "en": "not recorded"},
    "back_to_list": {"zh": "返回榜单", "en": "Back to the list"},
    "sec_overview": {"zh": "总览", "en": "Overview"},
    "sec_demand": {"zh": "需求", "en": "Demand"},
    "sec_supply": {"zh": "货源", "en": "Supply"},
    "sec_economics": {"zh": "利润估算", "en": "Economics"},
    "sec_why": {"zh": "为什么排在这里", "en": "Why it ranks here"},
    "sec_evidence": {"zh": "证据帖子", "en": "Evidence posts"},
    "sec_offers": {"zh": "对口货源", "en": "Matching offers"},
    "no_explanation": {"zh": "模型没有给出解释。", "en": "The model gave no explanation."},
    "no_evidence": {"zh": "没有找到证据帖子（可能已被清理）。", "en": "No evidence posts found (removed?)."},
    "no_offers": {"zh": "还没有找到对口货源，这正是机会所在。", "en":
                  "No matching offers yet: that is the gap."},
    "open_post": {"zh": "查看原帖", "en": "Open post"},
    "open_offer": {"zh": "查看货源", "en": "Open offer"},
    "likes": {"zh": "赞", "en": "likes"},
    "comments": {"zh": "评论", "en": "comments"},
    "collects": {"zh": "收藏", "en": "saves"},
    "offer_title": {"zh": "货品", "en": "Offer"},
    "offer_price": {"zh": "价格", "en": "Price"},
    "offer_moq": {"zh": "起批量", "en": "MOQ"},
    "offer_supplier": {"zh": "供应商", "en": "Supplier"},
    "offer_type": {"zh": "类型", "en": "Type"},
    "offer_services": {"zh": "服务", "en": "Services"},
    "badge_dropship": {"zh": "一件代发", "en": "Dropship"},
    "badge_custom": {"zh": "可定制", "en": "Customizable"},
    "supplier_factory": {"zh": "工厂", "en": "Factory"},
    "supplier_trading": {"zh": "贸易商", "en": "Trader"},
    "supplier_unknown": {"zh": "未知", "en": "Unknown"},
    "share_title": {"zh": "分享文本（复制发到群里）", "en": "Share text (copy into your group)"},
    "share_line": {"zh": "{rank}. {title}｜拿货价约 {price}｜预估毛利 {margin}",
                   "en": "{rank}. {title} | cost about {price} | est. margin {margin}"},
    "login_title": {"zh": "分析师登录", "en": "Analyst login"},
    "password": {"zh": "密码", "en": "Password"},
    "login_button": {"zh": "登录", "en": "Log in"},
    "login_disabled": {"zh": "分析师登录未开启：请设置环境变量 OPPRADAR_ANALYST_PASSWORD_HASH（推荐，"
                             "werkzeug 密码哈希）或 OPPRADAR_ANALYST_PASSWORD，然后重启网站。",
                       "en": "Analyst login is off: set OPPRADAR_ANALYST_PASSWORD_HASH (recommended, a "
                             "werkzeug password hash) or OPPRADAR_ANALYST_PASSWORD and restart the site."},
    "login_wrong": {"zh": "密码不对，请再试一次。", "en": "Wrong password, try again."},
    "logged_in": {"zh": "已登录为分析师。", "en": "Logged in as analyst."},
    "logged_out": {"zh": "已退出。", "en": "Logged out."},
    "err_400": {"zh": "请求有误", "en": "Bad request"},
    "err_401": {"zh": "需要登录", "en": "Login required"},
    "err_403": {"zh": "不允许", "en": "Not allowed"},
    "err_404": {"zh": "找不到这个页面", "en": "Page not found"},
    "err_405": {"zh": "不支持这种请求方式", "en": "Method not allowed"},
    "err_500": {"zh": "出错了", "en": "Something went wrong"},
    "err_home": {"zh": "回到本周榜单", "en": "Back to this week's list"},
}

# Labels of every figure a payload carries (the detail page, CSV headers and share text use them).
FIELD_LABELS: dict[str, dict[str, str]] = {
    "rank": {"zh": "排名", "en": "Rank"},
    "week": {"zh": "周次", "en": "Week"},
    "title": {"zh": "机会", "en": "Opportunity"},
    "product": {"zh": "产品", "en": "Product"},
    "aspect": {"zh": "改进点", "en": "Aspect"},
    "category": {"zh": "类目", "en": "Category"},
    "score": {"zh": "模型得分", "en": "Model score"},
    "mentions": {"zh": "提及次数", "en": "Mentions"},
    "authors": {"zh": "独立作者", "en": "Unique authors"},
    "engagement": {"zh": "互动量", "en": "Engagement"},
    "growth": {"zh": "周增长", "en": "Week-on-week growth"},
    "slope_4w": {"zh": "四周趋势斜率", "en": "4-week slope"},
    "burst": {"zh": "爆发度", "en": "Burst"},
    "platforms": {"zh": "覆盖平台数", "en": "Platforms"},
    "complaint_share": {"zh": "吐槽占比", "en": "Complaint share"},
    "wish_share": {"zh": "心愿占比", "en": "Wish share"},
    "matching_offers": {"zh": "相关货源数", "en": "Matching offers"},
    "aspect_offers": {"zh": "对口货源数", "en": "Offers addressing the aspect"},
    "price_p25": {"zh": "拿货价 25 分位", "en": "Cost, 25th percentile"},
    "price_p50": {"zh": "拿货价中位数", "en": "Cost, median"},
    "price_p75": {"zh": "拿货价 75 分位", "en": "Cost, 75th percentile"},
    "factory_share": {"zh": "工厂占比", "en": "Factory share"},
    "customizable_share": {"zh": "可定制占比", "en": "Customizable share"},
    "dropship_share": {"zh": "一件代发占比", "en": "Dropship share"},
    "min_moq": {"zh": "最低起批量", "en": "Lowest MOQ"},
    "ship_48h_rate": {"zh": "48小时发货率", "en": "48h shipping rate"},
    "repurchase_rate": {"zh": "回头率", "en": "Repurchase rate"},
    "social_price": {"zh": "大家提到的售价", "en": "Price people mention"},
    "est_margin": {"zh": "预估单件毛利", "en": "Est. margin per unit"},
    "margin_rate": {"zh": "预估毛利率", "en": "Est. margin rate"},
    "model_id": {"zh": "模型", "en": "Model"},
}

PLATFORM_NAMES: dict[str, dict[str, str]] = {
    "xhs": {"zh": "小红书", "en": "Xiaohongshu"}, "douyin": {"zh": "抖音", "en": "Douyin"},
    "kuaishou": {"zh": "快手", "en": "Kuaishou"}, "bilibili": {"zh": "B站", "en": "Bilibili"},
    "weibo": {"zh": "微博", "en": "Weibo"}, "tieba": {"zh": "贴吧", "en": "Tieba"},
    "zhihu": {"zh": "知乎", "en": "Zhihu"}, "douban": {"zh": "豆瓣", "en": "Douban"},
    "rss": {"zh": "RSS", "en": "RSS"}, "other": {"zh": "其他", "en": "Other"},
    "1688": {"zh": "1688", "en": "1688"},
}


def current_lang() -> str:
    """The language of this request (set by `choose_lang`; zh outside a request)."""
    return g.get("lang", DEFAULT_LANG)


def choose_lang() -> None:
    """Pick the request's language: ?lang= (remembered), then the session, then Accept-Language."""
    asked = request.args.get("lang")
    if asked in LANGS:
        if session.get("lang") != asked:
            session["lang"] = asked
        g.lang = asked
    elif session.get("lang") in LANGS:
        g.lang = session["lang"]
    else:
        g.lang = request.accept_languages.best_match(LANGS, default=DEFAULT_LANG)


def _pick(table: dict[str, dict[str, str]], key: str) -> str | None:
    entry = table.get(key)
    return None if entry is None else entry.get(current_lang()) or entry[DEFAULT_LANG]


def t(key: str, **values: Any) -> str:
    """The UI string for key in the current language, with {placeholders} filled; the key if unknown."""
    text = _pick(STRINGS, key) or key
    return text.format(**values) if values else text


def label(field: str) -> str:
    """The label of a payload field in the current language."""
    return _pick(FIELD_LABELS, field) or field


def platform_name(code: str | None) -> str:
    """小红书 for xhs, and so on; unknown codes as they are."""
    return _pick(PLATFORM_NAMES, code or "") or (code or DASH)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def money(value: Any) -> str:
    """CNY with two decimals: ¥1,234.50."""
    return DASH if _missing(value) else f"¥{float(value):,.2f}"


def growth(value: Any) -> str:
    """A change given as a fraction, signed: 2.1 → +210%."""
    return DASH if _missing(value) else f"{float(value) * 100:+.0f}%"


def percent(value: Any) -> str:
    """A share 0..1 as a percentage: 0.35 → 35%."""
    return DASH if _missing(value) else f"{float(value) * 100:.0f}%"


def count(value: Any) -> str:
    """A count, 1.2万 / 3.4亿 style in Chinese and 12,345 in English."""
    if _missing(value):
        return DASH
    number = float(value)
    if current_lang() == "zh":
        for size, unit in ((1e8, "亿"), (1e4, "万")):
            if abs(number) >= size:
                return f"{number / size:.1f}".rstrip("0").rstrip(".") + unit
        return f"{number:.0f}"
    return f"{number:,.0f}"


def number(value: Any, digits: int = 2) -> str:
    """A plain number with fixed decimals."""
    return DASH if _missing(value) else f"{float(value):.{digits}f}"


def beijing_time(value: Any) -> str:
    """A naive-UTC datetime (or ISO string) shown in Shanghai time: 2026-11-23 18:00."""
    if value is None or value == "":
        return DASH
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.removesuffix("Z"))
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def integer(value: Any) -> str:
    """A whole number as it is: 12."""
    return DASH if _missing(value) else f"{int(value)}"


def category_path(value: Any) -> str:
    """A category path for reading: 汽车用品>车载冰箱 → 汽车用品 › 车载冰箱."""
    return DASH if not value else " › ".join(str(value).split(">"))


def as_text(value: Any) -> str:
    """A text figure, or a dash when empty."""
    return DASH if value in (None, "") else str(value)


FORMATS = {"money": money, "growth": growth, "percent": percent, "count": count, "number": number,
           "score": lambda v: number(v, 3), "int": integer, "text": as_text,
           "category": category_path}


def fmt(value: Any, kind: str) -> str:
    """Format value by kind (money, growth, percent, count, number, score, int, text)."""
    return FORMATS[kind](value)


def lang_url(code: str) -> str:
    """The current page's URL with ?lang=code, keeping its other query arguments."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def init_app(app: Flask) -> None:
    """Choose the language per request and expose t, label and the formatters to templates.

    The count formatter is the `human_count` filter, because Jinja's own `count` means length.
    """
    app.before_request(choose_lang)
    app.add_template_filter(t, "t")
    app.jinja_env.globals.update(t=t, label=label, lang=current_lang, lang_url=lang_url, fmt=fmt,
                                 platform_name=platform_name)
    for name, func in (("money", money), ("growth", growth), ("percent", percent), ("human_count", count),
                       ("number", number), ("beijing_time", beijing_time),
                       ("category_path", category_path)):
        app.add_template_filter(func, name)
