"""The weekly lists for people: this week's list, other weeks, one opportunity, and the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from web.db import get_db
from web.i18n import label, money, t
from web.published import (
    SEGMENTS,
    categories,
    evidence_posts,
    find_opportunity,
    is_published,
    latest_week,
    list_meta,
    matched_offers,
    matches_category,
    published_weeks,
    read_list,
)

bp = Blueprint("lists", __name__)

# The detail page's figures: section, then (payload field, format kind).
FIGURE_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("sec_overview", (("rank", "int"), ("score", "score"), ("product", "text"), ("aspect", "text"),
                      ("category", "category"))),
    ("sec_demand", (("mentions", "count"), ("authors", "count"), ("engagement", "count"),
                    ("growth", "growth"), ("slope_4w", "number"), ("burst", "number"),
                    ("platforms", "int"), ("complaint_share", "percent"), ("wish_share", "percent"))),
    ("sec_supply", (("matching_offers", "int"), ("aspect_offers", "int"), ("price_p25", "money"),
                    ("price_p50", "money"), ("price_p75", "money"), ("factory_share", "percent"),
                    ("customizable_share", "percent"), ("dropship_share", "percent"), ("min_moq", "int"),
                    ("ship_48h_rate", "percent"), ("repurchase_rate", "percent"))),
    ("sec_economics", (("social_price", "money"), ("est_margin", "money"), ("margin_rate", "percent"))),
)
# CSV columns: payload field and how to write it (numbers stay numbers so Excel can sort them).
CSV_COLUMNS = (("rank", "int"), ("title", "text"), ("product", "text"), ("aspect", "text"),
               ("category", "text"), ("score", "score"), ("mentions", "int"), ("growth", "pct"),
               ("aspect_offers", "int"), ("matching_offers", "int"), ("price_p50", "money"),
               ("est_margin", "money"), ("margin_rate", "pct"), ("dropship_share", "pct"),
               ("ship_48h_rate", "pct"), ("min_moq", "int"))
SHARE_TOP = 10


@bp.app_template_filter("safe_url")
def safe_url(url: Any) -> str:
    """A crawled link if it is http(s), else empty: autoescape cannot stop a javascript: href."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else ""


@bp.app_template_global()
def top_reason(item: dict[str, Any]) -> str:
    """The explanation phrase with the largest contribution, or an empty string."""
    phrases = [e for e in item.get("explanation") or [] if isinstance(e, dict) and e.get("text")]
    if not phrases:
        return ""
    return max(phrases, key=lambda e: e.get("contribution") or 0)["text"]


def segment_arg() -> str:
    """The ?segment= of the request (creator by default); 400 for anything else."""
    segment = request.args.get("segment") or "creator"
    if segment not in SEGMENTS:
        abort(400, f"unknown segment {segment!r}: use one of {', '.join(SEGMENTS)}")
    return segment


@bp.route("/")
def index() -> Any:
    """This week's list: the latest published week (the week picker's ?week= redirects)."""
    if request.args.get("week"):
        args = {k: v for k, v in request.args.items() if k != "week" and v}
        return redirect(url_for("lists.week", week=request.args["week"], **args))
    week = latest_week(get_db())
    if week is None:
        return render_template("empty.html")
    return render_list(week)


@bp.route("/week/<week>", endpoint="week")
def week_list(week: str) -> Any:
    """The published list of another week; 404 when that week was never published."""
    if not is_published(get_db(), week):
        abort(404, f"week {week} is not published")
    return render_list(week)


def render_list(week: str) -> str:
    """Render one week's list for the requested segment and category."""
    conn = get_db()
    segment, category = segment_arg(), request.args.get("category") or None
    payloads = read_list(conn, week, segment)
    items = [p for p in payloads if matches_category(p, category)]
    share = share_text(week, items[:SHARE_TOP]) if segment == "group-leader" and items else ""
    return render_template("list.html", week=week, segment=segment, category=category, items=items,
                           total=len(payloads), categories=categories(payloads),
                           weeks=published_weeks(conn), meta=list_meta(conn, week), share=share)


def share_text(week: str, items: list[dict[str, Any]]) -> str:
    """Plain text a group leader can paste into a chat: one line per pick, then the link."""
    lines = [f"{t('app_name')} · {week} · {t('seg_group-leader')}"]
    lines += [t("share_line", rank=i["rank"], title=i.get("title") or "", price=money(i.get("price_p50")),
                margin=money(i.get("est_margin"))) for i in items]
    lines.append(url_for("lists.week", week=week, segment="group-leader", _external=True))
    return "\n".join(lines)


@bp.route("/opportunity/<week>/<opportunity_id>")
def detail(week: str, opportunity_id: str) -> str:
    """One opportunity: every figure, why it ranks, the evidence posts and the matching offers."""
    conn = get_db()
    item = find_opportunity(conn, week, opportunity_id)
    if item is None:
        abort(404, f"opportunity {opportunity_id} is not in the published list of {week}")
    return render_template("detail.html", week=week, item=item, groups=FIGURE_GROUPS,
                           posts=evidence_posts(conn, item), offers=matched_offers(conn, item),
                           meta=list_meta(conn, week))


@bp.route("/export.csv")
def export_csv() -> Response:
    """The list of ?week= (default the latest) and ?segment= as CSV, UTF-8 with a BOM for Excel."""
    conn = get_db()
    segment, category = segment_arg(), request.args.get("category") or None
    week = request.args.get("week") or latest_week(conn)
    if week is None:
        abort(404, "nothing is published yet: run `oppradar rank` (or `make demo`)")
    if not is_published(conn, week):
        abort(404, f"week {week} is not published")
    items = [p for p in read_list(conn, week, segment) if matches_category(p, category)]
    body = "\ufeff" + to_csv(items)
    return Response(body.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="oppradar-{week}-{segment}.csv"'})


def _cell(value: Any, kind: str) -> Any:
    if value is None:
        return ""
    if kind == "text":
        text = str(value)
        # A leading = + - @ makes Excel run the cell as a formula; crawled titles must stay text.
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
    if kind == "money":
        return f"{float(value):.2f}"
    if kind == "pct":
        return f"{float(value) * 100:.1f}"
    if kind == "score":
        return f"{float(value):.4f}"
    return int(value)


def to_csv(items: list[dict[str, Any]]) -> str:
    """CSV text with headers in the page language; percentages are written as numbers with (%)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([label(f) + (" (%)" if kind == "pct" else "") for f, kind in CSV_COLUMNS]
                    + [t("col_why"), t("col_link")])
    for item in items:
        link = url_for("lists.detail", week=item["week"], opportunity_id=item["opportunity_id"],
                       _external=True)
        writer.writerow([_cell(item.get(f), kind) for f, kind in CSV_COLUMNS]
                        + [_cell(top_reason(item), "text"), link])
    return buf.getvalue()
