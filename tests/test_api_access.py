"""Authentication, jurisdiction isolation and bad input through the API: clear errors, nothing changed."""

from __future__ import annotations

import pytest

from tests.conftest import FULL_DATA, PASSWORD, submit_application, task_for, valid_uscc


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def count_rows(app, model) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_token_and_me(api):
    r = api.post("/api/v1/auth/token", json={"username": "rev-220000-construction", "password": PASSWORD})
    assert r.status_code == 200
    body = r.get_json()
    assert body["user"] == {"username": "rev-220000-construction", "role": "reviewer",
                            "office": "220000-construction"}
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"}).get_json()
    assert me["office"] == {"code": "220000-construction", "name": "吉林省住房和城乡建设厅", "region_code": "220000"}
    error_of(api.post("/api/v1/auth/token", json={"username": "admin", "password": "wrong"}), 401, "unauthorized")
    error_of(api.get("/api/v1/me"), 401, "unauthorized")
    error_of(api.get("/api/v1/me", headers={"Authorization": "Bearer nonsense"}), 401, "unauthorized")
    error_of(api.post("/api/v1/auth/token", data="not json", content_type="application/json"), 400, "bad_request")


def test_enterprise_me(api, enterprise):
    _u, ent = enterprise("acme")
    me = api.get("/api/v1/me", as_="acme").get_json()
    assert me["role"] == "enterprise" and me["enterprise"] == {"id": ent["id"], "name": ent["name"],
                                                                  "uscc": ent["uscc"]}


@pytest.mark.parametrize("field,value,status", [
    ("uscc", "91220602MA00000001", 422),       # wrong check character
    ("uscc", "123", 422),
    ("region_code", "999999", 422),            # unknown region
    ("region_code", "220600", 422),            # a city, not a county
    ("sector", "mining", 422),
    ("password", "short", 422),
    ("password", "abcdefghij", 422),
])
def test_registration_refuses_bad_input_and_stores_nothing(app, api, field, value, status):
    from app.models import Enterprise, User

    before = (count_rows(app, Enterprise), count_rows(app, User))
    body = {"username": "newco", "password": "s3cret-pass", "name": "新公司", "uscc": valid_uscc(),
            "region_code": "220602", "sector": "industry", field: value}
    err = error_of(api.post("/api/v1/enterprises", json=body), status, "invalid")
    assert field in err["fields"]
    assert (count_rows(app, Enterprise), count_rows(app, User)) == before


def test_registration_conflicts(api, enterprise):
    _u, ent = enterprise("acme")
    body = {"username": "acme2", "password": "s3cret-pass", "name": "x", "uscc": ent["uscc"],
            "region_code": "220602", "sector": "industry"}
    error_of(api.post("/api/v1/enterprises", json=body), 409, "conflict")
    body.update(username="acme", uscc=valid_uscc())
    error_of(api.post("/api/v1/enterprises", json=body), 409, "conflict")


def test_registration_messages_are_chinese_by_default(api):
    r = api.post("/api/v1/enterprises", json={"username": "x1x", "password": "s3cret-pass", "name": "n",
                                              "uscc": "bad", "region_code": "220602", "sector": "industry"})
    assert "统一社会信用代码" in r.get_json()["error"]["fields"]["uscc"]
    r = api.post("/api/v1/enterprises", headers={"Accept-Language": "en"},
                 json={"username": "x1x", "password": "s3cret-pass", "name": "n", "uscc": "bad",
                       "region_code": "220602", "sector": "industry"})
    assert "social credit code" in r.get_json()["error"]["fields"]["uscc"]


def test_application_data_validation(api, enterprise):
    enterprise("acme")
    error_of(api.post("/api/v1/applications", as_="acme", json={"target_tier": "gold", "data": {}}), 422, "invalid")
    err = error_of(api.post("/api/v1/applications", as_="acme",
                            json={"target_tier": "city", "data": {"revenue_lastyear": 1}}), 422, "invalid")
    assert "revenue_lastyear" in err["fields"]
    for bad in ({"revenue_last_year": -5}, {"debt_ratio": 1.5}, {"employees": 10, "rd_staff": 11},
                {"employees": "many"}, {"own_brand": "yes"}, {"ip_level": "gold"}, {"employees": 2.5}):
        error_of(api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": bad}),
                 422, "invalid")
    assert api.get("/api/v1/applications", as_="acme").get_json()["total"] == 0
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {"employees": 10}})
    assert r.status_code == 201 and r.get_json()["status"] == "draft" and r.get_json()["current_step"] is None
    # submission needs the core indicators
    err = error_of(submit_application(api, "acme", r.get_json()['id']), 422, "invalid")
    assert "revenue_last_year" in err["fields"]
    assert api.get(f"/api/v1/applications/{r.get_json()['id']}", as_="acme").get_json()["status"] == "draft"


