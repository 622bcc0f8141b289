"""Yearly re-verification (动态管理) through the JSON API: an office opens a campaign, every active member of
its tier gets a case running the `reverification` BPMN, members update their data, the deadline's boundary
timer flags the one that did not, and the office keeps, downgrades or exits each member."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.core.workdays import CHINA
from app.extensions import db
from tests.conftest import FULL_DATA, run_worker


def china_today() -> date:
    from app.core import workdays

    return workdays.china_date()


def china_moment(day: date, hour: int = 1) -> datetime:
    from app.core import workdays

    return datetime.combine(day, time(hour), tzinfo=workdays.CHINA).astimezone(UTC)


def members(enterprise, grant, tier: str = "province", names: tuple[str, ...] = ("kept", "late", "down")) -> dict:
    """Enterprises of 浑江区 holding an active recognition at `tier`: username → recognition id."""
    held = {}
    for i, username in enumerate(names):
        enterprise(username, name=f"测试{i}号精密制造有限公司")
        held[username] = grant(username, tier)
    return held


def open_campaign(api, as_: str = "rev-220000", **values) -> dict:
    body = {"tier": "province", "year": china_today().year,
            "due_on": (china_today() + timedelta(days=20)).isoformat()} | values
    r = api.post("/api/v1/campaigns", as_=as_, json=body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def my_case(api, username: str) -> dict:
    """The enterprise's one open lifecycle task, as it finds it (GET /cases), and its case."""
    r = api.get("/api/v1/cases", as_=username)
    assert r.status_code == 200, r.get_json()
    items = r.get_json()["items"]
    assert len(items) == 1, items
    r = api.get(f"/api/v1/cases/{items[0]['case']['id']}", as_=username)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def office_task(api, reviewer: str, case_id: int) -> dict:
    r = api.get("/api/v1/cases", as_=reviewer)
    assert r.status_code == 200, r.get_json()
    found = [t for t in r.get_json()["items"] if t["case"]["id"] == case_id]
    assert len(found) == 1, r.get_json()
    return found[0]


def recognition(api, recognition_id: int) -> dict:
    r = api.get(f"/api/v1/recognitions/{recognition_id}", as_="admin")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def progress(api, campaign_id: int, as_: str = "rev-220000") -> dict:
    r = api.get(f"/api/v1/campaigns/{campaign_id}", as_=as_)
    assert r.status_code == 200, r.get_json()
    return r.get_json()["progress"]


