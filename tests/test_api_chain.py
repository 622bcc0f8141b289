"""The recognition chain end to end through the JSON API, as an integrating client sees it."""

from __future__ import annotations

import pytest

from tests.conftest import approve_at_province, end_notice, task_for

CHAIN = [("county_review", "rev-220602", "220602"), ("city_review", "rev-220600", "220600"),
         ("province_review", "rev-220000", "220000"), ("national_review", "rev-100000", "100000")]
LAST = {"seed": 0, "city": 1, "province": 2, "national": 3}


def decide(api, reviewer, application_id, decision, comment=""):
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer,
                 json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


@pytest.mark.parametrize("tier", ["seed", "city", "province", "national"])
def test_walk_every_tier_to_recognition(app, api, submitted, tier):
    flask_app = app
    app = submitted(tier)
    assert app["status"] == "in_review"
    assert app["current_step"] == "county_review"
    assert app["current_office"]["code"] == "220602"
    for i, (step, reviewer, office) in enumerate(CHAIN[: LAST[tier] + 1]):
        assert app["current_step"] == step
        assert app["current_office"] == {"code": office, "name": app["current_office"]["name"], "region_code": office}
        task = task_for(api, reviewer, app["id"])
        assert task["step"] == step and task["target_tier"] == tier and task["office"]["code"] == office
        if step == "province_review":  # first review, expert panel, second review
            app = approve_at_province(api, app["id"])
        else:
            app = decide(api, reviewer, app["id"], "approve")
        if i < LAST[tier]:
            assert app["status"] == "in_review"
    if tier == "province":  # the province's recognition waits for the public notice to end
        assert app["status"] == "in_review" and app["current_step"] == "public_notice"
        assert app["current_office"]["code"] == "220000"
        app = end_notice(flask_app, api, app["id"], as_="acme")
    assert app["status"] == "recognized"
    assert app["current_step"] is None and app["current_office"] is None
    actions = [(h["step"], h["action"]) for h in app["history"]]
    expected = [(step, "approve") for step, _r, _o in CHAIN[: LAST[tier] + 1]]
    if LAST[tier] >= 2:  # the province decides twice, around the expert panel
        expected.insert(2, ("province_review", "approve"))
    assert [a for a in actions if a[1] == "approve"] == expected
    assert ("submit", "submit") in actions and actions[-1][1] == "recognized"
    # nothing waits any more in any inbox
    for _step, reviewer, _office in CHAIN:
        items = api.get("/api/v1/tasks", as_=reviewer).get_json()["items"]
        assert all(t["application_id"] != app["id"] for t in items)


def test_return_loop_restarts_at_the_county(app, api, submitted):
    flask_app = app
    app = submitted("province")
    app = decide(api, "rev-220602", app["id"], "approve")
    app = decide(api, "rev-220600", app["id"], "return", "请补充审计报告")
    assert app["status"] == "returned"
    assert app["current_step"] == "amend" and app["current_office"] is None
    assert app["history"][-1]["comment"] == "请补充审计报告"
    assert app["history"][-1]["office"]["code"] == "220600"
    assert app["history"][-1]["actor"] == "rev-220600"
    # the city's inbox is empty again; the enterprise amends and resubmits
    assert api.get("/api/v1/tasks", as_="rev-220600").get_json()["total"] == 0
    r = api.put(f"/api/v1/applications/{app['id']}", as_="acme",
                json={"data": dict(app["data"], rd_expense_last_year=19_000_000)})
    assert r.status_code == 200 and r.get_json()["data"]["rd_expense_last_year"] == 19_000_000
    r = api.post(f"/api/v1/applications/{app['id']}/submit", as_="acme")
    assert r.status_code == 200, r.get_json()
    app = r.get_json()
    assert app["status"] == "in_review" and app["current_step"] == "county_review"
    # second round through the whole chain, with another return at the county on the way
    app = decide(api, "rev-220602", app["id"], "return", "盖章页缺失")
    assert app["current_step"] == "amend"
    app = api.post(f"/api/v1/applications/{app['id']}/submit", as_="acme").get_json()
    for _step, reviewer, _office in CHAIN[:2]:
        app = decide(api, reviewer, app["id"], "approve")
    approve_at_province(api, app["id"])
    app = end_notice(flask_app, api, app["id"])
    assert app["status"] == "recognized"
    assert [h["action"] for h in app["history"]].count("resubmit") == 2


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_rejection_at_any_level_ends_the_application(api, submitted, level):
    app = submitted("national")
    for step, reviewer, _office in CHAIN[:level]:
        app = approve_at_province(api, app["id"]) if step == "province_review" else \
            decide(api, reviewer, app["id"], "approve")
    step, reviewer, _office = CHAIN[level]
    app = decide(api, reviewer, app["id"], "reject", "不符合条件")
    assert app["status"] == "rejected" and app["current_step"] is None
    assert app["history"][-2]["action"] == "reject" and app["history"][-2]["step"] == step
    # a rejected application cannot be resubmitted or edited
    assert api.post(f"/api/v1/applications/{app['id']}/submit", as_="acme").status_code == 409
    assert api.put(f"/api/v1/applications/{app['id']}", as_="acme", json={"data": {}}).status_code == 409


