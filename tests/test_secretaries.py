"""Service secretaries (issue 14 §1, §6): assignments and visits through the API, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import workdays
from tests.secretary_support import make_secretary


@pytest.fixture
def secretaries(app, password_hash):
    make_secretary(app, "sec-220602", "220602", password_hash, "王秘书")
    make_secretary(app, "sec-220602-b", "220602", password_hash, "李秘书")
    make_secretary(app, "sec-220600", "220600", password_hash, "赵秘书")
    make_secretary(app, "sec-220104", "220104", password_hash, "钱秘书")


def _assign(api, firm_id, as_="rev-220602", **body):
    return api.post(f"/api/v1/enterprises/{firm_id}/assignments", as_=as_,
                    json={"secretary": "sec-220602", "leader_name": "张三", "leader_post": "区委副书记"} | body)


def test_assign_end_and_reassign_keep_history(api, enterprise, secretaries):
    _u, firm = enterprise()
    r = _assign(api, firm["id"])
    assert r.status_code == 201, r.get_json()
    first = r.get_json()
    assert first["status"] == "active" and first["secretary"]["username"] == "sec-220602"
    assert first["leader"] == {"name": "张三", "post": "区委副书记"}
    notices = api.get("/api/v1/notifications", as_="sec-220602").get_json()["items"]
    assert [n["kind"] for n in notices] == ["secretary_assigned"] and "测试精密制造有限公司" in notices[0]["message"]
    assert first["starts_on"] == workdays.china_date().isoformat()
    # one active assignment per enterprise and office
    r = _assign(api, firm["id"], secretary="sec-220602-b")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "conflict"
    # the city's office may have its own
    r = _assign(api, firm["id"], as_="rev-220600", secretary="sec-220600")
    assert r.status_code == 201, r.get_json()
    r = api.post(f"/api/v1/assignments/{first['id']}/end", as_="rev-220602", json={"reason": "工作调整"})
    assert r.status_code == 200 and r.get_json()["status"] == "ended" and r.get_json()["end_reason"] == "工作调整"
    assert api.post(f"/api/v1/assignments/{first['id']}/end", as_="rev-220602").status_code == 409
    r = _assign(api, firm["id"], secretary="sec-220602-b")
    assert r.status_code == 201, r.get_json()
    items = api.get(f"/api/v1/enterprises/{firm['id']}/assignments", as_="rev-220602").get_json()["items"]
    assert [(a["secretary"]["username"], a["status"]) for a in items] == [
        ("sec-220602-b", "active"), ("sec-220600", "active"), ("sec-220602", "ended")]
    # the enterprise sees who serves it
    assert api.get(f"/api/v1/enterprises/{firm['id']}/assignments", as_="acme").get_json()["total"] == 3


def test_changes_are_audited(app, api, enterprise, secretaries):
    from app.extensions import db
    from app.models import AuditEvent

    _u, firm = enterprise()
    assignment = _assign(api, firm["id"]).get_json()
    api.post(f"/api/v1/assignments/{assignment['id']}/end", as_="rev-220602", json={})
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.subject_type == "service_assignment", AuditEvent.subject_id == assignment["id"])
            .order_by(AuditEvent.id)))
    assert actions == ["secretary_assigned", "secretary_ended"]


def test_outside_the_jurisdiction_is_404_and_bad_input_changes_nothing(api, enterprise, secretaries):
    _u, firm = enterprise()  # 浑江区 (白山)
    assert _assign(api, firm["id"], as_="rev-220104", secretary="sec-220104").status_code == 404
    assert api.get(f"/api/v1/enterprises/{firm['id']}/assignments", as_="rev-220104").status_code == 404
    assert api.get(f"/api/v1/enterprises/{firm['id']}/visits", as_="rev-220104").status_code == 404
    # a secretary of another office is refused, per field
    r = _assign(api, firm["id"], secretary="sec-220600")
    assert r.status_code == 422 and "secretary" in r.get_json()["error"]["fields"]
    r = _assign(api, firm["id"], starts_on="2026-05-01", ends_on="2026-04-01", leader_post="x" * 200)
    fields = r.get_json()["error"]["fields"]
    assert r.status_code == 422 and set(fields) == {"ends_on", "leader_post"}
    assert _assign(api, firm["id"], starts_on="tomorrow").status_code == 422
    assert api.get(f"/api/v1/enterprises/{firm['id']}/assignments", as_="rev-220602").get_json()["total"] == 0
    # secretaries and enterprises do not assign
    assert _assign(api, firm["id"], as_="sec-220602").status_code == 403
    assert _assign(api, firm["id"], as_="acme").status_code == 403
    # another office cannot end this one's assignment
    assignment = _assign(api, firm["id"]).get_json()
    assert api.post(f"/api/v1/assignments/{assignment['id']}/end", as_="rev-220600").status_code == 403
    assert api.post(f"/api/v1/assignments/{assignment['id']}/end", as_="rev-220104").status_code == 404


def test_visits_logged_listed_and_checked(api, enterprise, secretaries):
    _u, firm = enterprise()
    path = f"/api/v1/enterprises/{firm['id']}/visits"
    visit = {"visited_on": workdays.china_date().isoformat(), "visitors": "王秘书、张三", "notes": "了解融资需求",
             "problems": "流动资金紧张", "next_due_on": (workdays.china_date() + timedelta(days=30)).isoformat()}
    # not yet assigned: the secretary does not see the firm
    assert api.post(path, as_="sec-220602", json=visit).status_code == 404
    _assign(api, firm["id"])
    r = api.post(path, as_="sec-220602", json=visit)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["office"]["code"] == "220602" and r.get_json()["assignment_id"] is not None
    older = visit | {"visited_on": (workdays.china_date() - timedelta(days=40)).isoformat(), "notes": "首次走访"}
    assert api.post(path, as_="rev-220602", json=older).status_code == 201
    future = visit | {"visited_on": (workdays.china_date() + timedelta(days=1)).isoformat()}
    r = api.post(path, as_="sec-220602", json=future)
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"visited_on"}
    r = api.post(path, as_="sec-220602", json={"visited_on": visit["visited_on"], "visitors": " ", "notes": ""})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"visitors", "notes"}
    items = api.get(path, as_="sec-220602").get_json()["items"]
    assert [v["notes"] for v in items] == ["了解融资需求", "首次走访"]  # latest first
    assert api.get(path, as_="acme").get_json()["total"] == 2
    # another office's secretary is refused; an enterprise cannot log
    assert api.post(path, as_="sec-220104", json=visit).status_code == 404
    assert api.post(path, as_="acme", json=visit).status_code == 403


def test_the_demo_has_secretaries_serving_firms(app, api):
    from app import demo
    from app.extensions import db

    with app.app_context():
        demo.seed()
        demo.seed()  # idempotent
        db.session.commit()
    firms = api.get("/api/v1/me", as_="ent-provincial").get_json()
    firm_id = firms["enterprise"]["id"]
    items = api.get(f"/api/v1/enterprises/{firm_id}/assignments", as_="sec-220602").get_json()["items"]
    assert [(a["secretary"]["username"], a["leader"]["name"]) for a in items] == [("sec-220602", "王建国")]
    assert api.get(f"/api/v1/enterprises/{firm_id}/visits", as_="rev-220600").get_json()["total"] == 1
    for username in ("sec-220600", "sec-220100", "sec-320831", "sec-220104"):
        assert api.get("/api/v1/me", as_=username).get_json()["role"] == "secretary"


def test_the_command_creates_a_secretary_account(app, api):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["secretaries", "create", "sec-new", "220602", "--name", "新秘书",
                                 "--password", "Strong2026pass"])
    assert result.exit_code == 0, result.output
    assert api.get("/api/v1/me", as_=None, headers={
        "Authorization": "Bearer " + api.token("sec-new", "Strong2026pass")}).get_json()["office"]["code"] == "220602"
    result = runner.invoke(args=["secretaries", "create", "sec-new", "999999", "--password", "Strong2026pass"])
    assert result.exit_code != 0 and "office" in result.output and "username" in result.output