def test_a_yearly_campaign_keeps_one_exits_the_late_one_and_downgrades_one(app, api, enterprise, grant):
    held = members(enterprise, grant)
    campaign = open_campaign(api)
    assert campaign["tier"] == "province" and campaign["office"]["code"] == "220000"
    names = sorted(c["enterprise"]["name"] for c in campaign["cases"])
    assert names == [f"测试{i}号精密制造有限公司" for i in range(3)]
    assert progress(api, campaign["id"]) == {"members": 3, "updated": 0, "missed": 0, "waiting_update": 3,
                                             "verified": 0, "kept": 0, "downgraded": 0, "exited": 0}
    cases = {username: my_case(api, username) for username in held}
    for username, case in cases.items():
        assert case["kind"] == "reverification" and case["recognition"]["id"] == held[username]
        assert [w["step"] for w in case["waiting"]] == ["update_data"]
        # the update is due at the end of the campaign's day, China time (the inbox row carries it)
        due = datetime.fromisoformat(case["waiting"][0]["due_at"]).astimezone(CHINA)
        assert (due.date().isoformat(), due.hour, due.minute) == (campaign["due_on"], 23, 59)
    # a member sees its own case only; the office has nothing to decide yet
    assert api.get(f"/api/v1/cases/{cases['late']['id']}", as_="kept").status_code == 404
    assert api.get("/api/v1/cases", as_="rev-220000").get_json()["total"] == 0
    # bad data is refused and changes nothing; then two members update
    r = api.post(f"/api/v1/cases/{cases['kept']['id']}/update", as_="kept", json={"data": {"typo": 1}})
    assert r.status_code == 422
    assert my_case(api, "kept")["updated_at"] is None
    for username in ("kept", "down"):
        data = dict(FULL_DATA) if username == "kept" else \
            dict(FULL_DATA, revenue_last_year=30_000_000, main_revenue_last_year=28_500_000)
        r = api.post(f"/api/v1/cases/{cases[username]['id']}/update", as_=username, json={"data": data})
        assert r.status_code == 200, r.get_json()
        assert r.get_json()["updated_at"] and r.get_json()["evaluation"]["tier"] == "province"
        assert [w["step"] for w in r.get_json()["waiting"]] == ["verify"]
    # only an enterprise updates, once
    assert api.post(f"/api/v1/cases/{cases['late']['id']}/update", as_="rev-220000",
                    json={"data": dict(FULL_DATA)}).status_code == 403
    r = api.post(f"/api/v1/cases/{cases['kept']['id']}/update", as_="kept", json={"data": dict(FULL_DATA)})
    assert r.status_code == 409
    tasks = api.get("/api/v1/cases", as_="rev-220000").get_json()
    assert tasks["total"] == 2
    assert api.get("/api/v1/tasks", as_="rev-220000").get_json()["total"] == 0  # not in the applications' inbox
    assert progress(api, campaign["id"])["updated"] == 2
    # the office keeps the first member: the recognition stays active, verified today
    keep = office_task(api, "rev-220000", cases["kept"]["id"])
    assert [d["decision"] for d in keep["decisions"]] == ["keep", "downgrade", "exit"]
    assert {d["decision"]: d["label"] for d in keep["decisions"]}["exit"] == "退出"
    r = api.post(f"/api/v1/cases/tasks/{keep['task_id']}/decision", as_="rev-220000",
                 json={"decision": "keep", "comment": ""})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "closed" and r.get_json()["outcome"] == "kept"
    kept = recognition(api, held["kept"])
    assert kept["status"] == "active" and kept["verified_on"] == china_today().isoformat()
    assert "recognition_kept" in [h["action"] for h in kept["history"]]
    # the deadline passes: the worker fires the boundary timer, the late member is flagged and proposed for exit
    due = date.fromisoformat(campaign["due_on"])
    run_worker(app, china_moment(due, 12))  # not before the due day ends
    late = my_case(api, "late")
    assert late["missed"] is False and [w["step"] for w in late["waiting"]] == ["update_data"]
    assert run_worker(app, china_moment(due + timedelta(days=1)))["escalated"] >= 1
    assert api.get("/api/v1/cases", as_="late").get_json()["total"] == 0  # nothing to update any more
    late = api.get(f"/api/v1/cases/{cases['late']['id']}", as_="late").get_json()
    assert late["missed"] is True and [w["step"] for w in late["waiting"]] == ["verify"]
    r = api.post(f"/api/v1/cases/{late['id']}/update", as_="late", json={"data": dict(FULL_DATA)})
    assert r.status_code == 409  # too late
    assert "deadline_missed" in [h["action"] for h in late["history"]]
    exit_task = office_task(api, "rev-220000", cases["late"]["id"])
    assert exit_task["case"]["missed"] is True
    assert "建议退出" in {d["decision"]: d["label"] for d in exit_task["decisions"]}["exit"]
    # exit and downgrade need a reason: 422 and nothing changes
    for task, decision in ((exit_task, "exit"), (office_task(api, "rev-220000", cases["down"]["id"]), "downgrade")):
        r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220000",
                     json={"decision": decision, "comment": "  "})
        assert r.status_code == 422 and "comment" in r.get_json()["error"]["fields"]
    r = api.post(f"/api/v1/cases/tasks/{exit_task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "approve", "comment": "x"})
    assert r.status_code == 422 and "decision" in r.get_json()["error"]["fields"]
    assert recognition(api, held["late"])["status"] == recognition(api, held["down"])["status"] == "active"
    assert api.get("/api/v1/cases", as_="rev-220000").get_json()["total"] == 2
    r = api.post(f"/api/v1/cases/tasks/{exit_task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "exit", "comment": "逾期未报送年度数据"})
    assert r.status_code == 200 and r.get_json()["outcome"] == "exited", r.get_json()
    exited = recognition(api, held["late"])
    assert exited["status"] == "exited" and exited["exit_reason"] == "逾期未报送年度数据"
    assert exited["exited_on"] == china_today().isoformat()
    # the third is downgraded: the province entry ends, a city entry (the city office's) follows it
    task = office_task(api, "rev-220000", cases["down"]["id"])
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220000",
                 json={"decision": "downgrade", "comment": "营业收入不再符合省级条件"},
                 headers={"Accept-Language": "en"})  # what the register keeps reads the same for everyone
    assert r.status_code == 200 and r.get_json()["outcome"] == "downgraded", r.get_json()
    old = recognition(api, held["down"])
    assert old["status"] == "exited" and old["exit_reason"] == "降级：营业收入不再符合省级条件"
    mine = api.get("/api/v1/recognitions", as_="down").get_json()["items"]
    new = next(e for e in mine if e["id"] != held["down"])
    assert (new["tier"], new["status"], new["previous_id"], new["office"]["code"]) == ("city", "active",
                                                                                    held["down"], "220600")
    assert new["source"] == "downgrade"
    assert progress(api, campaign["id"]) == {"members": 3, "updated": 2, "missed": 1, "waiting_update": 0,
                                             "verified": 3, "kept": 1, "downgraded": 1, "exited": 1}
    assert api.get("/api/v1/cases", as_="rev-220000").get_json()["total"] == 0
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", as_="rev-220000").get_json()["status"] == "closed"
    # the campaign's progress is visible up the chain, not to another province
    assert progress(api, campaign["id"], as_="rev-100000")["exited"] == 1
    assert api.get(f"/api/v1/campaigns/{campaign['id']}", as_="rev-140000").status_code == 404


def test_a_reminder_reaches_members_that_have_not_updated(app, api, enterprise, grant):
    members(enterprise, grant, tier="seed", names=("early", "slow"))
    campaign = open_campaign(api, as_="rev-220602", tier="seed")
    early = my_case(api, "early")
    api.post(f"/api/v1/cases/{early['id']}/update", as_="early", json={"data": dict(FULL_DATA)})
    due = date.fromisoformat(campaign["due_on"])
    counts = run_worker(app, china_moment(due - timedelta(days=5)))
    assert counts["reminded"] == 1 and counts.get("escalated", 0) == 0
    notes = api.get("/api/v1/notifications", as_="slow").get_json()["items"]
    assert any(n["kind"] == "reminder" for n in notes), notes
    assert not any(n["kind"] == "reminder" for n in api.get("/api/v1/notifications", as_="early")
                   .get_json()["items"])
    # the county decides its seed members (one reviewer opened the campaign and decides: no four eyes here);
    # there is no tier below seed to downgrade to: 422 and nothing changes
    task = office_task(api, "rev-220602", early["id"])
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220602",
                 json={"decision": "downgrade", "comment": "营收下降"})
    assert r.status_code == 422 and "decision" in r.get_json()["error"]["fields"], r.get_json()
    assert office_task(api, "rev-220602", early["id"])["task_id"] == task["task_id"]
    assert recognition(api, early["recognition"]["id"])["status"] == "active"
    r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-220602",
                 json={"decision": "keep", "comment": "数据核实无误"})
    assert r.status_code == 200 and r.get_json()["outcome"] == "kept", r.get_json()
    assert progress(api, campaign["id"], as_="rev-220602")["kept"] == 1


