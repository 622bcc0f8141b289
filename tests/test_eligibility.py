"""Eligibility through the API and the services: rule set choice, self-check, submission gate, DMN edits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import FULL_DATA, task_for

RULES = Path(__file__).resolve().parents[1] / "workflows" / "rules"
WEAK_NATIONAL = dict(FULL_DATA, revenue_last_year=40_000_000, revenue_prev_year=38_000_000,
                     main_revenue_last_year=38_000_000, main_revenue_prev_year=36_000_000, niche_years=1)


def draft(api, username: str, tier: str, data: dict) -> dict:
    r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": data})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def evaluate(api, username: str, application_id: int) -> dict:
    r = api.post(f"/api/v1/applications/{application_id}/evaluate", as_=username)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_self_check_shape_and_seed_scores(api, enterprise):
    enterprise("acme", "220602")
    data = {"ip_level": "class1", "rd_expense_last_year": 80_000, "revenue_last_year": 1_600_000,
            "main_revenue_last_year": 1_150_000, "main_revenue_prev_year": 1_000_000, "debt_ratio": 0.55,
            "strategic_emerging": False, "employees": 30}  # main business 115 / 160 = 71.9 %, computed
    app = draft(api, "acme", "seed", data)
    result = evaluate(api, "acme", app["id"])
    assert set(result) >= {"tier", "rule_set", "passed", "score", "groups", "criteria", "missing"}
    assert result["tier"] == "seed"
    assert result["rule_set"]["id"] == "seed_2022"
    assert result["rule_set"]["jurisdiction"] == "100000" and result["rule_set"]["effective_from"] == "2022-08-01"
    assert result["rule_set"]["status"] == "verified" and "工信部企业〔2022〕63号" in result["rule_set"]["source"]
    # Jilin's own 种子企业 standard (set by the province, 001 §二（一）1) is not loaded: the national one stands in
    assert result["rule_set"]["fallback"] is True
    assert result["rule_set"]["note"] == "本地区标准未载入，按创新型中小企业评价标准（2022年版）执行"
    # hand-computed from POLICY.md: IP Class I 10 + R&D exactly 5 % 20 | growth exactly 15 % 20 + debt 55 % 10
    # | not strategic 5 + main business 71.9 % 20
    assert result["score"] == 85 and result["passed"] is True
    groups = {g["name"]: (g["score"], g["max"], g["min_required"], g["passed"]) for g in result["groups"]}
    assert groups == {"创新能力": (30, 40, 20, True), "成长性": (30, 30, 15, True), "专业化": (25, 30, 15, True)}
    for criterion in result["criteria"]:
        assert set(criterion) >= {"id", "name", "value", "threshold", "points", "passed", "hard"}
    by_id = {c["id"]: c for c in result["criteria"]}
    assert by_id["rd_ratio"]["value"] == 0.05 and by_id["rd_ratio"]["points"] == 20
    assert "sti_award" in result["missing"]
    # the application JSON carries the latest evaluation; nothing else changed
    after = api.get(f"/api/v1/applications/{app['id']}", as_="acme").get_json()
    assert after["evaluation"]["score"] == 85 and after["status"] == "draft" and after["current_step"] is None


def test_rule_set_by_jurisdiction(app, api, enterprise, grant, enter_library):
    """Each standard judges in the jurisdiction that issued it; elsewhere the nearest published one stands in,
    and the verdict says so."""
    from app.extensions import db
    from app.models import Region

    with app.app_context():  # a district of 淮安 outside Jinhu (the demo has none)
        db.session.add(Region(code="320812", name="清江浦区", level="county", parent_code="320800"))
        db.session.commit()
    for username, region in (("jinhu", "320831"), ("baishan", "220602"), ("jincheng", "140502"),
                             ("changchun", "220104"), ("huaian", "320812")):
        enterprise(username, region)
    enter_library("jinhu")  # Jinhu recommends from its county library (004 §三(三))

    def rule_set(username: str, tier: str) -> tuple[str, str, bool]:
        rs = evaluate(api, username, draft(api, username, tier, FULL_DATA)["id"])["rule_set"]
        if tier != "national":
            grant(username, tier)  # the ladder: the next tier needs this one
        return rs["id"], rs["jurisdiction"], rs["fallback"]

    # Jinhu: its county library (004 附件2), 淮安's city standard (附件5), Jiangsu's provincial one (附件4) and
    # its copy of the national conditions (附件3)
    assert rule_set("jinhu", "seed") == ("jinhu_library", "320831", False)
    assert rule_set("jinhu", "city") == ("city_2022", "320800", False)
    assert rule_set("jinhu", "province") == ("jiangsu_province", "320000", False)
    assert rule_set("jinhu", "national") == ("jinhu_national", "320831", False)
    # elsewhere in 淮安: Jiangsu's 千企升级 library entry (附件1) for the seed tier
    rs = evaluate(api, "huaian", draft(api, "huaian", "seed", FULL_DATA)["id"])["rule_set"]
    assert (rs["id"], rs["jurisdiction"], rs["fallback"]) == ("jiangsu_qianqi", "320000", False)
    # Jilin and Shanxi: their own seed, city and provincial standards are not in the seeds
    for username in ("baishan", "changchun", "jincheng"):
        assert rule_set(username, "seed") == ("seed_2022", "100000", True)
        assert rule_set(username, "city") == ("city_2022", "320800", True)
        assert rule_set(username, "province") == ("province_2022", "100000", True)  # jilin_province: provisional
        assert rule_set(username, "national") == ("national_2022", "100000", False)


def test_self_check_page_says_which_standard_and_why(api, enterprise, user_client):
    enterprise("baishan", "220602")
    enterprise("jinhu", "320831")
    fallback = draft(api, "baishan", "seed", FULL_DATA)["id"]
    page = user_client("baishan").get(f"/applications/{fallback}/self-check").get_data(as_text=True)
    assert "本地区标准未载入，按创新型中小企业评价标准（2022年版）执行" in page
    assert "已核实原文" in page and "工信部企业〔2022〕63号" in page
    own = draft(api, "jinhu", "seed", FULL_DATA)["id"]
    page = user_client("jinhu").get(f"/applications/{own}/self-check").get_data(as_text=True)
    assert "本地区标准未载入" not in page and "金湖县专精特新小巨人企业培育库入库条件" in page
    assert "制造类" in page and "待审核人员核对" in page  # the track judged, the facts a reviewer checks


def test_rule_set_by_submission_date(app_ctx, api, enterprise, grant):
    from app.extensions import db
    from app.models import Application, User
    from app.recognition import eligibility

    enterprise("acme", "220602")

    grant("acme", "province")  # the ladder: national needs the province tier
    app_id = draft(api, "acme", "national", FULL_DATA)["id"]
    application = db.session.get(Application, app_id)
    assert eligibility.evaluate(application, date(2026, 3, 31))["rule_set"]["id"] == "national_2022"
    # the 2026 revision is provisional (not in the seeds, not verified): not applied until an admin activates it
    assert eligibility.evaluate(application, date(2026, 4, 1))["rule_set"]["id"] == "national_2022"
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    eligibility.set_active(admin, "national_2026", True)
    after = eligibility.evaluate(application, date(2026, 4, 1))["rule_set"]
    assert (after["id"], after["status"], after["effective_from"]) == ("national_2026", "provisional", "2026-04-01")
    assert eligibility.evaluate(application, date(2026, 3, 31))["rule_set"]["id"] == "national_2022"


def test_submission_refused_on_failed_hard_conditions_changes_nothing(app, api, enterprise, grant):
    from app.extensions import db
    from app.models import AuditEvent, HumanTask, ProcessInstance

    enterprise("acme", "220602")

    grant("acme", "province")  # the ladder: national needs the province tier
    app_json = draft(api, "acme", "national", WEAK_NATIONAL)
    r = api.post(f"/api/v1/applications/{app_json['id']}/submit", as_="acme")
    assert r.status_code == 422
    error = r.get_json()["error"]
    assert error["code"] == "ineligible"
    failed = [c["name"] for c in error["evaluation"]["criteria"] if c["hard"] and not c["passed"]]
    assert failed and all(name in error["message"] for name in failed)
    after = api.get(f"/api/v1/applications/{app_json['id']}", as_="acme").get_json()
    assert after["status"] == "draft" and after["current_step"] is None and after["evaluation"] is None
    assert [h["action"] for h in after["history"]] == ["create"]
    with app.app_context():
        # (the province tier granted above opened its reward claim: that process is not the application's)
        assert db.session.scalar(db.select(db.func.count()).select_from(ProcessInstance).where(
            ProcessInstance.subject_type == "application")) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(HumanTask).where(
            HumanTask.subject_type == "application")) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "submit")) == 0


def test_low_score_goes_to_review_with_the_score_visible(api, enterprise):
    enterprise("acme", "220602")
    low = {"revenue_last_year": 5_000_000, "rd_expense_last_year": 10_000, "employees": 20, "ip_level": "none",
           "main_revenue_last_year": 900_000, "main_revenue_prev_year": 1_000_000, "debt_ratio": 0.9,
           "strategic_emerging": False, "sti_award": "none",
           "high_tech_enterprise": False, "rd_institution": "none", "equity_financing_3y": 0}
    app = draft(api, "acme", "seed", low)
    r = api.post(f"/api/v1/applications/{app['id']}/submit", as_="acme")
    assert r.status_code == 200, r.get_json()
    submitted = r.get_json()
    assert submitted["status"] == "in_review"
    # main business 90 / 500 = 18 %: 0; not strategic 5
    assert submitted["evaluation"]["passed"] is False and submitted["evaluation"]["score"] == 5
    task = task_for(api, "rev-220602", app["id"])
    seen = api.get(f"/api/v1/applications/{task['application_id']}", as_="rev-220602").get_json()
    assert seen["evaluation"]["score"] == 5


def test_changing_a_threshold_in_the_dmn_changes_the_verdict(app, api, enterprise):
    from app.extensions import db
    from app.recognition import eligibility
    from app.workflow import definitions

    enterprise("acme", "220602")
    data = {"ip_level": "class1", "rd_expense_last_year": 250_000, "revenue_last_year": 5_000_000,
            "employees": 30}
    app_json = draft(api, "acme", "seed", data)
    before = {c["id"]: c for c in evaluate(api, "acme", app_json["id"])["criteria"]}
    assert before["rd_ratio"]["points"] == 20
    xml = (RULES / "seed_2022.dmn").read_text(encoding="utf-8")
    assert xml.count("&gt;= 0.05</text>") == 1 and xml.count("0.03 &lt;= ? &lt; 0.05") == 1
    stricter = xml.replace("&gt;= 0.05</text>", "&gt;= 0.06</text>").replace("0.03 &lt;= ? &lt; 0.05",
                                                                            "0.03 &lt;= ? &lt; 0.06")
    with app.app_context():
        eligibility.ensure_shipped()
        definitions.deploy("seed_2022", stricter, kind="dmn", comment="full marks from 6 %")
        db.session.commit()
    after = evaluate(api, "acme", app_json["id"])
    assert after["rule_set"]["version"] == 2
    assert {c["id"]: c for c in after["criteria"]}["rd_ratio"]["points"] == 15


def test_a_dmn_reading_unknown_inputs_is_refused(app):
    import pytest

    from app.core.errors import Invalid
    from app.extensions import db
    from app.models import ProcessDefinition
    from app.workflow import definitions

    xml = (RULES / "seed_2022.dmn").read_text(encoding="utf-8")
    xml = xml.replace("<text>rd_ratio</text>", "<text>rd_ratoi</text>")
    with app.app_context():
        with pytest.raises(Invalid, match="rd_ratoi"):
            definitions.deploy("seed_custom", xml, kind="dmn")
        db.session.rollback()
        assert db.session.scalar(db.select(ProcessDefinition.id).where(ProcessDefinition.key == "seed_custom")) is None


def test_business_rule_task_runs_in_the_workflow(app, api, submitted):
    import json

    from app.extensions import db
    from app.models import ProcessInstance

    application = submitted("city")
    with app.app_context():
        instance = db.session.scalar(db.select(ProcessInstance).where(
            ProcessInstance.subject_id == application["id"]))
        state = json.loads(instance.state)
    updates = [(t.get("delta") or {}).get("updates", {}) for t in state["tasks"].values()]
    hints = [u["review_hint"] for u in updates if "review_hint" in u]
    assert len(hints) == 1 and hints[0] == "自动核验：符合认定标准"
