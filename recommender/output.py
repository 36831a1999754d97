"""Rendering a published list for the terminal: an aligned table, JSON, or CSV."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

LIST_JSON_FIELDS = ("rank", "opportunity_id", "title", "product", "aspect", "category", "score", "week",
                    "mentions", "growth", "matching_offers", "est_margin", "evidence", "offers",
                    "explanation")
CSV_FIELDS = ("rank", "week", "title", "product", "aspect", "category", "score", "mentions", "authors",
              "growth", "matching_offers", "aspect_offers", "price_p50", "social_price", "est_margin",
              "dropship_share", "opportunity_id", "why")


def _width(text: str) -> int:
    # CJK characters take two terminal columns; padding by len() would misalign every row.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _why(item: dict[str, Any]) -> str:
    return "；".join(e.get("text", "") for e in (item.get("explanation") or [])[:2])


def _pct(value: Any) -> str:
    return "-" if value is None else f"{value * 100:+.0f}%"


def _money(value: Any) -> str:
    return "-" if value is None else f"¥{value:.2f}"


def as_table(items: list[dict[str, Any]]) -> str:
    header = ["#", "机会", "得分", "提及", "增长", "货源(对口/相关)", "预估毛利", "理由"]
    rows = [[str(i["rank"]), i["title"], f"{i['score']:.3f}", str(i.get("mentions") or 0),
             _pct(i.get("growth")), f"{i.get('aspect_offers') or 0}/{i.get('matching_offers') or 0}",
             _money(i.get("est_margin")), _why(i)] for i in items]
    widths = [max(_width(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = ["  ".join(_pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


def as_json(items: list[dict[str, Any]]) -> str:
    """The `list --format json` contract: an array in rank order with at least these keys."""
    out = [{**{k: i.get(k) for k in LIST_JSON_FIELDS}, **i} for i in items]
    return json.dumps(out, ensure_ascii=False, indent=2)


def as_csv(items: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for item in items:
        writer.writerow({**item, "why": _why(item)})
    return buf.getvalue()


RENDERERS = {"table": as_table, "json": as_json, "csv": as_csv}