def test_a_library_campaign_re_verifies_jinhu_members(app, api, enterprise, enter_library):
    enterprise("stays", "320831", name="金湖留库机械有限公司")
    enterprise("leaves", "320831", name="金湖出库机械有限公司")
    memberships = {username: enter_library(username) for username in ("stays", "leaves")}
    r = api.post("/api/v1/campaigns", as_="rev-320831", json={"tier": "seed", "library": "jinhu_county"})
    assert r.status_code == 422 and "tier" in r.get_json()["error"]["fields"]  # one or the other
    r = api.post("/api/v1/campaigns", as_="rev-220602", json={"library": "jinhu_county"})
    assert r.status_code == 422 and "library" in r.get_json()["error"]["fields"]  # not its library
    campaign = open_campaign(api, as_="rev-320831", tier=None, library="jinhu_county")
    assert campaign["library"] == "jinhu_county" and campaign["progress"]["members"] == 2
    for username, decision in (("stays", "keep"), ("leaves", "exit")):
        case = my_case(api, username)
        assert case["membership"]["id"] == memberships[username] and case["recognition"] is None
        r = api.post(f"/api/v1/cases/{case['id']}/update", as_=username, json={"data": dict(FULL_DATA)})
        assert r.status_code == 200, r.get_json()
        task = office_task(api, "rev-320831", case["id"])
        r = api.post(f"/api/v1/cases/tasks/{task['task_id']}/decision", as_="rev-320831",
                     json={"decision": decision, "comment": "不再符合入库条件" if decision == "exit" else ""})
        assert r.status_code == 200, r.get_json()
    members = {m["enterprise"]["name"]: m for m in api.get("/api/v1/libraries/jinhu_county/members?status=",
                                                           as_="rev-320831").get_json()["items"]}
    assert members["金湖留库机械有限公司"]["status"] == "active"
    assert members["金湖留库机械有限公司"]["verified_on"] == china_today().isoformat()
    assert members["金湖出库机械有限公司"]["status"] == "exited"
    assert members["金湖出库机械有限公司"]["exit_reason"] == "不再符合入库条件"
    # out of the library, out of the ladder: a city application needs the library again
    r = api.post("/api/v1/applications", as_="leaves", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "prerequisite_missing"
    assert api.post("/api/v1/applications", as_="stays",
                    json={"target_tier": "city", "data": dict(FULL_DATA)}).status_code == 201


def campaign_rows(app) -> int:
    from app.models import Campaign, LifecycleCase

    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Campaign.id))) + db.session.scalar(
            db.select(db.func.count(LifecycleCase.id)))