def test_construction_firm_goes_to_the_construction_department(api, submitted):
    app = submitted("national", username="builder", region_code="220104", sector="construction")
    app = decide(api, "rev-220104", app["id"], "approve")
    app = decide(api, "rev-220100", app["id"], "approve")
    assert app["current_step"] == "province_review"
    assert app["current_office"]["code"] == "220000-construction"
    assert api.get("/api/v1/tasks", as_="rev-220000").get_json()["total"] == 0
    assert api.get(f"/api/v1/applications/{app['id']}", as_="rev-220000").status_code == 404
    app = approve_at_province(api, app["id"], reviewer="rev-220000-construction")
    # a sector firm's national candidacy is recommended by the provincial SME authority (001 §二(一)4)
    assert app["current_step"] == "province_recommend" and app["current_office"]["code"] == "220000"
    app = decide(api, "rev-220000", app["id"], "approve")
    assert app["current_step"] == "national_review"
    app = decide(api, "rev-100000", app["id"], "approve")
    assert app["status"] == "recognized"


def test_industry_firm_in_jilin_goes_to_the_provincial_sme_authority(api, submitted):
    app = submitted("province", username="maker", region_code="220104", sector="industry")
    app = decide(api, "rev-220104", app["id"], "approve")
    app = decide(api, "rev-220100", app["id"], "approve")
    assert app["current_office"]["code"] == "220000"


def test_application_lists_for_enterprise_and_reviewer(api, submitted):
    first = submitted("city")
    other = submitted("seed", username="other", region_code="140502")
    mine = api.get("/api/v1/applications", as_="acme").get_json()
    assert [a["id"] for a in mine["items"]] == [first["id"]] and mine["total"] == 1
    county = api.get("/api/v1/applications", as_="rev-220602").get_json()
    assert [a["id"] for a in county["items"]] == [first["id"]]
    assert api.get("/api/v1/applications", as_="rev-140502").get_json()["items"][0]["id"] == other["id"]
    # the city office has not touched it yet
    assert api.get("/api/v1/applications", as_="rev-220600").get_json()["total"] == 0
    decide(api, "rev-220602", first["id"], "approve")
    assert api.get("/api/v1/applications", as_="rev-220600").get_json()["total"] == 1


def test_task_json_shape(api, submitted):
    app = submitted("city")
    body = api.get("/api/v1/tasks", as_="rev-220602").get_json()
    assert body["total"] == 1
    task = body["items"][0]
    assert set(task) == {"id", "application_id", "enterprise", "target_tier", "step", "office",
                         "created_at", "due_at", "claimed_by", "kind", "decisions"}
    assert task["kind"] == "decision"
    assert task["decisions"] == [{"decision": "approve", "label": "推荐至市级"}, {"decision": "return", "label": None},
                                 {"decision": "reject", "label": None}]
    assert task["enterprise"]["id"] == app["enterprise"]["id"]
    assert task["created_at"].endswith("+00:00")
    decided = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602",
                       json={"decision": "approve"}).get_json()["application"]
    assert set(decided) == {"id", "enterprise", "target_tier", "status", "current_step", "current_office",
                            "data", "evaluation", "history", "created_at", "updated_at", "number"}
