"""Targets: shipped from the seeds with their clauses, progress computed from the register (never typed), the
traffic light, the API, and the admin's edits (audited; bad input changes nothing)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.extensions import db
from app.models import AuditEvent, Recognition, Target, User
from tests.conftest import csrf_token, text


@pytest.fixture
def leaders(app, password_hash):
    def make(*codes: str) -> None:
        with app.app_context():
            for code in codes:
                db.session.add(User(username=f"leader-{code}", role="leader", region_code=code,
                                    password_hash=password_hash))
            db.session.commit()

    return make


@pytest.fixture
def recognized_on(app, grant):
    """grant(), then move the entry's `valid_from` to `on` (as if recognized then)."""

    def make(username: str, tier: str, on: date) -> int:
        entry_id = grant(username, tier)
        with app.app_context():
            db.session.get(Recognition, entry_id).valid_from = on
            db.session.commit()
        return entry_id

    return make


def _target(region: str, metric: str, year: int) -> Target:
    return db.session.scalar(db.select(Target).where(Target.region_code == region, Target.metric == metric,
                                                     Target.year == year))


def test_shipped_from_the_seeds_with_clauses(app_ctx):
    from app.reporting import targets

    shipped = json.loads(targets.SHIPPED.read_text(encoding="utf-8"))["targets"]
    assert db.session.scalar(db.select(db.func.count(Target.id))) == len(shipped)
    assert targets.ensure_shipped() == 0  # idempotent
    jilin = _target("220000", "tier_province", 2025)
    assert (jilin.value, jilin.basis, jilin.base_year) == (1500, "stock", 2022)
    assert jilin.clause.startswith("001 §一(三)")
    assert _target("220000", "tier_seed", 2025).value == 10000
    assert _target("220600", "tier_city", 2022).value == 25 and _target("220600", "tier_city", 2025).value == 100
    assert _target("140500", "tier_national", 2025).value == 10
    jinhu = _target("320831", "tier_province", 2023)
    assert (jinhu.value, jinhu.value_max, jinhu.basis) == (2, 5, "new")
    assert all(t.clause[:3] in ("001", "002", "003", "004") for t in db.session.scalars(db.select(Target)))


def test_expected_progress_and_lights(app_ctx):
    from app.reporting.targets import expected, light

    target = Target(region_code="220000", metric="tier_province", year=2025, basis="stock", base_year=2022,
                    value=1500)
    assert expected(target, date(2026, 1, 1)) == 1500
    assert expected(target, date(2021, 6, 1)) == 0
    assert round(expected(target, date(2024, 1, 1))) == 750  # two of four years
    assert light(1500, 1500) == light(800, 750) == "green"
    assert light(525, 750) == "amber" and light(524, 750) == "red"
    assert light(None, 10, sourced=False) == "no_source" and light(None, 10) == "no_data"
    new = Target(region_code="320831", metric="tier_city", year=2024, basis="new", value=8, value_max=15)
    assert expected(new, date(2023, 12, 31)) == 0 and expected(new, date(2025, 1, 1)) == 8


def test_progress_is_counted_from_the_register(app, api, enterprise, recognized_on, leaders):
    leaders("220600")
    for username in ("bs1", "bs2", "bs3"):
        enterprise(username, "220602")
    enterprise("cc1", "220104")
    recognized_on("bs1", "province", date(2023, 5, 1))
    recognized_on("bs2", "province", date(2025, 12, 31))
    late = recognized_on("bs3", "province", date(2026, 1, 2))  # after 2025: not in the 2025 stock
    recognized_on("cc1", "province", date(2024, 1, 1))  # another city
    gone = recognized_on("bs3", "city", date(2022, 3, 1))
    with app.app_context():
        db.session.get(Recognition, gone).status = "revoked"  # a revoked firm is not cultivated stock
        db.session.commit()
    body = api.get("/api/v1/targets?year=2025", as_="leader-220600").get_json()
    by = {t["metric"]: t for t in body["items"]}
    assert by["tier_province"]["actual"] == 2 and by["tier_province"]["value"] == 50
    assert by["tier_province"]["status"] == "red"  # 2 of the 50 expected after 2025
    assert by["tier_city"]["actual"] == 0
    assert by["champion"]["actual"] is None and by["champion"]["status"] == "no_source"
    assert set(by["tier_province"]) >= {"metric", "label", "year", "value", "value_max", "clause", "actual", "status"}
    # the drill-down list behind the figure holds exactly those entries
    drill = by["tier_province"]["drill"]
    assert drill == {"tier": "province", "region": "220600", "until": 2025}
    with app.app_context():
        assert late not in [r.id for r in db.session.scalars(db.select(Recognition).where(
            Recognition.valid_from <= date(2025, 12, 31), Recognition.tier == "province"))]
    r = api.get("/api/v1/stats/recognitions?group_by=tier&tier=province&region=220600&until=2025",
                as_="leader-220600")
    assert r.get_json()["total"] == 2
    # 2022's "new" targets count that year's entries only
    body = api.get("/api/v1/targets?year=2022", as_="leader-220600").get_json()
    assert {t["metric"]: t["actual"] for t in body["items"]}["tier_city"] == 0  # the 2022 entry was revoked


