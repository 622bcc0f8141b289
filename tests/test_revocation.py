"""Revocation (撤销) through the JSON API: an office on the enterprise's chain opens it on a POLICY.md ground,
the recognition is under review, the enterprise is heard (or its time runs out: the worker fires the boundary
timer), and the recognizing office decides under four eyes; every change is in the recognition's history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.workdays import china_date
from app.extensions import db
from tests.conftest import FULL_DATA, run_worker

GROUND = {"ground": "false_information", "details": "申报材料中的研发费用与审计报告不符（附审计报告复印件）"}


def open_revocation(api, recognition_id: int, as_: str = "rev-220000", **values) -> dict:
    r = api.post(f"/api/v1/recognitions/{recognition_id}/revocations", as_=as_, json=GROUND | values)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def recognition(api, recognition_id: int, as_: str = "admin") -> dict:
    r = api.get(f"/api/v1/recognitions/{recognition_id}", as_=as_)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def case_of(api, case_id: int, as_: str = "admin") -> dict:
    r = api.get(f"/api/v1/cases/{case_id}", as_=as_)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def decision_task(api, reviewer: str, case_id: int) -> dict:
    items = api.get("/api/v1/cases?kind=revocation", as_=reviewer).get_json()["items"]
    found = [t for t in items if t["case"]["id"] == case_id]
    assert len(found) == 1, items
    return found[0]


def decide(api, reviewer: str, task_id: int, decision: str, comment: str = ""):
    return api.post(f"/api/v1/cases/tasks/{task_id}/decision", as_=reviewer,
                    json={"decision": decision, "comment": comment})


def cases_stored(app) -> int:
    from app.models import LifecycleCase

    with app.app_context():
        return db.session.scalar(db.select(db.func.count(LifecycleCase.id)))


def test_a_revocation_heard_and_decided_under_four_eyes(app, api, enterprise, grant, colleague):
    colleague("rev-220000-b", "220000")
    enterprise("acme")
    held = grant("acme", "province")
    case = open_revocation(api, held)
    assert case["kind"] == "revocation" and case["ground"] == "false_information" and case["status"] == "open"
    assert case["office"]["code"] == "220000" and case["recognition"]["status"] == "under_review"
    assert [(w["step"], w["office"]) for w in case["waiting"]] == [("respond", None)]
    assert recognition(api, held)["status"] == "under_review"
    # a pending revocation is not public: the entry leaves the public register until it is decided
    assert api.get(f"/api/v1/recognitions/{held}").status_code == 404
    assert api.get("/api/v1/recognitions").get_json()["total"] == 0
    # a second revocation while this one is open: 409, nothing stored
    r = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220602", json=GROUND)
    assert r.status_code == 409 and cases_stored(app) == 1
    # the enterprise is heard first: the office has nothing to decide yet
    assert api.get("/api/v1/cases", as_="rev-220000").get_json()["total"] == 0
    mine = api.get("/api/v1/cases", as_="acme").get_json()["items"]
    assert [(t["step"], t["case"]["id"], t["case"]["ground"]) for t in mine] == [
        ("respond", case["id"], "false_information")]
    assert case_of(api, case["id"], as_="acme")["details"] == GROUND["details"]
    r = api.post(f"/api/v1/cases/{case['id']}/response", as_="acme", json={"response": "  "})
    assert r.status_code == 422 and "response" in r.get_json()["error"]["fields"]
    r = api.post(f"/api/v1/cases/{case['id']}/response", as_="rev-220000", json={"response": "x"})
    assert r.status_code == 403
    r = api.post(f"/api/v1/cases/{case['id']}/response", as_="acme",
                 json={"response": "差异系会计口径调整所致，已附说明。"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["response"] == "差异系会计口径调整所致，已附说明。"
    assert api.post(f"/api/v1/cases/{case['id']}/response", as_="acme",
                    json={"response": "again"}).status_code == 409
    # the recognizing office decides, not the reviewer who opened the case
    task = decision_task(api, "rev-220000", case["id"])
    assert [d["decision"] for d in task["decisions"]] == ["revoke", "dismiss"]
    r = decide(api, "rev-220000", task["task_id"], "revoke", "材料造假属实")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "four_eyes"
    r = decide(api, "rev-220000-b", task["task_id"], "revoke", "")
    assert r.status_code == 422 and "comment" in r.get_json()["error"]["fields"]
    assert recognition(api, held)["status"] == "under_review"
    assert decide(api, "rev-220602", task["task_id"], "revoke", "x").status_code == 404  # not its office's task
    r = decide(api, "rev-220000-b", task["task_id"], "revoke", "材料造假属实")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "closed" and r.get_json()["outcome"] == "revoked"
    entry = recognition(api, held)
    assert entry["status"] == "revoked" and entry["exit_reason"] == "材料造假属实"
    assert entry["exited_on"] == china_date().isoformat()
    actions = [h["action"] for h in entry["history"]]
    for expected in ("recognition_recorded", "case_opened", "recognition_under_review", "case_response", "revoke",
                     "recognition_revoked", "case_closed"):
        assert expected in actions, actions
    assert actions.index("case_response") < actions.index("revoke") < actions.index("recognition_revoked")
    opened = next(h for h in entry["history"] if h["action"] == "case_opened")
    assert opened["actor"] == "rev-220000"
    assert next(h for h in entry["history"] if h["action"] == "revoke")["actor"] == "rev-220000-b"
    # a revoked recognition cannot be revoked again, and is no longer held: the public list leaves it out
    r = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220000", json=GROUND)
    assert r.status_code == 409
    assert api.get(f"/api/v1/recognitions/{held}").status_code == 404


def test_the_enterprise_misses_its_hearing_and_the_revocation_is_dismissed(app, api, enterprise, grant):
    enterprise("acme")
    held = grant("acme", "city")  # recognized by 白山; opened by the county on the chain
    case = open_revocation(api, held, as_="rev-220602", ground="abnormal_listing",
                           details="列入经营异常名录（国家企业信用信息公示系统截图）")
    assert case["office"]["code"] == "220600"
    due = datetime.fromisoformat(case["waiting"][0]["due_at"])
    assert run_worker(app, due - timedelta(hours=1)).get("escalated", 0) == 0
    assert case_of(api, case["id"])["waiting"][0]["step"] == "respond"
    assert run_worker(app, due + timedelta(minutes=1))["escalated"] == 1
    moved = case_of(api, case["id"])
    assert moved["response"] is None and [w["step"] for w in moved["waiting"]] == ["revocation_review"]
    assert "timer_overdue" in [h["action"] for h in moved["history"]]
    assert api.post(f"/api/v1/cases/{case['id']}/response", as_="acme",
                    json={"response": "迟到的申辩"}).status_code == 409
    task = decision_task(api, "rev-220600", case["id"])
    r = decide(api, "rev-220600", task["task_id"], "dismiss", "已移出经营异常名录")
    assert r.status_code == 200 and r.get_json()["outcome"] == "dismissed", r.get_json()
    entry = recognition(api, held)
    assert entry["status"] == "active" and entry["exit_reason"] is None
    assert [h["action"] for h in entry["history"]][-3:] == ["dismiss", "recognition_restored", "case_closed"]
    # once dismissed, another revocation may be opened
    open_revocation(api, held, as_="rev-220600")


def test_who_may_open_a_revocation_and_bad_input(app, api, enterprise, grant, colleague):
    colleague("rev-220000-b", "220000")
    enterprise("acme")
    enterprise("other", region_code="140502")
    held = grant("acme", "province")
    before = datetime.now(UTC)
    for as_, status in (("acme", 403), ("other", 403), ("rev-140502", 404), ("rev-220104", 404),
                        ("rev-220000-construction", 404)):  # a sector office does not see other sectors
        r = api.post(f"/api/v1/recognitions/{held}/revocations", as_=as_, json=GROUND)
        assert r.status_code == status, (as_, r.get_json())
    assert api.post(f"/api/v1/recognitions/{held}/revocations", json=GROUND).status_code == 401
    assert api.post("/api/v1/recognitions/999999/revocations", as_="rev-220000", json=GROUND).status_code == 404
    r = api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220000",
                 json={"ground": "bad_mood", "details": ""})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"ground", "details"}
    assert api.post(f"/api/v1/recognitions/{held}/revocations", as_="rev-220000", json="x").status_code == 400
    assert cases_stored(app) == 0
    entry = recognition(api, held)
    assert entry["status"] == "active"
    assert [h["action"] for h in entry["history"]] == ["recognition_recorded"]
    assert datetime.fromisoformat(entry["history"][0]["at"]) <= before
    # every office on the chain may open one: the county, the city, the ministry (each dismissed in turn)
    for reviewer in ("rev-220602", "rev-220600", "rev-100000"):
        case = open_revocation(api, held, as_=reviewer, ground="major_accident")
        assert api.post(f"/api/v1/cases/{case['id']}/response", as_="acme",
                        json={"response": "未发生安全事故"}).status_code == 200
        task = decision_task(api, "rev-220000-b", case["id"])
        assert decide(api, "rev-220000-b", task["task_id"], "dismiss").status_code == 200
    assert recognition(api, held)["status"] == "active"


def test_a_revocation_during_a_re_verification(app, api, enterprise, grant):
    """The two processes meet on one entry: the re-verification waits for the pending revocation (409), then
    a dismissed revocation lets it keep the entry, and a revoked entry can only be closed by exit, which leaves
    it revoked."""
    held = {}
    for username in ("kept", "gone"):
        enterprise(username, name=f"{username}精密制造有限公司")
        held[username] = grant(username, "province")
    r = api.post("/api/v1/campaigns", as_="rev-220000", json={
        "tier": "province", "year": china_date().year, "due_on": (china_date() + timedelta(days=20)).isoformat()})
    assert r.status_code == 201, r.get_json()
    revocations = {username: open_revocation(api, held[username], as_="rev-220602") for username in held}
    office_tasks = {}
    for username in held:
        task = next(t for t in api.get("/api/v1/cases?kind=reverification", as_=username).get_json()["items"])
        assert api.post(f"/api/v1/cases/{task['case']['id']}/update", as_=username,
                        json={"data": dict(FULL_DATA)}).status_code == 200
        office_tasks[username] = decision_task_of_kind(api, "rev-220000", task["case"]["id"])
        r = decide(api, "rev-220000", office_tasks[username]["task_id"], "keep", "")
        assert r.status_code == 409 and r.get_json()["error"]["code"] == "revocation_pending"
    assert recognition(api, held["kept"])["verified_on"] is None  # nothing changed
    for username, decision in (("kept", "dismiss"), ("gone", "revoke")):
        case_id = revocations[username]["id"]
        assert api.post(f"/api/v1/cases/{case_id}/response", as_=username,
                        json={"response": "已说明情况"}).status_code == 200
        task = decision_task(api, "rev-220000", case_id)
        assert decide(api, "rev-220000", task["task_id"], decision, "查实").status_code == 200
    assert decide(api, "rev-220000", office_tasks["kept"]["task_id"], "keep", "").status_code == 200
    kept = recognition(api, held["kept"])
    assert kept["status"] == "active" and kept["verified_on"] == china_date().isoformat()
    r = decide(api, "rev-220000", office_tasks["gone"]["task_id"], "keep", "")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "entry_ended"
    assert decide(api, "rev-220000", office_tasks["gone"]["task_id"], "exit", "已撤销认定").status_code == 200
    gone = recognition(api, held["gone"])
    assert gone["status"] == "revoked" and gone["exit_reason"] == "查实"
    case = api.get(f"/api/v1/cases/{office_tasks['gone']['case']['id']}", as_="rev-220000").get_json()
    assert case["outcome"] == "unchanged" and case["status"] == "closed"


def decision_task_of_kind(api, reviewer: str, case_id: int) -> dict:
    items = api.get("/api/v1/cases?kind=reverification", as_=reviewer).get_json()["items"]
    return next(t for t in items if t["case"]["id"] == case_id)
