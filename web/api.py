"""The JSON API over the published lists (documented by /api/openapi.json), plus the analysts' models."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from store.weeks import parse_week
from web.auth import login_required
from web.db import get_db
from web.errors import BadParameter
from web.openapi import build_spec
from web.published import (
    SEGMENTS,
    clean,
    evidence_posts,
    find_opportunity,
    is_published,
    latest_week,
    matched_offers,
    matches_category,
    model_rows,
    published_weeks,
    read_list,
)

bp = Blueprint("api", __name__, url_prefix="/api")
DEFAULT_LIMIT, MAX_LIMIT = 20, 200


def int_arg(name: str, default: int, low: int, high: int | None = None) -> int:
    """An integer query parameter within bounds; BadParameter naming it otherwise."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, f"expected an integer, got {raw!r}") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadParameter(name, f"must be {bounds}, got {value}")
    return value


def week_arg() -> str | None:
    """The ?week= parameter (default: the latest published week); 400 if malformed, 404 if unpublished."""
    raw = request.args.get("week")
    conn = get_db()
    if not raw:
        return latest_week(conn)
    try:
        week = parse_week(raw)
    except ValueError as exc:
        raise BadParameter("week", str(exc)) from None
    if not is_published(conn, week):
        abort(404, f"week {week} is not published")
    return week


def segment_arg() -> str:
    """The ?segment= parameter, creator by default."""
    segment = request.args.get("segment") or "creator"
    if segment not in SEGMENTS:
        raise BadParameter("segment", f"unknown segment {segment!r}: use one of {', '.join(SEGMENTS)}")
    return segment


@bp.get("/weeks")
def weeks() -> ResponseReturnValue:
    """Published weeks, newest first, with the number of opportunities per segment."""
    return jsonify({"weeks": clean(published_weeks(get_db()))})


@bp.get("/opportunities")
def opportunities() -> ResponseReturnValue:
    """One page of a published list, filtered by week, segment and category."""
    segment, category = segment_arg(), request.args.get("category") or None
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0)
    week = week_arg()
    items = [] if week is None else [p for p in read_list(get_db(), week, segment)
                                     if matches_category(p, category)]
    return jsonify({"week": week, "segment": segment, "category": category, "total": len(items),
                    "limit": limit, "offset": offset, "items": items[offset:offset + limit]})


@bp.get("/opportunities/<opportunity_id>")
def opportunity(opportunity_id: str) -> ResponseReturnValue:
    """One published opportunity with its evidence posts and matched offers expanded."""
    week = week_arg()
    conn = get_db()
    item = None if week is None else find_opportunity(conn, week, opportunity_id)
    if item is None:
        abort(404, f"opportunity {opportunity_id} is not in the published list of {week or 'any week'}")
    body: dict[str, Any] = {**item, "evidence_posts": evidence_posts(conn, item),
                            "offer_details": matched_offers(conn, item)}
    return jsonify(body)


@bp.get("/models")
@login_required
def models() -> ResponseReturnValue:
    """The model registry (analysts only)."""
    return jsonify({"models": model_rows(get_db())})


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(build_spec())