def test_jinhu_yearly_range(api, enterprise, recognized_on, leaders):
    leaders("320831")
    for n in range(3):
        enterprise(f"jh{n}", "320831")
        recognized_on(f"jh{n}", "city", date(2024, 3 + n, 1))
    item = next(t for t in api.get("/api/v1/targets?year=2024", as_="leader-320831").get_json()["items"]
                if t["metric"] == "tier_city")
    assert (item["actual"], item["value"], item["value_max"], item["status"]) == (3, 8, 15, "red")
    item = next(t for t in api.get("/api/v1/targets?year=2023", as_="leader-320831").get_json()["items"]
                if t["metric"] == "tier_city")
    assert item["actual"] == 0


def test_targets_api_scope(api, leaders):
    leaders("220600", "220000")
    assert api.get("/api/v1/targets?region=220000", as_="leader-220600").status_code == 404
    body = api.get("/api/v1/targets?region=220600&year=2025", as_="leader-220000").get_json()
    assert body["total"] == len(body["items"]) > 0 and {t["region_code"] for t in body["items"]} == {"220600"}
    assert api.get("/api/v1/targets", as_="expert-1").status_code == 403
    assert api.put("/api/v1/targets/1", as_="leader-220000", json={"value": 1}).status_code == 403


def test_admin_edits_a_target_and_bad_input_changes_nothing(app, user_client):
    with app.app_context():
        target = _target("220600", "tier_province", 2025)
        target_id, before = target.id, target.value
    admin = user_client("admin")
    assert "001 §一(三)" in text(admin.get("/admin/targets"))
    url = f"/admin/targets/{target_id}"
    token = csrf_token(admin, url)
    r = admin.post(url, data={"csrf_token": token, "value": "60", "value_max": "40", "note": ""})
    assert r.status_code == 422
    r = admin.post(url, data={"csrf_token": token, "value": "lots", "value_max": "", "note": ""})
    assert r.status_code == 422
    with app.app_context():
        assert db.session.get(Target, target_id).value == before
        assert db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.action == "target_changed")) is None
    r = admin.post(url, data={"csrf_token": token, "value": "60", "value_max": "", "note": "市政府调整"})
    assert r.status_code == 302
    with app.app_context():
        target = db.session.get(Target, target_id)
        assert (target.value, target.note) == (60, "市政府调整")
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "target_changed"))
        assert event.details["before"]["value"] == before and event.details["after"]["value"] == 60


def test_admin_adds_a_target_once(app, user_client, api):
    admin = user_client("admin")
    token = csrf_token(admin, "/admin/targets")
    form = {"csrf_token": token, "new-region_code": "220100", "new-metric": "tier_city", "new-year": "2026",
            "new-basis": "stock", "new-base_year": "2024", "new-value": "120", "new-value_max": "",
            "new-clause": "长春市实施方案", "new-note": ""}
    assert admin.post("/admin/targets", data=form).status_code == 302
    assert admin.post("/admin/targets", data=form).status_code == 409  # the same region, metric and year
    assert admin.post("/admin/targets", data=form | {"new-year": "2027", "new-value": "-1"}).status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Target.id)).where(Target.region_code == "220100")) == 1
    r = api.post("/api/v1/targets", as_="admin", json={"region_code": "220100", "metric": "gold", "year": 2026,
                                                      "value": 1, "clause": "x"})
    assert r.status_code == 422 and "metric" in r.get_json()["error"]["fields"]
