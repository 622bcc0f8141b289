"""Expert review and the public notice in headless Chromium: an expert scores from their inbox; a visitor
without an account objects to an application under notice; the province sees the objection."""

from __future__ import annotations

import re

from tests.conftest import approve_at_province, log_in, task_for


def to_province(api, submitted) -> dict:
    application = submitted("province")
    for reviewer in ("rev-220602", "rev-220600"):
        task = task_for(api, reviewer, application["id"])
        r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": "approve"})
        assert r.status_code == 200, r.get_json()
    return application


def test_an_expert_scores_blind_in_the_browser(page, api, submitted):
    from playwright.sync_api import expect

    application = to_province(api, submitted)
    task = task_for(api, "rev-220000", application["id"])
    api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220000", json={"decision": "approve"})
    log_in(page, "expert-1")
    expect(page).to_have_url(re.compile(r"/expert/tasks$"))
    page.get_by_role("link", name="测试精密制造有限公司").click()
    form = page.get_by_test_id("score-form")
    form.locator("input[name=score]").fill("150")
    form.get_by_label("评审意见").fill("技术先进")
    form.get_by_role("button", name="提交评分").click()
    expect(page.get_by_test_id("score-form")).to_contain_text("0 到 100")  # refused, still open
    page.get_by_test_id("score-form").locator("input[name=score]").fill("86.5")
    page.get_by_test_id("score-form").get_by_role("button", name="提交评分").click()
    expect(page).to_have_url(re.compile(r"/expert/tasks$"))
    expect(page.get_by_role("alert")).to_contain_text("评分已记录")
    mine = api.get("/api/v1/tasks?state=done", as_="expert-1").get_json()["items"]
    assert [t["result"]["score"] for t in mine] == [86.5]


def test_a_visitor_objects_and_the_province_sees_it(page, api, app, submitted, colleague):
    from playwright.sync_api import expect

    application = to_province(api, submitted)
    approve_at_province(api, application["id"])
    page.goto("/notices")  # no login
    rows = page.get_by_test_id("notices").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("测试精密制造有限公司")
    expect(rows.first).to_contain_text("吉林省 白山市 浑江区")
    expect(page.locator("body")).not_to_contain_text("91220602")  # no USCC on the public page
    rows.first.get_by_role("link", name="提出异议").click()
    form = page.get_by_test_id("objection-form")
    form.get_by_label("您的姓名").fill("王五")
    form.get_by_label("联系方式（电话或电子邮箱）").fill("wang@example.com")
    form.get_by_label("异议", exact=False).last.fill("太短")
    form.get_by_role("button", name="提交异议").click()
    expect(page.get_by_test_id("objection-form")).to_contain_text("至少 10 个字")
    page.get_by_test_id("objection-form").locator("textarea").fill("该企业主营产品并非自主研发，存在虚报。")
    page.get_by_test_id("objection-form").get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("alert")).to_contain_text("异议已收到")
    # the province (another reviewer: four eyes) opens the objection review
    reviewer = colleague("rev-220000-b", "220000")
    task = task_for(api, reviewer, application["id"])
    assert task["step"] == "objection_review"
    log_in(page, reviewer)
    page.goto(f"/tasks/{task['id']}")
    expect(page.locator("body")).to_contain_text("该企业主营产品并非自主研发，存在虚报。")
    expect(page.locator("body")).to_contain_text("wang@example.com")
