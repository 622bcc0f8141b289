"""Criteria only a reviewer can judge (`reviewer_judged` in a rule set): they never block submission; on the
review step each is ticked as met, or not met with a reason — and then the step cannot approve."""

from __future__ import annotations

from app.extensions import db
from app.models import Application, AuditEvent, HumanTask
from tests.conftest import csrf_token, task_for, text


def form_data(client, url: str, **fields) -> dict:
    return {"csrf_token": csrf_token(client, url), **fields}  # exactly what is given: nothing ticked for us


def test_judged_criteria_never_block_submission(api, submitted):
    application = submitted("seed", "jinhu", "320831")
    assert application["status"] == "in_review"
    ev = api.post(f"/api/v1/applications/{application['id']}/evaluate", as_="jinhu").get_json()
    judged = [c for c in ev["criteria"] if c["kind"] == "reviewer_judged"]
    assert [c["id"] for c in judged] == ["m_tech_leading"] and judged[0]["passed"] is None
    assert ev["passed"] is True and ev["track"]["id"] == "manufacturing"
    assert ev["reviewer_judged"] == [{"id": "m_tech_leading", "name": "产品技术水平省内领先", "threshold": "省内领先"}]


def test_api_decision_with_the_checklist(app, api, submitted):
    application = submitted("seed", "jinhu", "320831")
    task = task_for(api, "rev-320831", application["id"])
    url = f"/api/v1/tasks/{task['id']}/decision"
    not_met = {"m_tech_leading": {"met": False, "reason": "检测报告显示关键指标低于省内同类产品"}}
    # an item not met cannot be approved; an untick or a missing reason is refused; nothing changes
    for body, code in (({"decision": "approve", "checklist": not_met}, "checklist_not_met"),
                       ({"decision": "approve", "checklist": {}}, "checklist_incomplete"),
                       ({"decision": "reject", "comment": "不符合", "checklist": {"m_tech_leading": {"met": False}}},
                        "checklist_incomplete"),
                       ({"decision": "approve", "checklist": {"m_tech_leading": True, "other": True}},
                        "checklist_incomplete"),
                       ({"decision": "approve", "checklist": ["m_tech_leading"]}, "invalid")):
        r = api.post(url, as_="rev-320831", json=body)
        assert r.status_code == 422 and r.get_json()["error"]["code"] == code, (body, r.get_json())
    with app.app_context():
        assert db.session.get(HumanTask, task["id"]).state == "open"
    r = api.post(url, as_="rev-320831", json={"decision": "reject", "comment": "技术水平未达省内领先",
                                               "checklist": not_met})
    assert r.status_code == 200 and r.get_json()["application"]["status"] == "rejected"
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "reject"))
        assert event.details["checklist"] == {"m_tech_leading": {
            "name": "产品技术水平省内领先", "met": False, "reason": "检测报告显示关键指标低于省内同类产品"}}


def test_api_decision_without_a_checklist_keeps_the_contract(api, submitted):
    application = submitted("seed", "jinhu", "320831")
    task = task_for(api, "rev-320831", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-320831", json={"decision": "approve"})
    assert r.status_code == 200, r.get_json()


def test_web_checklist_must_be_ticked(app, api, user_client, submitted):
    application = submitted("seed", "jinhu", "320831")
    task = task_for(api, "rev-320831", application["id"])
    c = user_client("rev-320831")
    url = f"/tasks/{task['id']}"
    page = c.get(url).get_data(as_text=True)
    assert 'data-testid="reviewer-checklist"' in page and "产品技术水平省内领先" in page
    r = c.post(url, data=form_data(c, url, decision="approve"))  # not ticked
    assert r.status_code == 422
    r = c.post(url, data=form_data(c, url, decision="approve", judged_m_tech_leading="not_met",
                                   judged_m_tech_leading_reason="未达省内领先"))
    assert r.status_code == 422 and "退回或不予通过" in text(r)
    r = c.post(url, data=form_data(c, url, decision="return", comment="请补充技术水平证明",
                                   judged_m_tech_leading="not_met"))  # not met, but no reason for it
    assert r.status_code == 422 and "请说明不符合的原因" in text(r)
    with app.app_context():
        assert db.session.get(Application, application["id"]).status == "in_review"
    # ticked: approved (a final decision would first show its effect; `confirmed` answers that)
    r = c.post(url, data=form_data(c, url, decision="approve", judged_m_tech_leading="met", confirmed="approve"))
    assert r.status_code == 302
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "approve"))
        assert event.details["checklist"]["m_tech_leading"]["met"] is True
