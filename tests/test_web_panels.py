"""The expert workbench (专家评审), the public notice (公示) with its objection form, and what the
province's task page shows of both, through the Flask test client (CSRF on, Chinese by default)."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import HumanTask, Objection
from tests.conftest import approve_at_province, csrf_token, score_panel, task_for, text

PANEL = ("expert-1", "expert-3", "expert-4")  # the default enterprise is in 白山市: expert-2 is never drawn
COUNTY_COMMENT = "县级核查意见：材料齐全甲乙丙"
OBJECTION_TEXT = "该企业虚报研发人员数量，实际不足一百人。"


def decide(api, reviewer: str, application_id: int, decision: str = "approve", comment: str = "") -> dict:
    r = api.post(f"/api/v1/tasks/{task_for(api, reviewer, application_id)['id']}/decision", as_=reviewer,
                 json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def to_panel(api, submitted) -> dict:
    """A province-tier application approved by county (with a comment) and city, sent to the panel."""
    application = submitted("province")
    decide(api, "rev-220602", application["id"], comment=COUNTY_COMMENT)
    decide(api, "rev-220600", application["id"])
    application = decide(api, "rev-220000", application["id"])
    assert application["current_step"] == "expert_review"
    return application


def expert_task_id(api, username: str, application_id: int) -> int:
    items = [t for t in api.get("/api/v1/tasks", as_=username).get_json()["items"]
             if t["application_id"] == application_id]
    assert len(items) == 1, f"{username} holds {len(items)} panel tasks"
    return items[0]["id"]


def task_state(app, task_id: int) -> tuple[str, dict | None]:
    with app.app_context():
        task = db.session.get(HumanTask, task_id)
        return task.state, task.result


def objection_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Objection))


def under_notice(api, submitted) -> dict:
    """A province-tier application through the panel and the province's second review: in public notice."""
    application = submitted("province")
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    application = approve_at_province(api, application["id"])
    assert application["current_step"] == "public_notice"
    return application


def uscc_of(api, application_id: int) -> str:
    return api.get(f"/api/v1/applications/{application_id}", as_="acme").get_json()["enterprise"]["uscc"]


# --- expert workbench -----------------------------------------------------------------------------

def test_expert_lands_on_the_expert_workbench(api, user_client, submitted):
    application = to_panel(api, submitted)
    expert = user_client("expert-1")
    assert expert.get("/").headers["Location"].endswith("/expert/tasks")
    page = expert.get("/expert/tasks")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="nav-expert"' in html and 'href="/expert/tasks"' in html
    task_id = expert_task_id(api, "expert-1", application["id"])
    assert f'href="/expert/tasks/{task_id}"' in html
    assert "测试精密制造有限公司" in text(page) and "省级专精特新中小企业" in text(page)
    assert 'data-testid="days-left"' in html  # the due date with the working days left
    # the expert pages are for experts only; an expert not on the panel has nothing to score
    assert user_client("rev-220000").get("/expert/tasks").status_code == 403
    other = user_client("expert-2").get("/expert/tasks")
    assert other.status_code == 200 and "测试精密制造有限公司" not in text(other)


def test_expert_task_page_is_blind(app, api, user_client, submitted):
    application = to_panel(api, submitted)
    # expert-3 scores first, with a score and an opinion expert-1 must not see
    score_panel(api, application["id"], {"expert-3": 67.5})
    r = api.post(f"/api/v1/tasks/{expert_task_id(api, 'expert-4', application['id'])}/score", as_="expert-4",
                 json={"score": 91.5, "comment": "第四位专家的独立意见戊己庚"})
    assert r.status_code == 200, r.get_json()

    page = user_client("expert-1").get(f"/expert/tasks/{expert_task_id(api, 'expert-1', application['id'])}")
    assert page.status_code == 200
    html, visible = page.get_data(as_text=True), text(page)
    # the application's own data and the score form
    assert "测试精密制造有限公司" in visible
    assert 'data-testid="indicators"' in html and "30,000.00" in visible  # 万元
    assert 'data-testid="self-evaluation"' in html
    assert 'data-testid="score-form"' in html and 'name="score"' in html and 'name="comment"' in html
    # nothing of the other experts, the history or the reviewers
    for hidden in ("expert-3", "expert-4", "expert-2", "67.5", "91.5", "第四位专家的独立意见戊己庚", "符合要求",
                   COUNTY_COMMENT, "浑江区工业和信息化局", "白山市工业和信息化局", "rev-220602"):
        assert hidden not in html, hidden
    assert 'data-testid="expert-panel"' not in html


