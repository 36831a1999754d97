"""The OpenAPI 3.1 document of the JSON API, written by hand next to the views it describes."""

from __future__ import annotations

from typing import Any

NUM = {"type": ["number", "null"]}
INT = {"type": ["integer", "null"]}
SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
MONEY = {"type": ["number", "null"], "description": "CNY"}
TEXT = {"type": "string"}
TIME = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ISO 8601"}
WEEK = {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$", "examples": ["2026-W47"]}
SEGMENT = {"type": "string", "enum": ["creator", "group-leader"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


OPPORTUNITY = {
    "type": "object",
    "description": "An opportunity as published in a weekly list; any figure may be null.",
    "required": ["rank", "opportunity_id", "week", "segment", "title", "score"],
    "properties": {
        "rank": {"type": "integer", "minimum": 1}, "opportunity_id": TEXT, "week": WEEK, "segment": SEGMENT,
        "title": {"type": "string", "examples": ["车载冰箱 · 缺杯架"]}, "product": TEXT, "aspect": TEXT,
        "category": TEXT, "score": {"type": "number"},
        "mentions": INT, "authors": INT, "engagement": NUM,
        "growth": {"type": ["number", "null"], "description": "change as a fraction; 2.1 = +210%"},
        "slope_4w": NUM, "burst": NUM, "platforms": INT, "complaint_share": SHARE, "wish_share": SHARE,
        "matching_offers": INT, "aspect_offers": INT,
        "price_p25": MONEY, "price_p50": MONEY, "price_p75": MONEY,
        "factory_share": SHARE, "customizable_share": SHARE, "dropship_share": SHARE, "min_moq": INT,
        "ship_48h_rate": SHARE, "repurchase_rate": SHARE,
        "social_price": MONEY, "est_margin": {"type": ["number", "null"], "description": "CNY per unit"},
        "margin_rate": NUM,
        "evidence": {"type": "array", "items": TEXT, "description": "post ids"},
        "offers": {"type": "array", "items": TEXT, "description": "offer ids"},
        "explanation": {"type": "array", "items": _ref("Reason")},
        "segments": {"type": ["array", "null"], "items": TEXT},
        "model_id": {"type": ["string", "null"]}, "published_at": TIME,
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "message"], "properties": {
            "status": {"type": "integer"}, "message": TEXT,
            "parameter": {"type": "string", "description": "the query parameter that was wrong"}}}}},
    "Week": {"type": "object", "required": ["week", "counts"], "properties": {
        "week": WEEK, "published_at": TIME, "model_id": {"type": ["string", "null"]},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"},
                   "description": "published opportunities per segment"}}},
    "Reason": {"type": "object", "properties": {
        "feature": TEXT, "value": {}, "contribution": NUM,
        "text": {"type": "string", "description": "a Chinese phrase, e.g. 近四周提及翻倍"}}},
    "Opportunity": OPPORTUNITY,
    "OpportunityPage": {
        "type": "object", "required": ["week", "segment", "total", "limit", "offset", "items"],
        "properties": {
            "week": {"type": ["string", "null"], "description": "null when nothing is published"},
            "segment": SEGMENT, "category": {"type": ["string", "null"]},
            "total": {"type": "integer", "description": "rows after the category filter"},
            "limit": {"type": "integer"}, "offset": {"type": "integer"},
            "items": {"type": "array", "items": _ref("Opportunity")}}},
    "Post": {"type": "object", "required": ["platform", "post_id"], "properties": {
        "platform": TEXT, "post_id": TEXT, "title": TEXT,
        "text": {"type": "string", "description": "plain text, as posted"},
        "url": TEXT, "likes": INT, "comments": INT, "shares": INT, "collects": INT, "published_at": TIME}},
    "Offer": {"type": "object", "required": ["platform", "offer_id"], "properties": {
        "platform": TEXT, "offer_id": TEXT, "title": TEXT, "url": TEXT,
        "price_min": MONEY, "price_max": MONEY,
        "moq": INT, "unit": {"type": ["string", "null"]}, "supplier_name": {"type": ["string", "null"]},
        "supplier_type": {"type": "string", "enum": ["factory", "trading", "unknown"]},
        "dropship": {"type": "boolean"}, "customizable": {"type": "boolean"},
        "ship_48h_rate": SHARE, "repurchase_rate": SHARE, "province": {"type": ["string", "null"]},
        "city": {"type": ["string", "null"]}}},
    "OpportunityDetail": {"allOf": [_ref("Opportunity"), {"type": "object", "properties": {
        "evidence_posts": {"type": "array", "items": _ref("Post")},
        "offer_details": {"type": "array", "items": _ref("Offer")}}}]},
    "Model": {"type": "object", "required": ["model_id", "status"], "properties": {
        "model_id": TEXT, "status": TEXT, "created_at": TIME, "promoted_at": TIME,
        "metrics": {"type": "object"}}},
}

PARAMS: dict[str, Any] = {
    "week": {"name": "week", "in": "query", "schema": WEEK,
             "description": "ISO week in Asia/Shanghai; default the latest published week"},
    "segment": {"name": "segment", "in": "query", "schema": {**SEGMENT, "default": "creator"}},
    "category": {"name": "category", "in": "query", "schema": TEXT,
                 "description": "top-level category (家居日用, 厨房, 汽车用品 …) or a full path"},
    "limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                         "default": 20}},
    "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
}


def _param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


PATHS: dict[str, Any] = {
    "/api/weeks": {"get": {
        "operationId": "listWeeks", "summary": "Published weeks, newest first, with counts per segment",
        "responses": {"200": _json({"type": "object", "required": ["weeks"], "properties": {
            "weeks": {"type": "array", "items": _ref("Week")}}}, "the published weeks")}}},
    "/api/opportunities": {"get": {
        "operationId": "listOpportunities", "summary": "One page of a published weekly list, in rank order",
        "parameters": [_param(p) for p in ("week", "segment", "category", "limit", "offset")],
        "responses": {"200": _json(_ref("OpportunityPage"), "a page of the list"),
                      "400": _error("a parameter is wrong; the error names it"),
                      "404": _error("the week is not published")}}},
    "/api/opportunities/{opportunity_id}": {"get": {
        "operationId": "getOpportunity", "summary": "One published opportunity, evidence and offers expanded",
        "parameters": [{"name": "opportunity_id", "in": "path", "required": True, "schema": TEXT},
                       _param("week")],
        "responses": {"200": _json(_ref("OpportunityDetail"), "the opportunity"),
                      "400": _error("the week is malformed"),
                      "404": _error("not in the published list of that week")}}},
    "/api/models": {"get": {
        "operationId": "listModels", "summary": "The model registry (analysts only; log in at /login)",
        "security": [{"analystSession": []}],
        "responses": {"200": _json({"type": "object", "required": ["models"], "properties": {
            "models": {"type": "array", "items": _ref("Model")}}}, "the models, newest first"),
            "401": _error("not logged in as an analyst")}}},
    "/api/openapi.json": {"get": {
        "operationId": "getOpenAPI", "summary": "This document",
        "responses": {"200": {"description": "the OpenAPI document",
                              "content": {"application/json": {"schema": {"type": "object"}}}}}}},
}


def build_spec() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "oppradar API", "version": "1.0.0",
                 "description": "Weekly product opportunities for small sellers: read-only, published "
                                "lists only. Numbers may be null; money is CNY; weeks are ISO weeks in "
                                "Asia/Shanghai."},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS, "parameters": PARAMS,
            "securitySchemes": {"analystSession": {"type": "apiKey", "in": "cookie", "name": "session",
                                                   "description": "the session cookie set by POST /login"}},
        },
    }
