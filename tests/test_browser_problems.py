"""问题诉求 in headless Chromium (Chinese UI): a construction firm in 长春 raises a financing problem (an empty
text refused first), 长春's construction office sees it in its inbox and resolves it, the firm confirms it."""

from __future__ import annotations

import re

from tests.conftest import log_in, log_out


def test_enterprise_raises_a_problem_and_confirms_the_answer(page, enterprise):
    from playwright.sync_api import expect

    enterprise("jianzhu", "220104", sector="construction", name="长春浏览器建设有限公司")
    log_in(page, "jianzhu")
    page.get_by_test_id("nav-my-problems").click()
    expect(page.get_by_role("heading", name="我的诉求", exact=True)).to_be_visible()
    expect(page.get_by_test_id("no-problems")).to_be_visible()
    form = page.get_by_test_id("raise-form")
    form.get_by_label("类别").select_option("finance")
    form.get_by_role("button", name="提交诉求").click()
    expect(page.get_by_test_id("raise-form").locator(".invalid-feedback")).to_be_visible()
    expect(page.get_by_test_id("no-problems")).to_be_visible()
    form = page.get_by_test_id("raise-form")
    form.get_by_label("问题描述").fill("工程款回收慢，流动资金紧张，请协调银行贷款")
    form.get_by_role("button", name="提交诉求").click()
    expect(page).to_have_url(re.compile(r"/problems/\d+$"))
    expect(page.get_by_role("alert")).to_contain_text("诉求已提交")
    expect(page.get_by_test_id("category")).to_have_text("融资")
    expect(page.get_by_test_id("held-by")).to_contain_text("长春市住房和城乡建设局")
    expect(page.get_by_test_id("problem-status")).to_have_text("办理中")
    url = page.url
    log_out(page)

    log_in(page, "rev-220100-construction")
    page.get_by_test_id("nav-problems").click()
    expect(page.get_by_test_id("problems")).to_contain_text("长春浏览器建设有限公司")
    page.get_by_role("link", name="长春浏览器建设有限公司").click()
    form = page.get_by_test_id("action-form")
    form.get_by_label("已解决：答复企业").check()
    form.get_by_label("答复或理由").fill("已对接合作银行，三个工作日内放款")
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("已办结，待企业确认")
    log_out(page)

    log_in(page, "jianzhu")
    page.goto(url)
    expect(page.get_by_test_id("resolution")).to_have_text("已对接合作银行，三个工作日内放款")
    form = page.get_by_test_id("action-form")
    form.get_by_label("已解决：确认并办结").check()
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("已办结")
    expect(page.get_by_test_id("history").locator('[data-action="problem_confirm"]')).to_contain_text("闭环")