def test_bad_score_is_refused_and_the_task_stays_open(app, api, user_client, submitted):
    application = to_panel(api, submitted)
    task_id = expert_task_id(api, "expert-1", application["id"])
    expert = user_client("expert-1")
    url = f"/expert/tasks/{task_id}"

    r = expert.post(url, data={"csrf_token": csrf_token(expert, url), "score": "150", "comment": "理由充分的意见"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'name="score"[^>]*class="[^"]*is-invalid|class="[^"]*is-invalid[^"]*"[^>]*name="score"', html)
    assert "理由充分的意见" in html  # the input is kept
    assert task_state(app, task_id) == ("open", None)

    r = expert.post(url, data={"csrf_token": csrf_token(expert, url), "score": "80", "comment": "   "})
    assert r.status_code == 422
    assert re.search(r'class="[^"]*is-invalid[^"]*"[^>]*name="comment"|name="comment"[^>]*class="[^"]*is-invalid',
                     r.get_data(as_text=True))
    assert task_state(app, task_id) == ("open", None)

    r = expert.post(url, data={"csrf_token": csrf_token(expert, url), "score": "abc", "comment": "意见"})
    assert r.status_code == 422 and task_state(app, task_id) == ("open", None)

    # without the CSRF token nothing is recorded either
    assert expert.post(url, data={"score": "80", "comment": "意见"}).status_code == 400
    assert task_state(app, task_id) == ("open", None)
    assert expert_task_id(api, "expert-1", application["id"]) == task_id  # still in the open list


def test_good_score_is_recorded_and_leaves_the_open_list(app, api, user_client, submitted):
    application = to_panel(api, submitted)
    task_id = expert_task_id(api, "expert-1", application["id"])
    expert = user_client("expert-1")
    url = f"/expert/tasks/{task_id}"

    r = expert.post(url, data={"csrf_token": csrf_token(expert, url), "score": "85.5", "comment": "创新能力突出"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/expert/tasks")
    assert task_state(app, task_id) == ("completed", {"score": 85.5, "comment": "创新能力突出"})

    listing = expert.get("/expert/tasks")
    html = listing.get_data(as_text=True)
    assert 'role="alert"' in html and "测试精密制造有限公司" in text(listing)  # the flash names the enterprise
    assert f'href="/expert/tasks/{task_id}"' not in html  # gone from the open list

    done = expert.get("/expert/tasks?state=done")
    html = done.get_data(as_text=True)
    assert f'href="/expert/tasks/{task_id}"' in html
    assert re.search(r'data-testid="my-score">\s*85.5\s*<', html)

    # the task page is read-only now, with the expert's own result
    page = expert.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="task-closed"' in html
    assert 'data-testid="score-form"' not in html and "创新能力突出" in text(page)
    assert re.search(r'data-testid="my-score">\s*85.5\s*<', html)
    # a second score is a conflict and changes nothing
    token = csrf_token(expert, "/expert/tasks")
    r = expert.post(url, data={"csrf_token": token, "score": "10", "comment": "改分"})
    assert r.status_code == 409
    assert task_state(app, task_id) == ("completed", {"score": 85.5, "comment": "创新能力突出"})


def test_expert_cannot_open_another_experts_task(app, api, user_client, submitted):
    application = to_panel(api, submitted)
    task_id = expert_task_id(api, "expert-1", application["id"])
    outsider = user_client("expert-2")
    assert outsider.get(f"/expert/tasks/{task_id}").status_code == 404
    assert user_client("expert-3").get(f"/expert/tasks/{task_id}").status_code == 404
    token = csrf_token(outsider, "/expert/tasks")
    r = outsider.post(f"/expert/tasks/{task_id}", data={"csrf_token": token, "score": "10", "comment": "越权"})
    assert r.status_code == 404
    assert task_state(app, task_id) == ("open", None)
    # and a reviewer may not use the expert pages at all
    assert user_client("rev-220000").get(f"/expert/tasks/{task_id}").status_code == 403


# --- the province's task page ---------------------------------------------------------------------

def test_province_task_page_shows_the_panel_result_without_names(api, user_client, submitted):
    application = to_panel(api, submitted)
    province = user_client("rev-220000")
    score_panel(api, application["id"], {"expert-1": 70, "expert-3": 80, "expert-4": 95})
    task = task_for(api, "rev-220000", application["id"])
    page = province.get(f"/tasks/{task['id']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="expert-panel"' in html
    assert re.search(r'data-testid="panel-mean">\s*81.7\s*<', html)  # (70 + 80 + 95) / 3
    assert re.search(r'data-testid="panel-spread">\s*25\s*<', html)
    assert re.search(r'data-testid="panel-scored">\s*3 / 3\s*<', html)
    for name in PANEL:
        assert name not in html


def test_province_first_review_has_no_panel_card(api, user_client, submitted):
    application = submitted("province")
    decide(api, "rev-220602", application["id"])
    decide(api, "rev-220600", application["id"])
    task = task_for(api, "rev-220000", application["id"])
    html = user_client("rev-220000").get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert 'data-testid="latest-evaluation"' in html and 'data-testid="expert-panel"' not in html
    assert 'data-testid="objections"' not in html


# --- public notice --------------------------------------------------------------------------------

def test_anonymous_notice_list_shows_name_region_and_tier_only(app, api, client, submitted):
    assert "测试精密制造有限公司" not in text(client.get("/notices"))
    application = under_notice(api, submitted)
    uscc = uscc_of(api, application["id"])

    r = client.get("/notices")
    assert r.status_code == 200
    html, visible = r.get_data(as_text=True), text(r)
    assert 'data-testid="nav-notices"' in html  # in the navigation for anonymous visitors
    row = re.search(rf'<tr data-application="{application["id"]}">(.*?)</tr>', html, re.S)
    assert row, "the application is not listed"
    assert "测试精密制造有限公司" in row.group(1) and "吉林省 白山市 浑江区" in row.group(1)
    assert "省级专精特新中小企业" in row.group(1)
    assert re.search(r'data-testid="notice-ends">\s*\d{4}-\d{2}-\d{2}\s*<', row.group(1))
    assert f'href="/notices/{application["id"]}/objection"' in html
    for secret in (uscc, "300,000,000", "300000000", "285,000,000", "符合要求"):
        assert secret not in visible and secret not in html, secret
    assert 'data-testid="indicators"' not in html and 'data-testid="evaluation"' not in html

    form = client.get(f"/notices/{application['id']}/objection")
    assert form.status_code == 200 and uscc not in form.get_data(as_text=True)
    assert "吉林省 白山市 浑江区" in text(form) and "300,000,000" not in text(form)


def test_objection_form_validation_creates_nothing(app, api, client, submitted):
    application = under_notice(api, submitted)
    url = f"/notices/{application['id']}/objection"

    r = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "张三", "contact": "13800000000",
                               "text": ""})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'class="[^"]*is-invalid[^"]*"[^>]*name="text"|name="text"[^>]*class="[^"]*is-invalid', html)
    assert 'value="张三"' in html and 'value="13800000000"' in html  # the input is kept
    assert objection_count(app) == 0

    # too short for the service (at least 10 characters): its field message shows, nothing is filed
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "张三", "contact": "13800000000",
                               "text": "有问题"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'<textarea[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="text"', html)
    assert "有问题" in html
    assert objection_count(app) == 0

    # no CSRF token: refused
    r = client.post(url, data={"name": "张三", "contact": "13800000000", "text": OBJECTION_TEXT})
    assert r.status_code == 400 and objection_count(app) == 0


