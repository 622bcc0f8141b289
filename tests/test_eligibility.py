"""Eligibility through the API and the services: rule set choice, self-check, submission gate, DMN edits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.conftest import FULL_DATA, submit_application, task_for

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
    data = {"ip_level": "class1", "rd_expense_last_year": 250_000, "revenue_last_year": 5_000_000,
            "main_revenue_last_year": 1_150_000, "main_revenue_prev_year": 1_000_000, "debt_ratio": 0.55,
            "strategic_emerging": False, "main_business_share": 0.7, "employees": 30}
    app = draft(api, "acme", "seed", data)
    result = evaluate(api, "acme", app["id"])
    assert set(result) >= {"tier", "rule_set", "passed", "score", "groups", "criteria", "missing"}
    assert result["tier"] == "seed"
    assert result["rule_set"]["id"] == "seed_2022"
    assert result["rule_set"]["jurisdiction"] == "100000" and result["rule_set"]["effective_from"] == "2022-08-01"
    # hand-computed from POLICY.md: IP Class I 10 + R&D exactly 5 % 20 | growth exactly 15 % 20 + debt 55 % 10
    # | not strategic 5 + main business 70 % 20
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


def test_rule_set_by_jurisdiction(api, enterprise):
    enterprise("jinhu", "320831")
    enterprise("baishan", "220602")
    enterprise("jincheng", "140502")
    assert evaluate(api, "jinhu", draft(api, "jinhu", "seed", FULL_DATA)["id"])["rule_set"]["id"] == "jinhu_library"
    assert evaluate(api, "baishan", draft(api, "baishan", "seed", FULL_DATA)["id"])["rule_set"]["id"] == "seed_2022"
    jilin = evaluate(api, "baishan", draft(api, "baishan", "province", FULL_DATA)["id"])["rule_set"]
    assert jilin["id"] == "jilin_province" and jilin["jurisdiction"] == "220000"
    shanxi = evaluate(api, "jincheng", draft(api, "jincheng", "province", FULL_DATA)["id"])["rule_set"]
    assert shanxi["id"] == "province_2022" and shanxi["jurisdiction"] == "100000"


def test_rule_set_by_submission_date(app_ctx, api, enterprise, grant):
    from app.extensions import db
    from app.models import Application
    from app.recognition import eligibility

    enterprise("acme", "220602")

    grant("acme", "province")  # the ladder: national needs the province tier
    app_id = draft(api, "acme", "national", FULL_DATA)["id"]
    application = db.session.get(Application, app_id)
    assert eligibility.evaluate(application, date(2026, 3, 31))["rule_set"]["id"] == "national_2022"
    assert eligibility.evaluate(application, date(2026, 4, 1))["rule_set"]["id"] == "national_2026"
    assert eligibility.evaluate(application, date(2026, 4, 1))["rule_set"]["effective_from"] == "2026-04-01"


def test_submission_refused_on_failed_hard_conditions_changes_nothing(app, api, enterprise, grant):
    from app.extensions import db
    from app.models import AuditEvent, HumanTask, ProcessInstance

    enterprise("acme", "220602")

    grant("acme", "province")  # the ladder: national needs the province tier
    app_json = draft(api, "acme", "national", WEAK_NATIONAL)
    r = api.post(f"/api/v1/applications/{app_json['id']}/submit", as_="acme")  # refused before its materials count
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
           "strategic_emerging": False, "main_business_share": 0.4, "sti_award": "none",
           "high_tech_enterprise": False, "rd_institution": "none", "equity_financing_3y": 0}
    app = draft(api, "acme", "seed", low)
    r = submit_application(api, "acme", app['id'])
    assert r.status_code == 200, r.get_json()
    submitted = r.get_json()
    assert submitted["status"] == "in_review"
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
