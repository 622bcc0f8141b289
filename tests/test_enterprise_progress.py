"""Issue 17 §5 and §7 for the enterprise: a notice at every milestone (declared in the BPMN, rendered in the
reader's language when read), and withdrawing a submitted application nobody has decided on, deleting a draft."""

from __future__ import annotations

import re
from pathlib import Path

from app.extensions import db
from app.models import Application, Attachment, HumanTask, Notification, ProcessTimer
from tests.conftest import FULL_DATA, csrf_token, end_notice, score_panel, submit_application, task_for, text
from tests.test_timers import decide, in_notice
from tests.test_workbench import PDF, upload


def notices(api, user="acme", lang="zh_CN") -> list[str]:
    items = api.get(f"/api/v1/notifications?lang={lang}", as_=user).get_json()["items"]
    return [n["message"] for n in reversed(items)]


def test_the_enterprise_is_told_at_every_milestone_in_its_own_language(app, api, submitted):
    application = in_notice(api, submitted)
    app_id = application["id"]
    said = notices(api)
    assert said[0] == f"您的申报（第{app_id}号）已提交，浑江区工业和信息化局正在进行初审。"
    assert said[1] == f"您的申报（第{app_id}号）已通过县级初审，白山市工业和信息化局正在审核。"
    assert said[2] == f"您的申报（第{app_id}号）已通过市级审核，吉林省工业和信息化厅正在审核。"
    assert said[3] == f"您的申报（第{app_id}号）已通过省级初审，正在进行专家评审。"  # once for the whole panel
    assert said[4].startswith(f"您的申报（第{app_id}号）正在公示，公示截至") and said[4].endswith("日。")
    assert len(said) == 5
    # the same notices, read in English: rendered when read, not frozen when written
    english = notices(api, lang="en")
    assert english[3] == (f"Your application no. {app_id} passed the provincial first review and is with the "
                          "expert panel.")
    assert english[4].startswith(f"Your application no. {app_id} is on public notice until ")
    after = end_notice(app, api, app_id)
    assert after["status"] == "recognized"
    assert notices(api)[-1] == f"您的第 {app_id} 号申报已获认定。"
    assert notices(api, lang="en")[-1] == f"Your application no. {app_id} was recognized."


def test_a_return_and_a_rejection_are_told_too(api, submitted):
    application = submitted("city")
    decide(api, "rev-220602", application["id"], "return", "请补充材料")
    assert notices(api)[-1] == f"您的第 {application['id']} 号申报已被退回修改。"
    other = submitted("city", username="other")
    decide(api, "rev-220602", other["id"], "reject", "不符合条件")
    assert notices(api, "other")[-1] == f"您的第 {other['id']} 号申报未获通过。"


def test_withdrawal_before_any_decision_web_and_api(app, api, submitted, user_client):
    application = submitted("city")
    c = user_client("acme")
    url = f"/applications/{application['id']}"
    page = c.get(url).get_data(as_text=True)
    assert 'data-testid="withdraw"' in page
    r = c.post(f"{url}/withdraw", data={"csrf_token": csrf_token(c, url), "reason": "数据有误，重新准备"})
    assert r.status_code == 302
    body = api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()
    assert body["status"] == "withdrawn" and body["current_step"] is None
    assert body["history"][-1]["action"] == "withdraw" and body["history"][-1]["comment"] == "数据有误，重新准备"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(HumanTask).where(
            HumanTask.application_id == application["id"], HumanTask.state == "open")) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(ProcessTimer).where(
            ProcessTimer.application_id == application["id"], ProcessTimer.state == "waiting")) == 0
    assert api.get("/api/v1/tasks", as_="rev-220602").get_json()["total"] == 0
    office = api.get("/api/v1/notifications", as_="rev-220602").get_json()["items"]
    assert office[0]["kind"] == "withdrawn" and "撤回" in office[0]["message"]
    assert "已撤回" in text(c.get(url)) and 'data-testid="withdraw"' not in c.get(url).get_data(as_text=True)
    # twice: a conflict that changes nothing
    r = api.post(f"/api/v1/applications/{application['id']}/withdraw", as_="acme")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "not_withdrawable"


def test_no_withdrawal_once_an_office_decided(api, submitted, user_client):
    application = submitted("city")
    decide(api, "rev-220602", application["id"])  # the county approved: the city reviews
    r = api.post(f"/api/v1/applications/{application['id']}/withdraw", as_="acme", json={"reason": "x"})
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "already_decided"
    assert api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()["status"] == "in_review"
    assert task_for(api, "rev-220600", application["id"])  # still with the city
    assert 'data-testid="withdraw"' not in user_client("acme").get(
        f"/applications/{application['id']}").get_data(as_text=True)
    # someone else's application: 404
    other = submitted("city", username="other")
    assert api.post(f"/api/v1/applications/{other['id']}/withdraw", as_="acme").status_code == 404