def test_objection_to_an_application_not_under_notice_is_404(app, client, submitted):
    application = submitted("province")  # still at the county
    url = f"/notices/{application['id']}/objection"
    assert client.get(url).status_code == 404
    assert client.get("/notices/999999/objection").status_code == 404
    token = csrf_token(client, "/login")
    r = client.post(url, data={"csrf_token": token, "name": "张三", "contact": "13800000000",
                               "text": OBJECTION_TEXT})
    assert r.status_code == 404 and objection_count(app) == 0


def test_objection_reaches_the_provinces_objection_review(app, api, client, user_client, submitted):
    application = under_notice(api, submitted)
    url = f"/notices/{application['id']}/objection"
    objection_text = OBJECTION_TEXT
    r = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "李四", "contact": "lisi@example.com",
                               "text": objection_text})
    assert r.status_code == 302 and r.headers["Location"].endswith("/notices")
    assert objection_count(app) == 1
    thanks = client.get("/notices")
    assert 'role="alert"' in thanks.get_data(as_text=True) and "测试精密制造有限公司" in text(thanks)
    assert objection_text not in text(thanks)  # objections are not published

    task = task_for(api, "rev-220000", application["id"])
    assert task["step"] == "objection_review"
    page = user_client("rev-220000").get(f"/tasks/{task['id']}")
    assert page.status_code == 200
    html, visible = page.get_data(as_text=True), text(page)
    assert 'data-testid="objections"' in html and 'data-testid="objection-decisions"' in html
    card = re.search(r'data-testid="objections"(.*?)</section>', html, re.S).group(1)
    assert "李四" in card and "lisi@example.com" in card and objection_text in card
    assert re.search(r'data-state="open"', card)
    assert "objection_review" not in visible  # the step has a label
    assert 'data-testid="expert-panel"' not in html


