"""Process bindings and routing rules through the admin API and pages: data, not code."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import AuditEvent, ProcessBinding, RoutingRule
from tests.conftest import text


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_routing_rules_route_a_sector_at_the_county_and_fall_back_to_the_general_office(api, submitted, app):
    admin = "admin"
    rules = api.get("/api/v1/routing-rules", admin).get_json()
    assert {(r["lane"], r["region_code"], r["sector"], r["office_code"]) for r in rules["items"]} >= {
        ("province", "220000", "construction", "220000-construction")}
    r = api.post("/api/v1/routing-rules", admin, json={"lane": "county", "region_code": "220104",
                                                        "sector": "construction", "office_code": "220104-construction"})
    assert r.status_code == 201, r.get_json()
    rule = r.get_json()
    assert set(rule) == {"id", "lane", "region_code", "sector", "office_code"}
    builder = submitted("city", username="builder", region_code="220104", sector="construction")
    assert builder["current_office"]["code"] == "220104-construction"
    maker = submitted("city", username="maker", region_code="220104", sector="industry")
    assert maker["current_office"]["code"] == "220104"  # no rule for industry: the general office
    assert api.delete(f"/api/v1/routing-rules/{rule['id']}", admin).status_code == 204
    again = submitted("city", username="builder2", region_code="220104", sector="construction")
    assert again["current_office"]["code"] == "220104"
    with app.app_context():
        actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]
    assert "routing_rule_added" in actions and "routing_rule_deleted" in actions


def test_bad_routing_rules_and_bindings_are_refused_whole(api, app):
    admin = "admin"
    before_rules, before_bindings = count(app, RoutingRule), count(app, ProcessBinding)
    r = api.post("/api/v1/routing-rules", admin, json={"lane": "moon", "region_code": "999999", "sector": "x",
                                                        "office_code": "nope"})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"lane", "region_code", "sector", "office_code"}
    r = api.post("/api/v1/routing-rules", admin, json={"lane": "county", "office_code": "220000"})
    assert r.status_code == 422 and "office_code" in r.get_json()["error"]["fields"]  # a provincial office
    r = api.post("/api/v1/process-bindings", admin, json={"process": "recognition", "definition_key": "nope",
                                                           "tier": "gold", "effective_from": "2026-13-01"})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"definition_key", "tier", "effective_from"}
    assert count(app, RoutingRule) == before_rules and count(app, ProcessBinding) == before_bindings
    reviewer = "rev-220000"
    assert api.get("/api/v1/process-bindings", reviewer).status_code == 403
    assert api.post("/api/v1/routing-rules", reviewer, json={}).status_code == 403
    assert api.delete("/api/v1/process-bindings/9999", admin).status_code == 404


def test_a_binding_is_listed_added_and_deleted(api, app):
    admin = "admin"
    api.get("/api/v1/process-definitions", admin)  # the shipped definitions are deployed on first use
    body = {"process": "recognition", "definition_key": "recognition", "tier": "city", "region_code": "220600",
            "sector": None, "effective_from": "2026-01-01"}
    r = api.post("/api/v1/process-bindings", admin, json=body)
    assert r.status_code == 201, r.get_json()
    binding = r.get_json()
    assert binding == body | {"id": binding["id"], "requires_tier": None, "requires_library": None, "clause": None}
    listed = api.get("/api/v1/process-bindings", admin).get_json()["items"]
    assert binding in listed
    assert api.delete(f"/api/v1/process-bindings/{binding['id']}", admin).status_code == 204
    assert binding not in api.get("/api/v1/process-bindings", admin).get_json()["items"]


def test_the_admin_page_adds_and_deletes_a_routing_rule(user_client, app):
    admin = user_client("admin")
    page = admin.get("/admin/processes")
    assert page.status_code == 200 and "流程绑定与路由" in text(page) and "220000-construction" in text(page)
    csrf = re.search(r'name="rule-csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    seeded = count(app, RoutingRule)
    r = admin.post("/admin/processes/routing-rules", data={
        "rule-csrf_token": csrf, "rule-lane": "city", "rule-region_code": "220100", "rule-sector": "construction",
        "rule-office_code": "220100-construction"})
    assert r.status_code == 302
    with app.app_context():
        rule = db.session.scalar(db.select(RoutingRule).where(RoutingRule.lane == "city"))
        assert rule is not None and rule.office.code == "220100-construction"
        rule_id = rule.id
    bad = admin.post("/admin/processes/routing-rules", data={
        "rule-csrf_token": csrf, "rule-lane": "city", "rule-region_code": "220100", "rule-sector": "construction",
        "rule-office_code": "220000"})
    assert bad.status_code == 422 and count(app, RoutingRule) == seeded + 1  # a provincial office: refused
    r = admin.post(f"/admin/processes/routing-rules/{rule_id}/delete", data={"csrf_token": csrf})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(RoutingRule, rule_id) is None
    assert user_client("rev-220000").get("/admin/processes").status_code == 403


def test_an_admin_adds_a_prerequisite_and_the_ladder_follows_it(api, user_client, app, enterprise, grant):
    """A binding that requires a held tier: the page shows it with its clause, new applications follow it,
    a bad prerequisite changes nothing."""
    admin = user_client("admin")
    page = admin.get("/admin/processes")
    assert "001 §二(一)4" in text(page)  # the shipped national prerequisite, with its clause
    csrf = re.search(r'name="binding-csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    form = {"binding-csrf_token": csrf, "binding-process_name": "recognition", "binding-definition_key": "recognition",
            "binding-tier": "province", "binding-region_code": "220600", "binding-sector": "",
            "binding-effective_from": "", "binding-requires_tier": "city", "binding-requires_library": "",
            "binding-clause": "测试条款"}
    seeded = count(app, ProcessBinding)
    bad = admin.post("/admin/processes/bindings", data=form | {"binding-requires_library": "nowhere"})
    assert bad.status_code == 422 and count(app, ProcessBinding) == seeded
    assert admin.post("/admin/processes/bindings", data=form).status_code == 302
    assert "测试条款" in text(admin.get("/admin/processes"))
    enterprise("acme", "220602")  # 白山 浑江区: a province application now needs the city tier
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "province", "data": {}})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "prerequisite_missing"
    assert r.get_json()["error"]["missing"][0]["code"] == "city" and "测试条款" in r.get_json()["error"]["message"]
    grant("acme", "city")
    assert api.post("/api/v1/applications", as_="acme", json={"target_tier": "province", "data": {}}).status_code == 201
    r = api.post("/api/v1/process-bindings", as_="admin", json={
        "process": "recognition", "definition_key": "recognition", "requires_tier": "gold"})
    assert r.status_code == 422 and "requires_tier" in r.get_json()["error"]["fields"]