def test_deleting_a_draft_with_its_documents(app, api, enterprise, user_client):
    enterprise("acme")
    app_id = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}
                      ).get_json()["id"]
    assert upload(api, "acme", app_id, PDF).status_code == 201
    with app.app_context():
        stored = db.session.scalars(db.select(Attachment.stored_name)).one()
        path = Path(app.config["UPLOAD_DIR"]) / stored
        assert path.is_file()
    c = user_client("acme")
    url = f"/applications/{app_id}"
    assert 'data-testid="delete-draft"' in c.get(url).get_data(as_text=True)
    r = c.post(f"{url}/delete", data={"csrf_token": csrf_token(c, url)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard")
    with app.app_context():
        assert db.session.get(Application, app_id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0
    assert not path.exists()
    assert c.get(url).status_code == 404
    # the API: 204, and a submitted application cannot be deleted
    second = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}
                      ).get_json()["id"]
    assert api.delete(f"/api/v1/applications/{second}", as_="rev-220602").status_code == 403
    assert api.delete(f"/api/v1/applications/{second}", as_="acme").status_code == 204
    third = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": FULL_DATA}
                     ).get_json()["id"]
    assert submit_application(api, "acme", third).status_code == 200
    r = api.delete(f"/api/v1/applications/{third}", as_="acme")
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "not_a_draft"
    with app.app_context():
        assert db.session.get(Application, third).status == "in_review"
        assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
            Notification.application_id == third)) >= 1


def test_every_declared_milestone_is_known():
    """The BPMN names the milestones (`enterprise_notice`); each one has its notice and its words."""
    from app.recognition.milestones import MILESTONES

    declared = set()
    for path in Path("workflows").glob("*.bpmn"):
        declared |= set(re.findall(r'name="enterprise_notice" value="([^"]+)"', path.read_text(encoding="utf-8")))
    assert declared and declared <= set(MILESTONES)
    assert {"submitted", "passed_county", "passed_city", "with_experts", "on_notice", "recommended"} <= declared


def test_a_returned_application_shows_reason_office_and_deadline_on_top(api, submitted, user_client):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={
        "decision": "return", "comment": "请补充近两年研发费用专项审计报告",
        "requested_documents": [{"doc_type": "audit_report", "note": "研发费用专项审计"}, "ip_certificate"]})
    assert r.status_code == 200, r.get_json()
    c = user_client("acme")
    for url in (f"/applications/{application['id']}", f"/applications/{application['id']}/edit"):
        html = c.get(url).get_data(as_text=True)
        banner = html.index('data-testid="returned-banner"')
        assert banner < html.index("<form", html.index("<main"))  # on top of the page, above every form
        page = text(c.get(url))
        assert "退回修改 · 浑江区工业和信息化局" in page
        assert re.search(r"退回理由：\s*请补充近两年研发费用专项审计报告", page)
        assert re.search(r"请于 \d{4}-\d{2}-\d{2} 前修改并重新提交，还剩 (19|20) 个工作日", page), page[:600]
        assert "审计报告：研发费用专项审计" in page and "知识产权证书" in page
        assert "知识产权证书：研发费用专项审计" not in page  # one note per document, not copied onto each
    assert re.search(r"已退回，请修改后重新提交\s*（剩余 (19|20) 个工作日）", text(c.get("/dashboard")))


def test_status_in_words_one_panel_row_and_the_notice_is_never_a_dash(app, api, submitted, user_client):
    application = submitted("province")
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    decide(api, "rev-220000", application["id"])  # sends it to the expert panel
    c = user_client("acme")
    url = f"/applications/{application['id']}"
    html = c.get(url).get_data(as_text=True)
    assert 'data-testid="standing">省级初审通过，专家评审中<' in html
    assert html.index('data-testid="progress"') < html.index('data-testid="evidence"')  # progress first
    assert html.count('data-step="expert_review"') == 0 and html.count('data-testid="panel"') == 1
    assert re.search(r'data-step="province_review" data-state="current"', html)
    assert "专家评审：3位专家中已有0位评分" in text(c.get(url))
    assert "省级初审通过，专家评审中" in text(c.get("/dashboard"))
    score_panel(api, application["id"])
    assert "专家评审完成，吉林省工业和信息化厅认定中" in text(c.get(url))
    decide(api, "rev-220000", application["id"])  # recognizes: the public notice
    said = re.search(r"公示中，截至\d{4}年\d{1,2}月\d{1,2}日", text(c.get(url)))
    assert said, text(c.get(url))[:800]
    dashboard = text(c.get("/dashboard"))
    assert said.group(0) in dashboard
    assert said.group(0) in text(user_client("admin").get("/admin/applications"))
    with app.app_context():
        definition = db.session.get(Application, application["id"]).instance.definition
        key, number = definition.key, definition.version
    heat = user_client("admin").get(f"/admin/definitions/{key}/versions/{number}/heat").get_data(as_text=True)
    assert re.search(r'data-step="public_notice"><td>[^<]*<span[^>]*>public_notice</span></td>\s*<td>1</td>', heat)


def test_the_enterprise_does_not_see_internal_events(api, submitted, user_client):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    assert api.post(f"/api/v1/tasks/{task['id']}/claim", as_="rev-220602").status_code == 200
    url = f"/api/v1/applications/{application['id']}"
    staff = [h["action"] for h in api.get(url, as_="admin").get_json()["history"]]
    own = [h["action"] for h in api.get(url, as_="acme").get_json()["history"]]
    assert "claim" in staff and "claim" not in own and "submit" in own
    assert "认领待办" not in text(user_client("acme").get(f"/applications/{application['id']}"))
    assert "认领待办" in text(user_client("admin").get(f"/applications/{application['id']}"))
