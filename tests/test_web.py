"""The server-rendered web UI through the Flask test client (CSRF on, Chinese by default)."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Application, Enterprise, HumanTask, User
from app.recognition.indicators import INDICATORS
from app.web.applications.forms import GROUPS
from tests.conftest import (
    FULL_DATA,
    PASSWORD,
    attach_materials,
    checklist_ticks,
    csrf_token,
    login,
    task_for,
    text,
    typed,
    valid_uscc,
)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def form_data(client, url: str, **fields) -> dict:
    """The form's CSRF token and `fields`; on a review task, the reviewer's checklist ticked 符合 unless given."""
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    ticks = checklist_ticks(page)
    return {"csrf_token": token.group(1) if token else csrf_token(client, url), **ticks, **fields}


# --- log-in, registration, language -------------------------------------------------------------

def test_home_redirects_by_role(client, user_client):
    assert client.get("/").headers["Location"].endswith("/login")
    assert user_client("rev-220602").get("/").headers["Location"].endswith("/inbox")
    assert user_client("admin").get("/").headers["Location"].endswith("/admin/applications")


def test_login_wrong_password_shows_chinese_error(client):
    r = login(client, "rev-220602", "wrong-password")
    assert r.status_code == 401
    assert "用户名或密码错误" in text(r)
    assert client.get("/inbox").status_code == 302  # still anonymous: sent to the log-in page


def test_login_then_logout(client):
    r = login(client, "rev-220602")
    assert r.status_code == 302
    page = client.get("/inbox")
    assert page.status_code == 200 and "浑江区工业和信息化局" in text(page) and "审核员" in text(page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/inbox").headers["Location"].startswith("/login")


def _registration(client, **overrides) -> dict:
    data = {"username": "newco", "password": "baishan2026", "confirm": "baishan2026", "name": "白山新材料有限公司",
            "uscc": valid_uscc("220602"), "region_code": "220602", "sector": "industry"}
    return form_data(client, "/register", **(data | overrides))


def test_register_form_lists_county_regions_with_full_names(client):
    html = client.get("/register").get_data(as_text=True)
    assert '<option value="220602">吉林省 白山市 浑江区</option>' in html
    assert '<option value="320831">江苏省 淮安市 金湖县</option>' in html
    assert 'value="220600"' not in html  # only county-level divisions
    assert ">建筑<" in html and ">文旅<" in html


def test_register_invalid_uscc_shows_error_and_creates_nothing(app, client):
    before = count(app, Enterprise), count(app, User)
    r = client.post("/register", data=_registration(client, uscc="91220602MA00000000"))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "不是有效的统一社会信用代码" in text(r)
    # the message sits next to the USCC field
    assert re.search(r'id="uscc"[^>]*>\s*<div class="invalid-feedback">[^<]*不是有效的统一社会信用代码', html)
    assert (count(app, Enterprise), count(app, User)) == before


def test_register_taken_username_is_a_conflict(app, client, enterprise):
    enterprise("acme")
    before = count(app, Enterprise)
    r = client.post("/register", data=_registration(client, username="acme"))
    assert r.status_code == 409 and "该用户名已被占用" in text(r)
    assert count(app, Enterprise) == before


def test_register_success_logs_in_and_opens_the_dashboard(app, client):
    r = client.post("/register", data=_registration(client))
    assert r.status_code == 302 and r.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard")
    assert page.status_code == 200 and "白山新材料有限公司" in text(page) and "您还没有申报" in text(page)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "newco"))
        assert user.role == "enterprise" and user.enterprise.region_code == "220602"


def test_language_switch(client):
    assert "登录" in text(client.get("/login"))
    english = text(client.get("/login?lang=en"))
    assert "Log in" in english and "Username" in english and "登录" not in english
    r = client.get("/lang/en", headers={"Referer": "http://localhost/register"})
    assert r.status_code == 302 and r.headers["Location"] == "/register"
    assert "Enterprise registration" in text(client.get("/register"))
    client.get("/lang/zh_CN")
    assert "企业注册" in text(client.get("/register"))
    assert client.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"


def test_post_without_csrf_token_is_refused(client, user_client):
    assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 400
    c = user_client("rev-220602")
    r = c.post("/logout")
    assert r.status_code == 400 and "表单已失效" in text(r)
    assert c.get("/inbox").status_code == 200  # still logged in


# --- enterprise: form, submit, status page ------------------------------------------------------

def test_form_groups_cover_every_indicator_once():
    keys = [k for _label, group in GROUPS for k in group]
    assert sorted(keys) == sorted(i.key for i in INDICATORS if i.key != "main_business_share")


def _indicator_fields(**overrides) -> dict:
    data = {k: ("y" if v else "") if isinstance(v, bool) else str(typed(k, v)) for k, v in FULL_DATA.items()}
    data.update({"ip_level": "class1_self_developed", "own_brand": "y", "strategic_emerging": "",
                 "net_profit_last_year": ""})
    return data | overrides


def test_enterprise_creates_a_draft_then_submits(app, api, user_client, enterprise):
    enterprise("acme")
    c = user_client("acme")
    page = c.get("/applications/new")
    assert page.status_code == 200 and "营业收入（上年度）（万元）" in text(page) and "如 45% 填写 45" in text(page)
    r = c.post("/applications/new", data=form_data(c, "/applications/new", target_tier="city", save="1",
                                                    **_indicator_fields()))
    assert r.status_code == 302, text(r)
    with app.app_context():
        application = db.session.scalars(db.select(Application)).one()
        assert application.status == "draft" and application.target_tier == "city"
        assert application.data["revenue_last_year"] == 300_000_000 and application.data["debt_ratio"] == 0.4
        assert application.data["high_tech_enterprise"] is True and application.data["strategic_emerging"] is False
        assert application.data["rd_institution"] == "national" and "net_profit_last_year" not in application.data
        app_id = application.id
    detail = text(c.get(f"/applications/{app_id}"))
    assert "草稿" in detail and "市级专精特新中小企业" in detail
    dashboard = text(c.get("/dashboard"))
    assert "草稿" in dashboard and "市级专精特新中小企业" in dashboard
    edit_url = f"/applications/{app_id}/edit"
    edit_page = c.get(edit_url).get_data(as_text=True)
    assert 'value="30,000.00"' in edit_page and 'value="40"' in edit_page  # 万元 and per cent
    assert "30,000.00 万元 = 3亿元 = 300,000,000 元（大写：叁亿元整）" in edit_page
    attach_materials(api, "acme", app_id)
    r = c.post(edit_url, data=form_data(c, edit_url, target_tier="city", submit="1", declaration="y",
                                             **_indicator_fields()))
    assert r.status_code == 302, text(r)
    status = c.get(f"/applications/{app_id}")
    page = text(status)
    assert "审核中" in page and "县级初审" in page and "浑江区工业和信息化局" in page and "已等待" in page
    assert re.search(r'data-step="county_review" data-state="current"', status.get_data(as_text=True))
    assert "提交申报" in page  # history


def test_service_field_errors_show_next_to_the_fields(app, user_client, enterprise):
    enterprise("acme")
    c = user_client("acme")
    r = c.post("/applications/new", data=form_data(c, "/applications/new", target_tier="city", save="1",
                                                    **_indicator_fields(employees="10", rd_staff="40")))
    assert r.status_code == 422
    assert re.search(r'id="rd_staff"[^>]*>\s*<div class="invalid-feedback">研发人员数不得超过职工总数',
                     r.get_data(as_text=True))
    assert count(app, Application) == 0


def test_submit_with_missing_required_fields_saves_nothing(app, user_client, enterprise):
    enterprise("acme")
    c = user_client("acme")
    r = c.post("/applications/new", data=form_data(c, "/applications/new", target_tier="seed", submit="1",
                                                    declaration="y", niche_years="3"))
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(r'id="revenue_last_year"[^>]*>\s*<div class="invalid-feedback">必填', html)
    assert count(app, Application) == 0  # the draft part was rolled back too


def test_editing_a_submitted_application_is_refused(app, user_client, submitted):
    application = submitted("city")
    c = user_client("acme")
    url = f"/applications/{application['id']}/edit"
    r = c.get(url)
    assert r.status_code == 409 and "不能修改" in text(r)
    token = csrf_token(c, f"/applications/{application['id']}")
    r = c.post(url, data={"csrf_token": token, "save": "1", **_indicator_fields(employees="999")})
    assert r.status_code == 409
    with app.app_context():
        assert db.session.get(Application, application["id"]).data["employees"] == FULL_DATA["employees"]


def test_other_users_cannot_open_an_application(user_client, submitted, enterprise):
    application = submitted("city")
    enterprise("other", region_code="220104")
    assert user_client("other").get(f"/applications/{application['id']}").status_code == 404
    assert user_client("rev-220104").get(f"/applications/{application['id']}").status_code == 404
    assert user_client("rev-220600").get(f"/applications/{application['id']}").status_code == 200  # on the chain
    assert user_client("admin").get(f"/applications/{application['id']}").status_code == 200
    # an office's /dashboard is the statistics dashboard, never an enterprise's applications
    assert user_client("rev-220602").get("/dashboard").headers["Location"].endswith("/dashboard/")
    assert user_client("acme").get("/inbox").status_code == 403


# --- reviewers: inbox and decisions -------------------------------------------------------------

def test_inbox_lists_pages_sorts_and_filters(app, api, user_client, submitted, enterprise):
    enterprise("acme")
    for i in range(25):
        submitted("seed" if i < 10 else "city", register=False)
    c = user_client("rev-220602")
    first = c.get("/inbox")
    page = text(first)
    assert first.status_code == 200 and "共 25 件待办" in page and "测试精密制造有限公司" in page
    assert first.get_data(as_text=True).count('href="/tasks/') == 20 * 2  # name link and button per row
    assert "第 1 / 2 页" in page and 'class="pagination' in first.get_data(as_text=True)
    second = c.get("/inbox?page=2")
    assert second.get_data(as_text=True).count('href="/tasks/') == 5 * 2
    seed = c.get("/inbox?tier=seed")
    assert "共 10 件待办" in text(seed) and seed.get_data(as_text=True).count('href="/tasks/') == 10 * 2
    def ids(r) -> list[int]:
        return [int(x) for x in re.findall(r'class="btn[^"]*" href="/tasks/(\d+)"', r.get_data(as_text=True))]

    oldest, newest = ids(c.get("/inbox?sort=oldest")), ids(c.get("/inbox?sort=newest"))
    assert len(oldest) == len(newest) == 20
    assert oldest == sorted(oldest) and newest == sorted(newest, reverse=True) and oldest[0] < newest[0]
    assert "暂无待办" in text(user_client("rev-220104").get("/inbox"))


def test_return_without_comment_is_refused_and_changes_nothing(app, api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    c = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    page = text(c.get(url))
    assert "营业收入（上年度）（万元）" in page and "30,000.00" in page and "退回修改" in page
    r = c.post(url, data=form_data(c, url, decision="return", comment="  "))
    assert r.status_code == 422 and "退回修改或不予通过时须填写理由" in text(r)
    with app.app_context():
        row = db.session.get(HumanTask, task["id"])
        assert row.state == "open" and row.claimed_by_id is None
        assert db.session.get(Application, application["id"]).status == "in_review"


def test_approve_moves_the_application_to_the_city(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    c = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    r = c.post(url, data=form_data(c, url, decision="approve", comment="材料齐全"))
    assert r.status_code == 302 and r.headers["Location"].endswith("/inbox")
    assert "已通过" in text(c.get("/inbox"))
    status = user_client("acme").get(f"/applications/{application['id']}")
    html, page = status.get_data(as_text=True), text(status)
    assert 'data-step="county_review" data-state="done"' in html
    assert 'data-step="city_review" data-state="current"' in html
    assert "白山市工业和信息化局" in page and "材料齐全" in page and "通过/推荐" in page
    # the county's decided task no longer offers a form
    assert "该待办已办结" in text(c.get(url))


def test_return_shows_the_reason_and_resubmission_restarts_at_the_county(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    c = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    r = c.post(url, data=form_data(c, url, decision="return", comment="请补充审计报告"))
    assert r.status_code == 302
    ent = user_client("acme")
    status = ent.get(f"/applications/{application['id']}")
    html, page = status.get_data(as_text=True), text(status)
    assert "退回修改" in page and "请补充审计报告" in page and "修改并重新提交" in page
    assert 'data-step="amend" data-state="current"' in html
    edit = f"/applications/{application['id']}/edit"
    assert 'name="target_tier"' not in ent.get(edit).get_data(as_text=True)  # tier fixed once submitted
    r = ent.post(edit, data=form_data(ent, edit, submit="1", declaration="y", **_indicator_fields()))
    assert r.status_code == 302, text(r)
    html = ent.get(f"/applications/{application['id']}").get_data(as_text=True)
    assert 'data-step="county_review" data-state="current"' in html
    assert 'data-step="city_review" data-state="pending"' in html


def test_decision_on_a_task_no_longer_open_is_a_conflict(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    c = user_client("rev-220602")
    url = f"/tasks/{task['id']}"
    token = csrf_token(c, url)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"})
    assert r.status_code == 200
    r = c.post(url, data={"csrf_token": token, "decision": "reject", "comment": "太迟"})
    assert r.status_code == 409 and "该待办已办结或已撤销" in text(r)


def test_another_countys_reviewer_gets_404_on_the_task(api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    assert user_client("rev-220104").get(f"/tasks/{task['id']}").status_code == 404
    assert user_client("rev-220600").get(f"/tasks/{task['id']}").status_code == 404  # city: not its task yet


# --- administrator --------------------------------------------------------------------------------

def test_admin_lists_all_applications(user_client, submitted):
    application = submitted("city")
    c = user_client("admin")
    page = c.get("/admin/applications")
    assert page.status_code == 200 and "测试精密制造有限公司" in text(page) and "浑江区工业和信息化局" in text(page)
    assert f'href="/applications/{application["id"]}"' in page.get_data(as_text=True)
    assert "共 0 件申报" in text(c.get("/admin/applications?status=recognized"))
    assert user_client("rev-220602").get("/admin/applications").status_code == 403


def test_submit_button_on_the_status_page(api, user_client, enterprise):
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "seed", "data": {"niche_years": 3}})
    app_id = r.get_json()["id"]
    c = user_client("acme")
    url = f"/applications/{app_id}"
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url), "declaration": "y"})
    assert r.status_code == 302
    page = text(c.get(url))
    assert "请修改：营业收入（上年度）（万元）：必填" in page and "草稿" in page
    api.put(url.replace("/applications", "/api/v1/applications"), as_="acme", json={"data": FULL_DATA})
    attach_materials(api, "acme", app_id)
    r = c.post(f"{url}/submit", data={"csrf_token": csrf_token(c, url), "declaration": "y"})
    assert r.status_code == 302 and "申报已提交审核" in text(c.get(url))
    assert "审核中" in text(c.get(url))


def test_login_required_pages_send_anonymous_users_to_log_in_and_back(client):
    r = client.get("/inbox")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=")
    page = client.get(r.headers["Location"])
    assert "请先登录" in text(page)
    token = csrf_token(client, "/login")
    r = client.post("/login?next=/inbox", data={"username": "rev-220602", "password": PASSWORD, "csrf_token": token})
    assert r.headers["Location"] == "/inbox"
    assert client.get("/no-such-page").status_code == 404 and "页面或记录不存在" in text(client.get("/nope"))
