"""Dynamic management in headless Chromium: the county office opens a re-verification campaign (a past due
date refused in Chinese first), the member updates its yearly data in the form, the office refuses an exit
without a reason and keeps the member; the campaign's progress counts it."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

from tests.conftest import FULL_DATA, browser_page, log_in, log_out, typed


def test_office_opens_a_campaign_member_updates_office_keeps(page, enterprise, grant):
    from playwright.sync_api import expect

    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "seed")
    due = f"{date.today().year + 1}-04-30"

    # the office opens the campaign: a due date in the past is refused on the form, nothing is opened
    log_in(page, "rev-220602")
    page.get_by_test_id("nav-campaigns").click()
    expect(page.get_by_role("heading", name="动态管理", exact=True)).to_be_visible()
    expect(page.get_by_test_id("no-campaigns")).to_be_visible()
    form = page.get_by_test_id("campaign-form")
    form.get_by_label("层级或培育库").select_option("tier:seed")
    expect(form.get_by_label("数据更新截止日期")).to_have_value(due)  # 30 April by default
    form.get_by_label("数据更新截止日期").fill((date.today() - timedelta(days=1)).isoformat())
    form.get_by_role("button", name="开启复核活动").click()
    expect(page.get_by_role("alert")).to_contain_text("无法启动复核")
    expect(page.get_by_test_id("campaign-form").locator(".invalid-feedback")).to_contain_text("截止日期已过")
    expect(page.get_by_test_id("no-campaigns")).to_be_visible()
    form = page.get_by_test_id("campaign-form")
    form.get_by_label("数据更新截止日期").fill(due)
    form.get_by_role("button", name="开启复核活动").click()
    expect(page).to_have_url(re.compile(r"/lifecycle/campaigns/\d+$"))
    expect(page.get_by_role("alert")).to_contain_text("已要求 1 家成员企业更新数据")
    expect(page.get_by_test_id("progress").locator('[data-progress="members"]')).to_have_text("1")
    expect(page.get_by_test_id("campaign-cases")).to_contain_text("甲精密制造有限公司")
    log_out(page)

    # the member sees the due date and updates its data in the form
    log_in(page, "acme")
    page.get_by_test_id("nav-annual-review").click()
    expect(page.get_by_test_id("due-on")).to_have_text(due)
    page.get_by_role("link", name="更新年度数据").click()
    form = page.get_by_test_id("update-form")
    for key, value in FULL_DATA.items():
        if key == "main_business_share":  # computed from the two revenues, not asked
            continue
        field = form.locator(f'[name="{key}"]')
        if isinstance(value, bool):
            field.set_checked(value)
        elif isinstance(value, str):
            field.select_option(value)
        else:
            field.fill(str(typed(key, value)))  # 万元 and per cent
    form.get_by_role("button", name="提交年度数据").click()
    expect(page.get_by_role("alert")).to_contain_text("年度数据已提交")
    expect(page.get_by_text("部门正在作出决定。")).to_be_visible()
    log_out(page)

    # the office sees the verdict, is refused an exit without a reason, keeps the member
    log_in(page, "rev-220602")
    page.get_by_test_id("nav-lifecycle-tasks").click()
    expect(page.get_by_test_id("total")).to_contain_text("共 1 件待办")
    page.get_by_test_id("lifecycle-tasks").get_by_role("link", name="甲精密制造有限公司").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-passed", "true")
    expect(page.get_by_test_id("certificate-no")).to_contain_text("220602S")
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("退出", exact=True).check()
    decision.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert")).to_contain_text("该决定须填写理由")
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("保留", exact=True).check()
    decision.get_by_label("理由").fill("数据符合现行标准，予以保留")
    decision.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert")).to_contain_text("已保留在名录中")
    expect(page.get_by_test_id("case-status")).to_have_text("已保留")
    expect(page.get_by_test_id("history").locator('[data-action="keep"]')).to_contain_text("数据符合现行标准")
    page.get_by_role("link", name=re.compile("年度复核")).first.click()
    expect(page.get_by_test_id("progress").locator('[data-progress="kept"]')).to_have_text("1")
    expect(page.get_by_test_id("progress").locator('[data-progress="updated"]')).to_have_text("1")
    page.screenshot(path=os.environ.get("TIERFLOW_LIFECYCLE_SCREENSHOT", "/tmp/tierflow-lifecycle.png"),
                    full_page=True)
    assert page.js_errors == []


def test_my_recognitions_fits_a_phone(browser, live_server, enterprise, grant):
    """At 390 px the page does not scroll sideways: the table scrolls in its own box (its visually hidden
    texts included), in Chinese and in English."""
    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")
    for locale in ("zh-CN", "en"):
        with browser_page(browser, live_server, locale=locale, viewport={"width": 390, "height": 800}) as page:
            log_in(page, "acme")
            if locale == "en":
                page.goto("/lang/en")
            page.goto("/my/recognitions")
            page.get_by_test_id("recognitions").wait_for()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, locale
