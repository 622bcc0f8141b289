"""Calls for applications: submissions only while a call is open; its deadlines; its progress."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import FULL_DATA, approve_at_province, end_notice, task_for


def only_calls(app, *specs):
    """Replace the always-open test calls by `specs` (tier, region, opens, closes, deadlines)."""
    from app.extensions import db
    from app.models import Call
    from app.recognition import calls

    with app.app_context():
        db.session.execute(db.delete(Call))
        for tier, region, opens, closes, deadlines in specs:
            calls.open_call(None, name=f"{region} {tier}", tier=tier, region_code=region, opens_on=opens,
                            closes_on=closes, step_deadlines=deadlines)
        db.session.commit()


def test_submission_outside_any_open_call_is_refused(app, api, enterprise):
    today = date.today()
    only_calls(app, ("city", "220600", today - timedelta(days=60), today - timedelta(days=1), {}),
               ("province", "220000", today - timedelta(days=1), today + timedelta(days=30), {}))
    enterprise("acme", "220602")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}).get_json()
    r = api.post(f"/api/v1/applications/{draft['id']}/submit", as_="acme")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "no_open_call"
    assert "申报批次" in r.get_json()["error"]["message"]
    after = api.get(f"/api/v1/applications/{draft['id']}", as_="acme").get_json()
    assert after["status"] == "draft" and [h["action"] for h in after["history"]] == ["create"]
    # the province tier is open in Jilin: that one goes through
    other = api.post("/api/v1/applications", as_="acme", json={"target_tier": "province", "data": FULL_DATA})
    assert api.post(f"/api/v1/applications/{other.get_json()['id']}/submit", as_="acme").status_code == 200


def test_the_most_specific_call_sets_the_deadlines(app, api, enterprise):
    from app.core import workdays
    from app.extensions import db
    from app.models import Application, Call
    from app.recognition import calls

    today = date.today()
    only_calls(app, ("city", "100000", today - timedelta(days=5), today + timedelta(days=5), {"county_review": 3}),
               ("city", "220600", today - timedelta(days=5), today + timedelta(days=5), {"county_review": 5}))
    enterprise("acme", "220602")
    draft = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}).get_json()
    assert api.post(f"/api/v1/applications/{draft['id']}/submit", as_="acme").status_code == 200
    task = api.get("/api/v1/tasks", as_="rev-220602").get_json()["items"][0]
    from datetime import datetime

    assert datetime.fromisoformat(task["due_at"]) == workdays.add_working_days(
        datetime.fromisoformat(task["created_at"]), 5)
    with app.app_context():
        application = db.session.get(Application, draft["id"])
        assert application.call.region_code == "220600"
        call = db.session.scalar(db.select(Call).where(Call.region_code == "220600"))
        assert calls.progress(call) == {"in_review": 1}


def test_opening_a_call_checks_its_fields(app_ctx):
    import pytest

    from app.core.errors import Invalid
    from app.recognition import calls

    with pytest.raises(Invalid) as bad:
        calls.open_call(None, name=" ", tier="gold", region_code="999999", opens_on=date(2026, 5, 1),
                        closes_on=date(2026, 4, 1), step_deadlines={"county_review": 0})
    assert set(bad.value.fields) == {"name", "tier", "region_code", "closes_on", "step_deadlines"}


def test_demo_data_opens_a_call_for_every_tier_everywhere(app_ctx):
    from app import demo
    from app.extensions import db
    from app.models import Call, Region
    from app.recognition import calls

    db.session.execute(db.delete(Call))
    demo.open_demo_calls()
    demo.open_demo_calls()  # idempotent
    regions = {r.code: r for r in db.session.scalars(db.select(Region))}
    for county in ("220104", "220602", "140502", "320831"):
        for tier in ("seed", "city", "province", "national"):
            assert calls.current(tier, regions[county], date.today()) is not None, (county, tier)
    assert db.session.scalar(db.select(db.func.count()).select_from(Call)) == 4 + 4 + 3 + 1


def test_admin_opens_a_call_in_the_browser_form_and_sees_its_progress(app, client):
    import re

    from tests.conftest import PASSWORD, csrf_token

    token = csrf_token(client, "/login")
    client.post("/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    page = client.get("/admin/calls")
    assert page.status_code == 200 and "申报批次" in page.get_data(as_text=True)
    token = csrf_token(client, "/admin/calls")
    bad = client.post("/admin/calls", data={"csrf_token": token, "name": "吉林省2027年度", "tier": "province",
                                            "region_code": "220000", "opens_on": "2027-03-01",
                                            "closes_on": "2027-02-01"})
    assert bad.status_code == 422 and "截止日期不得早于开始日期" in bad.get_data(as_text=True)
    r = client.post("/admin/calls", data={"csrf_token": token, "name": "吉林省2027年度", "tier": "province",
                                          "region_code": "220000", "opens_on": "2027-02-01",
                                          "closes_on": "2027-04-30", "county_review": "5"})
    assert r.status_code == 302
    detail = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "吉林省2027年度" in detail and "2027-02-01" in detail and re.search(r"5", detail)
    reviewer = app.test_client()
    token = csrf_token(reviewer, "/login")
    reviewer.post("/login", data={"csrf_token": token, "username": "rev-220602", "password": PASSWORD})
    listing = reviewer.get("/admin/calls")  # a reviewer sees its office's calls, without the form to open one
    assert listing.status_code == 200 and "吉林省2027年度" not in listing.get_data(as_text=True)
    assert reviewer.post("/admin/calls", data={"csrf_token": csrf_token(reviewer, "/admin/calls"), "name": "x",
                                               "tier": "city", "region_code": "220602"}).status_code == 403


def test_spot_check_drawn_reproducibly_from_the_recorded_seed(app, api, submitted, colleague):
    from app.extensions import db
    from app.models import Application, Call
    from app.recognition import calls

    with app.app_context():  # every province-tier application in this call is checked on site
        call = db.session.scalar(db.select(Call).where(Call.tier == "province"))
        call.spot_check_share = 1.0
        db.session.commit()
    application = submitted("province")
    for reviewer in ("rev-220602", "rev-220600"):
        task = api.get("/api/v1/tasks", as_=reviewer).get_json()["items"][0]
        after = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer,
                         json={"decision": "approve"}).get_json()["application"]
    # drawn when the province approves after the expert panel, not when it sends it to the panel
    after = approve_at_province(api, application["id"])
    assert after["current_step"] == "spot_check" and after["current_office"]["code"] == "220000"
    draw = [h for h in after["history"] if h["action"] == "spot_check_draw"]
    assert len(draw) == 1
    # the province's on-site check: a colleague (four eyes) records the result; passed → recognized
    task = api.get("/api/v1/tasks", as_="rev-220000").get_json()["items"][0]
    assert task["step"] == "spot_check"
    inspector = colleague("rev-220000-b", "220000")
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=inspector,
                 json={"decision": "approve", "comment": "实地核查合格"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "spot_check_record_required", r.get_json()
    r = api.post("/api/v1/tasks/bulk-decision", as_=inspector,
                 json={"task_ids": [task["id"]], "decision": "approve", "comment": "批量通过"})
    assert r.status_code == 200 and r.get_json()["succeeded"] == 0 and r.get_json()["failed"] == 1, r.get_json()
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["current_step"] == "spot_check"
    r = api.post(f"/api/v1/tasks/{task['id']}/spot-check", as_=inspector,
                 json={"visited_on": "2026-11-20", "inspectors": "赵六", "findings": "实地核查合格",
                       "outcome": "passed"})
    assert r.get_json()["application"]["current_step"] == "public_notice"
    assert end_notice(app, api, application["id"])["status"] == "recognized"
    with app.app_context():  # the same seed gives the same draw; share 0 draws nobody
        application_row = db.session.get(Application, application["id"])
        seed = application_row.call.spot_check_seed
        assert calls.spot_check_drawn(application_row) is True
        application_row.call.spot_check_share = 0.5
        first = calls.spot_check_drawn(application_row)
        assert all(calls.spot_check_drawn(application_row) == first for _ in range(5))
        assert application_row.call.spot_check_seed == seed
        application_row.call.spot_check_share = 0
        assert calls.spot_check_drawn(application_row) is False
        db.session.rollback()


def _drawn_for_spot_check(app, api, submitted):
    from app.extensions import db
    from app.models import Call

    with app.app_context():
        db.session.scalar(db.select(Call).where(Call.tier == "province")).spot_check_share = 1.0
        db.session.commit()
    application = submitted("province")
    for reviewer in ("rev-220602", "rev-220600"):
        task = api.get("/api/v1/tasks", as_=reviewer).get_json()["items"][0]
        api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": "approve"})
    assert approve_at_province(api, application["id"])["current_step"] == "spot_check"
    return application, api.get("/api/v1/tasks", as_="rev-220000").get_json()["items"][0]


def test_the_on_site_check_has_its_own_result(app, api, submitted, colleague):
    from app.extensions import db
    from app.models import HumanTask

    application, task = _drawn_for_spot_check(app, api, submitted)
    inspector = colleague("rev-220000-b", "220000")
    url = f"/api/v1/tasks/{task['id']}/spot-check"
    bad = api.post(url, as_=inspector, json={"visited_on": "2999-01-01", "inspectors": "", "findings": "",
                                            "outcome": "maybe"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"visited_on", "inspectors", "findings", "outcome"}
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["current_step"] == "spot_check"
    r = api.post(url, as_=inspector, json={"visited_on": "2026-11-20", "inspectors": "赵六、钱七",
                                          "findings": "生产线与申报一致，研发中心在用。", "outcome": "passed"})
    assert r.status_code == 200, r.get_json()
    after = r.get_json()["application"]
    assert after["current_step"] == "public_notice"
    assert [(h["action"], h["comment"]) for h in after["history"] if h["step"] == "spot_check"][:1] == [
        ("approve", "生产线与申报一致，研发中心在用。")]
    with app.app_context():
        assert db.session.get(HumanTask, task["id"]).result == {
            "visited_on": "2026-11-20", "inspectors": "赵六、钱七", "findings": "生产线与申报一致，研发中心在用。",
            "outcome": "passed"}
    # only a spot-check task takes a spot-check result
    other = submitted("city", username="other")
    county = task_for(api, "rev-220602", other["id"])
    r = api.post(f"/api/v1/tasks/{county['id']}/spot-check", as_="rev-220602",
                 json={"visited_on": "2026-11-20", "inspectors": "甲", "findings": "乙", "outcome": "passed"})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "not_a_spot_check"


def test_the_on_site_check_form_in_the_browser_of_a_reviewer(app, api, submitted, colleague, user_client):
    application, task = _drawn_for_spot_check(app, api, submitted)
    inspector = user_client(colleague("rev-220000-b", "220000"))
    page = inspector.get(f"/tasks/{task['id']}")
    html = page.get_data(as_text=True)
    assert 'data-testid="spot-check-form"' in html and 'name="visited_on"' in html
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    bad = inspector.post(f"/tasks/{task['id']}", data={"csrf_token": token, "visited_on": "2026-11-20",
                                                       "inspectors": "赵六", "findings": "", "outcome": "failed"})
    assert bad.status_code == 422
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["status"] == "in_review"
    ok = inspector.post(f"/tasks/{task['id']}", data={"csrf_token": token, "visited_on": "2026-11-20",
                                                      "inspectors": "赵六", "findings": "现场无生产设备，与申报不符。",
                                                      "outcome": "failed"})
    assert ok.status_code == 302
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["status"] == "rejected"
