"""One walk through the web UI in headless Chromium: a reviewer approves, the enterprise sees it move on."""

from __future__ import annotations

import os
import re

from tests.conftest import log_in, log_out


def test_reviewer_approves_and_enterprise_sees_the_city_review(page, submitted):
    from playwright.sync_api import expect

    application = submitted("city", username="acme", region_code="220602")

    log_in(page, "rev-220602")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_test_id("total")).to_contain_text("共 1 件待办")
    page.get_by_role("link", name="测试精密制造有限公司").click()
    expect(page.get_by_role("heading", name="市级专精特新中小企业")).to_be_visible()
    # the criteria only a reviewer can judge (淮安's city standard stands in for 白山's: 信用等级, 管理规范…)
    checklist = page.get_by_test_id("reviewer-checklist")
    expect(checklist).to_contain_text("管理规范")
    for item in checklist.locator("[data-checklist-item]").all():
        item.get_by_label("符合", exact=True).check()
    page.get_by_label("推荐至市级").check()
    page.get_by_label("意见/理由").fill("材料齐全，同意推荐")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("alert")).to_contain_text("已通过")
    expect(page.get_by_test_id("empty")).to_be_visible()
    log_out(page)

    log_in(page, "acme")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/applications/{application['id']}$"))
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    county = page.locator('[data-step="county_review"]')
    expect(county).to_have_attribute("data-state", "done")
    current = page.locator('[aria-current="step"]')
    expect(current).to_have_attribute("data-step", "city_review")
    expect(current).to_contain_text("市级审核")
    expect(current).to_contain_text("白山市工业和信息化局")
    expect(current).to_contain_text("已等待")
    page.screenshot(path=os.environ.get("TIERFLOW_SCREENSHOT", "/tmp/tierflow-status.png"), full_page=True)
