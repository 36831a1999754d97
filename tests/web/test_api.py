"""The JSON API: weeks, paged and filtered lists, one opportunity, the models, and its OpenAPI document."""

from __future__ import annotations

import re

import pytest


def test_weeks(client, published):
    response = client.get("/api/weeks")
    assert response.status_code == 200 and response.mimetype == "application/json"
    weeks = response.get_json()["weeks"]
    assert [w["week"] for w in weeks] == ["2026-W47", "2026-W46"]
    assert weeks[0]["counts"] == {"creator": 3, "group-leader": 1}
    assert weeks[1]["counts"] == {"creator": 1, "group-leader": 0}
    assert weeks[0]["published_at"] == "2026-11-23T02:00:00Z" and weeks[0]["model_id"] == "m-20261120"


def test_opportunities_default_to_latest_creator_list(client, published):
    body = client.get("/api/opportunities").get_json()
    assert (body["week"], body["segment"], body["total"], body["limit"], body["offset"]) == \
        ("2026-W47", "creator", 3, 20, 0)
    assert [i["opportunity_id"] for i in body["items"]] == ["opp-fridge", "opp-bottle", "opp-litter"]
    assert body["items"][0]["title"] == "车载冰箱 · 缺杯架"
    assert body["items"][1]["growth"] is None


def test_opportunities_pagination(client, published):
    first = client.get("/api/opportunities?limit=2").get_json()
    second = client.get("/api/opportunities?limit=2&offset=2").get_json()
    assert [i["rank"] for i in first["items"]] == [1, 2]
    assert [i["rank"] for i in second["items"]] == [3]
    assert first["total"] == second["total"] == 3
    assert client.get("/api/opportunities?offset=10").get_json()["items"] == []


@pytest.mark.parametrize(("query", "ids"), [
    ("category=母婴", ["opp-bottle"]),
    ("category=汽车用品", ["opp-fridge"]),
    ("segment=group-leader", ["opp-fridge"]),
    ("week=2026-W46", ["opp-old"]),
    ("week=2026-W46&segment=group-leader", []),
])
def test_opportunities_filters(client, published, query, ids):
    body = client.get(f"/api/opportunities?{query}").get_json()
    assert [i["opportunity_id"] for i in body["items"]] == ids


@pytest.mark.parametrize(("query", "parameter"), [
    ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
    ("segment=boss", "segment"), ("week=2026-47", "week"), ("week=2026-W60", "week"),
])
def test_bad_parameters_are_400_naming_them(client, published, query, parameter):
    response = client.get(f"/api/opportunities?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and parameter in error["message"] and error["status"] == 400


def test_unpublished_week_is_404_json(client, published):
    response = client.get("/api/opportunities?week=2026-W40")
    assert response.status_code == 404
    assert "2026-W40" in response.get_json()["error"]["message"]


def test_nothing_published_yet(client):
    assert client.get("/api/weeks").get_json() == {"weeks": []}
    body = client.get("/api/opportunities").get_json()
    assert body["week"] is None and body["items"] == [] and body["total"] == 0
    assert client.get("/api/opportunities/opp-fridge").status_code == 404


def test_opportunity_detail_expands_posts_and_offers(client, published):
    response = client.get("/api/opportunities/opp-fridge")
    assert response.status_code == 200
    body = response.get_json()
    assert body["evidence"] == ["xhs-1", "dy-2", "missing-post"]
    posts = body["evidence_posts"]
    assert [p["post_id"] for p in posts] == ["xhs-1", "dy-2"]
    assert posts[0]["text"] == "<script>alert(1)</script><b>x</b>"  # JSON carries the text as it is
    assert posts[0]["published_at"] == "2026-11-18T12:00:00Z"
    offers = body["offer_details"]
    assert [(o["offer_id"], o["dropship"], o["supplier_type"]) for o in offers] == \
        [("of-1", True, "factory"), ("of-2", False, "trading")]


def test_opportunity_detail_by_week_and_missing(client, published):
    assert client.get("/api/opportunities/opp-old?week=2026-W46").get_json()["title"] == "晾衣架 · 承重"
    assert client.get("/api/opportunities/opp-old").status_code == 404  # not in the latest week
    response = client.get("/api/opportunities/opp-nope")
    assert response.status_code == 404 and "opp-nope" in response.get_json()["error"]["message"]
    assert client.get("/api/opportunities/opp-fridge?week=bad").get_json()["error"]["parameter"] == "week"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_models_need_an_analyst(client, with_models, login):
    response = client.get("/api/models")
    assert response.status_code == 401
    assert "login" in response.get_json()["error"]["message"]
    assert login().status_code == 302
    models = client.get("/api/models").get_json()["models"]
    assert [m["model_id"] for m in models] == ["m-20261120", "m-20261001"]
    assert models[0] == {"model_id": "m-20261120", "status": "promoted", "created_at": "2026-11-20T00:00:00Z",
                         "promoted_at": "2026-11-21T00:00:00Z", "metrics": {"ndcg@10": 0.71}}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(spec, ref):
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_openapi_document_is_valid(app, client):
    spec = client.get("/api/openapi.json").get_json()
    try:
        from openapi_spec_validator import validate
    except ImportError:
        validate = None
    if validate is not None:
        validate(spec)
    assert spec["openapi"].startswith("3.1") and spec["info"]["title"] and spec["info"]["version"]
    for ref in _refs(spec):
        assert ref.startswith("#/") and _resolve(spec, ref) is not None, ref
    for path, item in spec["paths"].items():
        for operation in item.values():
            assert operation["operationId"] and "200" in operation["responses"], path
    documented = {re.sub(r"\{(\w+)\}", r"<\1>", p) for p in spec["paths"]}
    served = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert documented == served


def test_openapi_schemas_cover_what_the_api_returns(client, published):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    detail = client.get("/api/opportunities/opp-fridge").get_json()
    opportunity = set(schemas["Opportunity"]["properties"])
    assert set(detail) - {"evidence_posts", "offer_details"} <= opportunity
    assert set(detail["evidence_posts"][0]) <= set(schemas["Post"]["properties"])
    assert set(detail["offer_details"][0]) <= set(schemas["Offer"]["properties"])
    page = client.get("/api/opportunities").get_json()
    assert set(page) == set(schemas["OpportunityPage"]["properties"])
    week = client.get("/api/weeks").get_json()["weeks"][0]
    assert set(week) == set(schemas["Week"]["properties"])