def test_step_labels_come_from_the_bpmn_in_either_language(app):
    from flask_babel import force_locale

    from app.web.labels import step_label

    with app.test_request_context():
        labels = {step: step_label(step) for step in ("expert_review", "public_notice", "objection_review",
                                                      "spot_check")}
        assert labels == {"expert_review": "专家评审", "public_notice": "公示期", "objection_review": "异议核查",
                          "spot_check": "实地抽查"}
        with force_locale("en"):
            assert step_label("objection_review") == "Objection review"
        assert step_label("not_a_step", "旁注") == "旁注"


def test_expert_notice_leads_to_the_panel_task(api, user_client, submitted):
    application = to_panel(api, submitted)
    task_id = expert_task_id(api, "expert-1", application["id"])
    page = user_client("expert-1").get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/expert/tasks/{task_id}" in html  # not the application's page, which an expert may not open
    assert f"/applications/{application['id']}" not in html


def test_the_enterprise_sees_its_public_notice_on_the_status_page(api, user_client, submitted):
    application = under_notice(api, submitted)
    ends = api.get("/api/v1/notices").get_json()["items"][0]["notice_ends"]
    page = user_client("acme").get(f"/applications/{application['id']}")
    html = page.get_data(as_text=True)
    current = re.search(r'<li[^>]*data-step="public_notice" data-state="current"[^>]*>(.*?)</li>', html, re.S)
    assert current is not None, "the timeline shows the public notice as the current step"
    assert "公示" in current.group(1) and f"公示截止于 {ends[:10]}" in re.sub(r"\s+", " ", current.group(1))