def test_bad_campaigns_are_refused_and_store_nothing(app, api, enterprise, grant):
    members(enterprise, grant, tier="seed", names=("one",))
    r = api.post("/api/v1/campaigns", as_="rev-220602", json={"tier": "galaxy", "year": "soon",
                                                              "due_on": "2026-13-01"})
    assert r.status_code == 422, r.get_json()
    assert set(r.get_json()["error"]["fields"]) == {"tier", "year", "due_on"}
    r = api.post("/api/v1/campaigns", as_="rev-220602", json={"tier": "seed", "due_on": "2001-01-01"})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"due_on"}
    r = api.post("/api/v1/campaigns", as_="rev-220602",  # the province recognizes that tier, not the county
                 json={"tier": "province", "due_on": (china_today() + timedelta(days=9)).isoformat()})
    assert r.status_code == 422 and set(r.get_json()["error"]["fields"]) == {"tier"}
    assert api.post("/api/v1/campaigns", as_="rev-220602", json=[]).status_code == 400
    assert api.post("/api/v1/campaigns", as_="one", json={"tier": "seed"}).status_code == 403
    assert campaign_rows(app) == 0
    campaign = open_campaign(api, as_="rev-220602", tier="seed")
    assert campaign["progress"]["members"] == 1
    before = campaign_rows(app)
    r = api.post("/api/v1/campaigns", as_="rev-220602", json={"tier": "seed", "year": campaign["year"],
                                                                        "due_on": campaign["due_on"]})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "duplicate"
    assert campaign_rows(app) == before
    # another office's campaign for the same tier and year is its own: 城区 has no seed member, so none opens
    r = api.post("/api/v1/campaigns", as_="rev-140502", json={"tier": "seed", "year": campaign["year"],
                                                              "due_on": campaign["due_on"]})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "no_members"
    assert campaign_rows(app) == before


def test_the_office_closes_the_updates_on_the_due_date_and_the_late_member_exits(app, api, enterprise, grant,
                                                                                user_client):
    """Over HTTP alone: a campaign due today, one member updates and is kept, the office closes the updates
    (the timer has not run), the other is flagged, proposed for exit and exits."""
    members(enterprise, grant, names=("kept", "late"))
    early = open_campaign(api, due_on=(china_today() + timedelta(days=1)).isoformat(), year=2097)
    r = api.post(f"/api/v1/campaigns/{early['id']}/close", as_="rev-220000")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "still_open"
    assert api.post(f"/api/v1/campaigns/{early['id']}/close", as_="rev-220602").status_code in (403, 404)
    # the early campaign's cases stay open, so today's campaign covers only firms recognized since
    held = members(enterprise, grant, names=("kept2", "late2"))
    campaign = open_campaign(api, due_on=china_today().isoformat(), year=2096)
    assert campaign["progress"]["members"] == 2
    kept = my_case(api, "kept2")
    r = api.post(f"/api/v1/cases/{kept['id']}/update", as_="kept2", json={"data": dict(FULL_DATA)})
    assert r.status_code == 200
    page = user_client("rev-220000").get(f"/lifecycle/campaigns/{campaign['id']}").get_data(as_text=True)
    assert 'data-testid="close-updates"' in page
    r = api.post(f"/api/v1/campaigns/{campaign['id']}/close", as_="rev-220000")
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["progress"]["missed"] == 1 and r.get_json()["progress"]["updated"] == 1
    tasks = {t["case"]["enterprise"]["name"]: t for t in api.get("/api/v1/cases", as_="rev-220000").get_json()["items"]
             if t["case"]["id"] in {c["id"] for c in campaign["cases"]}}
    late = next(t for t in tasks.values() if t["case"]["missed"])
    assert {d["decision"]: d["label"] for d in late["decisions"]}["exit"] == "退出（逾期未更新，建议退出）"
    r = api.post(f"/api/v1/cases/tasks/{late['task_id']}/decision", as_="rev-220000",
                 json={"decision": "exit", "comment": "逾期未更新年度数据"})
    assert r.status_code == 200 and r.get_json()["outcome"] == "exited"
    assert recognition(api, held["late2"])["status"] == "exited"
    on_time = next(t for t in tasks.values() if not t["case"]["missed"])
    r = api.post(f"/api/v1/cases/tasks/{on_time['task_id']}/decision", as_="rev-220000", json={"decision": "keep"})
    assert r.status_code == 200 and recognition(api, held["kept2"])["status"] == "active"
    assert {k: progress(api, campaign["id"])[k] for k in ("kept", "exited", "missed")} == {
        "kept": 1, "exited": 1, "missed": 1}
