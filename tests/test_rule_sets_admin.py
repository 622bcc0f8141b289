"""Rule sets carry their provenance and life; a provisional one applies only once an admin activates it; a call
may pin the rule set its applications are judged by (004 附件3–5: 具体以年度申报通知为准)."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.models import AuditEvent, RuleSet, User
from tests.conftest import FULL_DATA
from tests.test_web import form_data, text


def _evaluate(api, username: str, tier: str) -> dict:
    r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": FULL_DATA})
    assert r.status_code == 201, r.get_json()
    r = api.post(f"/api/v1/applications/{r.get_json()['id']}/evaluate", as_=username)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_rule_sets_listed_with_provenance(api):
    r = api.get("/api/v1/rule-sets", as_="rev-220602")
    assert r.status_code == 200
    items = {i["id"]: i for i in r.get_json()["items"]}
    assert set(items) == {"seed_2022", "jiangsu_qianqi", "jinhu_library", "city_2022", "province_2022",
                          "jiangsu_province", "jilin_province", "national_2022", "jinhu_national", "national_2026"}
    for key in ("jilin_province", "national_2026"):  # not in the seeds: not verified, not applied by default
        assert (items[key]["status"], items[key]["active"]) == ("provisional", False)
    for key, item in items.items():
        assert item["source"], key
        if item["status"] == "verified":
            assert item["active"] is True, key
    assert items["city_2022"]["jurisdiction"] == "320800" and items["city_2022"]["fallback"] is True
    assert items["jiangsu_province"]["jurisdiction"] == "320000" and "附件4" in items["jiangsu_province"]["source"]


def test_only_an_admin_activates_and_bad_input_changes_nothing(app, api):
    url = "/api/v1/rule-sets/jilin_province/activation"
    api.get("/api/v1/rule-sets", as_="admin")  # a new installation stores the shipped rule sets on first use
    assert api.post(url, as_="rev-220000", json={"active": True}).status_code == 403
    r = api.post(url, as_="admin", json={"active": "yes"})
    assert r.status_code == 422
    assert api.post("/api/v1/rule-sets/nope/activation", as_="admin", json={"active": True}).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(RuleSet.active).where(RuleSet.key == "jilin_province")) is False


def test_activating_a_provisional_rule_set_applies_it(app, api, enterprise, grant):
    enterprise("baishan", "220602")
    grant("baishan", "city")
    before = _evaluate(api, "baishan", "province")["rule_set"]
    assert (before["id"], before["fallback"]) == ("province_2022", True)
    r = api.post("/api/v1/rule-sets/jilin_province/activation", as_="admin", json={"active": True})
    assert r.status_code == 200 and r.get_json()["active"] is True
    after = _evaluate(api, "baishan", "province")["rule_set"]
    assert (after["id"], after["status"], after["fallback"], after["note"]) == (
        "jilin_province", "provisional", False, None)
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent.details).where(
            AuditEvent.action == "activate_rule_set")) == {"rule_set": "jilin_province", "status": "provisional"}


def test_admin_page_shows_status_and_activates(app, user_client):
    c = user_client("admin")
    page = text(c.get("/admin/rule-sets"))
    assert "吉林省专精特新中小企业认定条件（未核实）" in page and "暂行（未核实）" in page and "已核实" in page
    url = "/admin/rule-sets/national_2026/activation"
    r = c.post(url, data=form_data(c, "/admin/rule-sets", active="1"))
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(RuleSet.active).where(RuleSet.key == "national_2026")) is True
    assert user_client("rev-220602").get("/admin/rule-sets").status_code in (302, 403)


def test_a_call_pins_its_rule_set(app, api, enterprise, enter_library):
    from app.core import workdays
    from app.recognition import calls

    enterprise("jinhu", "320831")
    assert _evaluate(api, "jinhu", "seed")["rule_set"]["id"] == "jinhu_library"
    today = workdays.china_date()
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        call = calls.open_call(admin, name="金湖县2026年度培育库申报", tier="seed", region_code="320831",
                               opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
                               rule_set="jiangsu_qianqi")
        assert call.to_dict()["rule_set"] == "jiangsu_qianqi"
        db.session.commit()
    pinned = _evaluate(api, "jinhu", "seed")["rule_set"]
    assert (pinned["id"], pinned["pinned"]) == ("jiangsu_qianqi", True)
    with app.app_context():  # a pin of another tier is refused
        import pytest

        from app.core.errors import Invalid

        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        with pytest.raises(Invalid):
            calls.open_call(admin, name="x", tier="seed", region_code="320831", opens_on=today,
                            closes_on=today, rule_set="national_2022")
