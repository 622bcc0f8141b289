"""运行监测 in headless Chromium: the enterprise files its figures in 万元 (revenue down a quarter), the county
office sees the follow-up the BPMN's alert rule opened and records what it found; the province reads the
response rate."""

from __future__ import annotations

import re

from tests.conftest import log_in, log_out
from tests.test_monitoring import open_jilin, setup_programmes


def test_enterprise_files_in_wan_and_the_county_follows_up(app, page, enterprise, grant):
    from playwright.sync_api import expect

    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")
    setup_programmes(app)
    open_jilin(app)

    log_in(page, "acme")
    page.get_by_test_id("nav-my-monitoring").click()
    expect(page.get_by_test_id("report-status")).to_have_text("待填报")
    page.get_by_test_id("file-link").click()
    form = page.get_by_test_id("figures-form")
    for label, value in (("营业收入", "1800.00"), ("上年同期营业收入", "2400"), ("主营业务收入", "1650.5"),
                         ("利润总额", "-12.5"), ("上缴税金", "90"), ("研发费用", "120"), ("职工总数", "160"),
                         ("研发人员数", "200")):
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_role("button", name="填报运行数据").click()
    expect(page.get_by_test_id("figures-form").locator(".invalid-feedback")).to_contain_text("研发人员不能多于从业人员")
    page.get_by_test_id("figures-form").get_by_label("研发人员数", exact=True).fill("28")
    page.get_by_test_id("figures-form").get_by_role("button", name="填报运行数据").click()
    expect(page.get_by_role("alert")).to_contain_text("运行数据已提交")
    expect(page.get_by_test_id("report-status")).to_have_text("已填报")
    expect(page.get_by_test_id("alert")).to_have_text("营业收入同比下降20％以上")
    log_out(page)

    log_in(page, "rev-220602")
    expect(page.get_by_test_id("follow-up-count")).to_have_text("1")
    page.get_by_test_id("nav-monitoring").click()
    page.get_by_test_id("follow-up-card").get_by_role("link").click()
    page.get_by_test_id("follow-ups").get_by_role("link", name="跟踪了解").click()
    expect(page).to_have_url(re.compile(r"/monitoring/reports/\d+$"))
    expect(page.get_by_test_id("figures").locator('[data-figure="revenue"]')).to_have_text("1800.00 万元")
    follow = page.get_by_test_id("follow-up-form")
    follow.get_by_label("跟踪了解情况").fill("已走访：主要客户订单转移，已对接银行续贷")
    follow.get_by_role("button", name="记录跟踪了解").click()
    expect(page.get_by_role("alert")).to_contain_text("跟踪了解情况已记录")
    expect(page.get_by_test_id("no-follow-ups")).to_be_visible()
    log_out(page)

    log_in(page, "rev-220000")
    page.get_by_test_id("nav-monitoring").click()
    page.get_by_test_id("periods").get_by_role("link").first.click()
    total = page.get_by_test_id("rates").locator('[data-region="total"]')
    expect(total.locator('[data-col="rate"]')).to_have_text("100.0%")
    expect(total.locator('[data-col="alerts"]')).to_have_text("1")
    assert not page.js_errors
