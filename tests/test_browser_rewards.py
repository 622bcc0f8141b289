"""奖补审核 in headless Chromium: the SME office finds the claim in its inbox and approves it; the finance
bureau is refused a rejection without a reason, approves, and records the payment with its voucher."""

from __future__ import annotations

import re

from app.core.workdays import china_date
from tests.conftest import log_in, log_out


def test_office_approves_finance_pays_with_a_voucher(page, enterprise, grant):
    from playwright.sync_api import expect

    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")

    log_in(page, "rev-220000")
    page.get_by_test_id("nav-rewards-review").click()
    expect(page.get_by_role("heading", name="奖补审核", exact=True)).to_be_visible()
    claims = page.get_by_test_id("reward-claims")
    expect(claims.get_by_test_id("amount")).to_have_text("20.00万元")
    expect(claims.get_by_test_id("status")).to_have_text("主管部门审核中")
    claims.get_by_role("link", name="甲精密制造有限公司").click()
    expect(page).to_have_url(re.compile(r"/rewards/claims/\d+$"))
    expect(page.get_by_test_id("clause")).to_contain_text("一次性20万元奖励")
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("审核通过", exact=True).check()
    decision.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_role("alert")).to_contain_text("审核通过")
    expect(page.get_by_test_id("claim-status")).to_have_text("财政部门审核中")
    log_out(page)

    log_in(page, "rev-220000-finance")
    page.get_by_test_id("nav-rewards-review").click()
    page.get_by_label("状态").select_option("finance_review")
    page.get_by_role("button", name="筛选").click()
    page.get_by_test_id("reward-claims").get_by_role("link", name="甲精密制造有限公司").click()
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("不予拨付", exact=True).check()
    decision.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_role("alert")).to_contain_text("须填写理由")
    expect(page.get_by_test_id("claim-status")).to_have_text("财政部门审核中")
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("同意拨付", exact=True).check()
    decision.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("待拨付")
    payment = page.get_by_test_id("payment-form")
    expect(payment.get_by_label("拨付日期")).to_have_value(china_date().isoformat())
    payment.get_by_label("凭证号").fill("吉财-2026-0815")
    payment.get_by_role("button", name="登记拨付").click()
    expect(page.get_by_role("alert")).to_contain_text("拨付已登记")
    expect(page.get_by_test_id("claim-status")).to_have_text("已拨付")
    expect(page.get_by_test_id("voucher")).to_contain_text("吉财-2026-0815")
    expect(page.get_by_test_id("ledger-lines").locator('[data-kind="payment"]')).to_contain_text("20.00万元")
    expect(page.get_by_test_id("history").locator('[data-action="pay"]')).to_contain_text("吉财-2026-0815")
    assert not page.js_errors
