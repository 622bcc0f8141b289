"""The secretary workbench in headless Chromium (issue 14 §1): a secretary opens its workbench, goes to a firm,
logs a visit in the Chinese UI and finds it on the firm's 一企一册 page."""

from __future__ import annotations

from app.core import workdays
from tests.conftest import log_in
from tests.secretary_support import make_secretary


def test_a_secretary_logs_a_visit_in_the_browser(page, app, api, enterprise, password_hash):
    from playwright.sync_api import expect

    make_secretary(app, "sec-220602", "220602", password_hash, "王秘书")
    _u, firm = enterprise(name="浑江走访测试企业")
    r = api.post(f"/api/v1/enterprises/{firm['id']}/assignments", as_="rev-220602",
                 json={"secretary": "sec-220602", "leader_name": "张三", "leader_post": "区委副书记"})
    assert r.status_code == 201, r.get_json()
    log_in(page, "sec-220602")
    expect(page.get_by_role("heading", name="服务秘书工作台")).to_be_visible()
    page.get_by_test_id("firms").get_by_role("link", name="浑江走访测试企业").click()
    form = page.get_by_test_id("visit-form")
    form.get_by_label("走访人员").fill("王秘书、张三")
    form.get_by_label("走访情况").fill("了解企业用工需求")
    form.get_by_label("反映的问题").fill("技术工人招聘难")
    form.get_by_role("button", name="登记走访").click()
    expect(page.get_by_text("走访已登记")).to_be_visible()
    expect(page.get_by_test_id("visits")).to_contain_text("技术工人招聘难")
    page.get_by_role("link", name="一企一册").click()
    block = page.get_by_test_id("service-secretaries")
    expect(block).to_contain_text("王秘书")
    expect(block).to_contain_text(workdays.china_date().isoformat())
    assert page.js_errors == []
