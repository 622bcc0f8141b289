"""The register (认定名录) through the JSON API: a recognition at each tier is recorded by the BPMN's
`record_recognition` service task and found with its shape, filters and visibility; the ladder refuses an
application without the tier or library it needs (Jinhu's library entered by its own process); expiry."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.extensions import db
from tests.conftest import FULL_DATA, approve_at_province, run_worker, submit_application, task_for

CHAIN = [("rev-220602", "220602"), ("rev-220600", "220600"), ("rev-220000", "220000"), ("rev-100000", "100000")]
LAST = {"seed": 0, "city": 1, "province": 2, "national": 3}
SHAPE = {"id", "enterprise", "tier", "office", "document_no", "certificate_no", "valid_from", "valid_until", "status",
         "application_id"}


def decide(api, reviewer: str, application_id: int, decision: str = "approve", comment: str = "") -> dict:
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def recognize(app, api, submitted, tier: str, username: str = "acme", region_code: str = "220602",
              register: bool = True) -> tuple[dict, date]:
    """Submit an application for `tier` and walk it up the Jilin chain to `recognized` (the province's expert
    panel and public notice included); returns the application and the day it was recognized."""
    from app.core import workdays

    application = submitted(tier, username=username, region_code=region_code, register=register)
    on = workdays.china_date()
    for reviewer, _office in CHAIN[: LAST[tier] + 1]:
        if reviewer == "rev-220000":
            application = approve_at_province(api, application["id"])
        else:
            application = decide(api, reviewer, application["id"])
    if tier == "province":  # the province recognizes when the public notice has ended: the worker fires its timer
        assert application["current_step"] == "public_notice"
        notice_ends = waiting_timer(app, application["id"], "notice_period")
        assert run_worker(app, notice_ends - timedelta(minutes=1)).get("timers", 0) == 0
        assert run_worker(app, notice_ends)["timers"] == 1
        on = workdays.china_date(notice_ends)
        application = api.get(f"/api/v1/applications/{application['id']}", as_=username).get_json()
    assert application["status"] == "recognized", application
    return application, on


def waiting_timer(app, application_id: int, kind: str) -> datetime:
    from app.models import ProcessTimer

    with app.app_context():
        return db.session.scalar(db.select(ProcessTimer.due_at).where(
            ProcessTimer.application_id == application_id, ProcessTimer.kind == kind,
            ProcessTimer.state == "waiting"))


def entry_of(api, application_id: int, as_: str = "admin") -> dict:
    r = api.get("/api/v1/recognitions", as_=as_)
    assert r.status_code == 200, r.get_json()
    found = [e for e in r.get_json()["items"] if e["application_id"] == application_id]
    assert len(found) == 1, r.get_json()
    return found[0]


def recognition(api, recognition_id: int, as_: str = "admin") -> dict:
    r = api.get(f"/api/v1/recognitions/{recognition_id}", as_=as_)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def china_today() -> date:
    from app.core import workdays

    return workdays.china_date()


# --- 1. recognitions at each tier land in the register ------------------------------------------------

@pytest.mark.parametrize("tier", ["seed", "city", "province", "national"])
def test_a_recognition_at_each_tier_is_in_the_register(app, api, submitted, tier):
    application, on = recognize(app, api, submitted, tier)
    entry = entry_of(api, application["id"])
    assert SHAPE <= set(entry)
    assert entry["tier"] == tier and entry["status"] == "active"
    assert entry["enterprise"] == application["enterprise"]
    assert set(entry["enterprise"]) == {"id", "name", "uscc"}
    assert entry["office"]["code"] == CHAIN[LAST[tier]][1]
    assert entry["document_no"] and entry["certificate_no"].startswith(CHAIN[LAST[tier]][1])
    valid_from = date.fromisoformat(entry["valid_from"])
    assert valid_from == on  # the province's: the day its public notice ended (the worker's clock)
    assert date.fromisoformat(entry["valid_until"]) == valid_from.replace(year=valid_from.year + 3) - timedelta(days=1)
    detail = recognition(api, entry["id"])
    assert {k: detail[k] for k in entry} == entry
    actions = [h["action"] for h in detail["history"]]
    assert actions == ["recognition_recorded"]
    assert detail["history"][0]["details"]["certificate_no"] == entry["certificate_no"]
    # the enterprise sees it as its own, the recognizing office and the county in its jurisdiction
    assert recognition(api, entry["id"], as_="acme")["id"] == entry["id"]
    for reviewer, _office in CHAIN:
        assert recognition(api, entry["id"], as_=reviewer)["id"] == entry["id"]
    if tier == "national":  # the province tier the ladder needed is still held beside it
        mine = api.get("/api/v1/recognitions", as_="acme").get_json()
        assert sorted((e["tier"], e["status"]) for e in mine["items"]) == [("national", "active"),
                                                                           ("province", "active")]


def test_a_sector_firm_is_recorded_by_its_sector_department(app, api, submitted):
    """长春 朝阳区 construction firm: the province tier is recognized by 吉林省住房和城乡建设厅 (routing)."""
    application = submitted("province", username="builder", region_code="220104", sector="construction")
    application = decide(api, "rev-220104", application["id"])
    application = decide(api, "rev-220100", application["id"])
    approve_at_province(api, application["id"], reviewer="rev-220000-construction")
    run_worker(app, waiting_timer(app, application["id"], "notice_period"))
    entry = entry_of(api, application["id"])
    assert (entry["tier"], entry["office"]["code"], entry["status"]) == ("province", "220000-construction", "active")
    assert entry["certificate_no"].startswith("220000P")
    assert recognition(api, entry["id"], as_="rev-220000-construction")["id"] == entry["id"]
    assert api.get(f"/api/v1/recognitions/{entry['id']}", as_="rev-220602").status_code == 404


def test_the_register_filters_and_who_sees_what(app, api, submitted, grant):
    seed = entry_of(api, recognize(app, api, submitted, "seed")[0]["id"])
    city = entry_of(api, recognize(app, api, submitted, "city", username="other")[0]["id"])
    # an enterprise of 晋城 (Shanxi), recognized at the seed tier by its county
    shanxi = submitted("seed", username="jincheng", region_code="140502")
    shanxi = entry_of(api, decide(api, "rev-140502", shanxi["id"])["id"])

    def ids(query: str = "", as_: str | None = "admin") -> list[int]:
        r = api.get(f"/api/v1/recognitions{query}", as_=as_)
        assert r.status_code == 200, r.get_json()
        body = r.get_json()
        assert body["total"] == len(body["items"])
        return sorted(e["id"] for e in body["items"])

    year = china_today().year
    assert ids() == sorted([seed["id"], city["id"], shanxi["id"]])
    assert ids("?tier=seed") == sorted([seed["id"], shanxi["id"]])
    assert ids("?region=220000") == sorted([seed["id"], city["id"]])
    assert ids("?region=140502") == [shanxi["id"]]
    assert ids("?status=active&tier=city") == [city["id"]]
    assert ids("?status=expired") == []
    assert ids(f"?year={year}") == ids() and ids(f"?year={year - 1}") == []
    # an enterprise sees only its own; an office its jurisdiction, and 404 outside it
    assert ids(as_="acme") == [seed["id"]]
    assert api.get(f"/api/v1/recognitions/{city['id']}", as_="acme").status_code == 404
    assert ids(as_="rev-220602") == sorted([seed["id"], city["id"]])
    assert ids(as_="rev-140502") == [shanxi["id"]]
    assert ids(as_="rev-100000") == ids()
    r = api.get(f"/api/v1/recognitions/{seed['id']}", as_="rev-140502")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    # anonymous: active entries only, in the public shape (no application, no history)
    assert ids(as_=None) == ids()
    public = api.get(f"/api/v1/recognitions/{seed['id']}").get_json()
    assert "application_id" not in public and "history" not in public and public["document_no"] == seed["document_no"]
    # bad filters are 422 naming the field
    assert ids("?region=100000") == ids()  # the whole country
    for query, field in (("?tier=galaxy", "tier"), ("?status=gone", "status"), ("?year=soon", "year"),
                         ("?region=999999", "region")):
        r = api.get(f"/api/v1/recognitions{query}", as_="admin")
        assert r.status_code == 422 and field in r.get_json()["error"]["fields"], query
    # an entry that is not active any more leaves the public list
    with app.app_context():
        from app.lifecycle import register
        from app.models import Recognition

        register.exit_(db.session.get(Recognition, city["id"]), "test", china_today())
        db.session.commit()
    assert ids(as_=None) == sorted([seed["id"], shanxi["id"]])
    assert api.get(f"/api/v1/recognitions/{city['id']}").status_code == 404
    assert ids("?status=exited") == [city["id"]]


# --- 2. the ladder --------------------------------------------------------------------------------------

def stored_applications(app) -> int:
    from app.models import Application

    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Application.id)))


def test_national_needs_an_active_province_recognition(app, api, enterprise, grant):
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "national", "data": dict(FULL_DATA)})
    assert r.status_code == 422, r.get_json()
    error = r.get_json()["error"]
    assert error["code"] == "prerequisite_missing" and error["missing"][0]["code"] == "province"
    assert "省级" in error["message"] or "province" in error["message"].lower()
    assert stored_applications(app) == 0
    grant("acme", "province")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "national", "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()
    draft = r.get_json()
    # the province recognition ends before the submission: refused at submit too, nothing changes
    with app.app_context():
        from app.lifecycle import register
        from app.models import Recognition

        for entry in db.session.scalars(db.select(Recognition)):
            register.revoke(entry, "test", china_today())
        db.session.commit()
    r = submit_application(api, "acme", draft['id'])
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "prerequisite_missing"
    assert api.get(f"/api/v1/applications/{draft['id']}", as_="acme").get_json()["status"] == "draft"
    assert api.get("/api/v1/tasks", as_="rev-220602").get_json()["total"] == 0


def test_a_tier_held_actively_cannot_be_applied_for_again(app, api, enterprise, grant):
    enterprise("acme")
    grant("acme", "city")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "prerequisite_missing"
    assert stored_applications(app) == 0
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "province", "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()


def test_jinhu_city_applications_come_from_the_county_library(app, api, submitted, enterprise):
    enterprise("jinhu", "320831")
    r = api.post("/api/v1/applications", as_="jinhu", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "prerequisite_missing"
    assert r.get_json()["error"]["missing"][0] == {
        "kind": "library", "code": "jinhu_county", "label": "金湖县专精特新小巨人企业培育库", "held": False,
        "clause": r.get_json()["error"]["missing"][0]["clause"]}
    # the county's own process enters the library when rev-320831 approves the seed application
    seed = submitted("seed", username="jinhu", region_code="320831", register=False)
    seed = decide(api, "rev-320831", seed["id"])
    assert seed["status"] == "recognized"
    members = api.get("/api/v1/libraries/jinhu_county/members", as_="rev-320831").get_json()["items"]
    assert [(m["enterprise"]["id"], m["source"], m["application_id"]) for m in members] == [
        (seed["enterprise"]["id"], "application", seed["id"])]
    r = api.post("/api/v1/applications", as_="jinhu", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()
    r = submit_application(api, "jinhu", r.get_json()['id'])
    assert r.status_code == 200 and r.get_json()["current_office"]["code"] == "320831", r.get_json()


# --- 4. expiry ------------------------------------------------------------------------------------------

def test_expiry_at_valid_until_unless_re_verified(app, api, enterprise, grant):
    from datetime import UTC, time

    from app.core import workdays
    from app.lifecycle import register
    from app.models import Recognition

    enterprise("acme")
    enterprise("kept", name="保留精密有限公司")
    lapsing, kept = grant("acme", "city"), grant("kept", "city")
    with app.app_context():
        entry = db.session.get(Recognition, kept)
        register.keep(entry, entry.valid_until - timedelta(days=100))  # re-verified in its last year
        until = entry.valid_until
        db.session.commit()
    # the day of valid_until: nothing changes yet
    run_worker(app, datetime.combine(until, time(12), tzinfo=workdays.CHINA).astimezone(UTC))
    assert recognition(api, lapsing)["status"] == "active"
    run_worker(app, datetime.combine(until + timedelta(days=1), time(1), tzinfo=workdays.CHINA).astimezone(UTC))
    lapsed = recognition(api, lapsing)
    assert lapsed["status"] == "expired" and lapsed["exited_on"] == (until + timedelta(days=1)).isoformat()
    # told once, 90 days ahead at the latest (here: on the first pass inside the window), then expired
    assert [h["action"] for h in lapsed["history"]] == ["recognition_recorded", "expiry_notice",
                                                        "recognition_expired"]
    notices = [n["message"] for n in api.get("/api/v1/notifications", as_="acme").get_json()["items"]]
    assert sum(f"有效期至 {until.isoformat()}" in m for m in notices) == 1, notices
    renewed = recognition(api, kept)
    assert renewed["status"] == "active"
    assert renewed["valid_until"] == register.add_years(until, 3).isoformat()
    assert [h["action"] for h in renewed["history"]][-1] == "recognition_renewed"
    # an expired tier is not held any more: the enterprise may apply for it again
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": dict(FULL_DATA)})
    assert r.status_code == 201, r.get_json()