def test_editing_a_submitted_application_is_refused(api, submitted):
    app = submitted("city")
    err = error_of(api.put(f"/api/v1/applications/{app['id']}", as_="acme",
                           json={"data": {"employees": 1}}), 409, "conflict")
    assert err["message"]
    after = api.get(f"/api/v1/applications/{app['id']}", as_="acme").get_json()
    assert after["data"] == FULL_DATA and after["updated_at"] == app["updated_at"]
    error_of(submit_application(api, "acme", app['id']), 409, "conflict")


def test_decision_bad_input_changes_nothing(api, submitted):
    app = submitted("city")
    task = task_for(api, "rev-220602", app["id"])
    url = f"/api/v1/tasks/{task['id']}/decision"
    err = error_of(api.post(url, as_="rev-220602", json={"decision": "maybe"}), 422, "invalid")
    assert "decision" in err["fields"]
    for decision in ("return", "reject"):
        err = error_of(api.post(url, as_="rev-220602", json={"decision": decision, "comment": "  "}), 422, "invalid")
        assert "comment" in err["fields"]
    error_of(api.post(url, as_="rev-220602", data="{", content_type="application/json"), 400, "bad_request")
    after = api.get(f"/api/v1/applications/{app['id']}", as_="acme").get_json()
    assert after["current_step"] == "county_review" and after["history"] == app["history"]
    assert task_for(api, "rev-220602", app["id"])["claimed_by"] is None


def test_decision_on_a_closed_task_is_a_conflict(api, submitted):
    app = submitted("city")
    task = task_for(api, "rev-220602", app["id"])
    url = f"/api/v1/tasks/{task['id']}/decision"
    assert api.post(url, as_="rev-220602", json={"decision": "approve"}).status_code == 200
    error_of(api.post(url, as_="rev-220602", json={"decision": "approve"}), 409, "conflict")


def test_jurisdiction_isolation(api, submitted):
    app = submitted("province")
    other = submitted("province", username="rival", region_code="140502")
    task = task_for(api, "rev-220602", app["id"])
    # another county's reviewer: the task and the application do not exist for them
    error_of(api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-140502", json={"decision": "approve"}),
             404, "not_found")
    error_of(api.get(f"/api/v1/applications/{app['id']}", as_="rev-140502"), 404, "not_found")
    error_of(api.get(f"/api/v1/applications/{app['id']}", as_="rev-320831"), 404, "not_found")
    assert all(t["application_id"] != app["id"]
               for t in api.get("/api/v1/tasks", as_="rev-140502").get_json()["items"])
    # another enterprise
    error_of(api.get(f"/api/v1/applications/{app['id']}", as_="rival"), 404, "not_found")
    error_of(api.put(f"/api/v1/applications/{app['id']}", as_="rival", json={"data": {}}), 404, "not_found")
    error_of(submit_application(api, "rival", app['id']), 404, "not_found")
    error_of(api.get("/api/v1/applications/999999", as_="acme"), 404, "not_found")
    # offices up the chain may look, the national office may not (province tier ends at the province)
    assert api.get(f"/api/v1/applications/{app['id']}", as_="rev-220600").status_code == 200
    assert api.get(f"/api/v1/applications/{app['id']}", as_="rev-220000").status_code == 200
    error_of(api.get(f"/api/v1/applications/{app['id']}", as_="rev-100000"), 404, "not_found")
    assert api.get(f"/api/v1/applications/{app['id']}", as_="admin").status_code == 200
    # an office up the chain cannot decide the county's task
    error_of(api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220600", json={"decision": "approve"}),
             404, "not_found")
    # roles: enterprises have no inbox and cannot decide; reviewers cannot create applications
    error_of(api.get("/api/v1/tasks", as_="acme"), 403, "forbidden")
    error_of(api.post(f"/api/v1/tasks/{task['id']}/decision", as_="acme", json={"decision": "approve"}),
             403, "forbidden")
    error_of(api.post("/api/v1/applications", as_="rev-220602", json={"target_tier": "city", "data": {}}),
             403, "forbidden")
    assert api.get(f"/api/v1/applications/{other['id']}", as_="rival").status_code == 200


def test_unknown_api_route_is_json_404(api):
    error_of(api.get("/api/v1/nothing-here"), 404, "not_found")
