"""The public claim form in headless Chromium (issue 16 §8): from the login page's link, a real company files a
claim to its squatted USCC with the business licence and sees the claim number; the county's nav shows it."""

from __future__ import annotations

from tests.conftest import log_in, log_out

PDF = b"%PDF-1.4\n% business licence\n"


def test_a_company_claims_its_uscc_in_the_browser(page, enterprise, tmp_path):
    from playwright.sync_api import expect

    _u, firm = enterprise("squatter", "220602", name="抢注公司")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF)
    page.goto("/login")
    page.get_by_test_id("claim-link").click()
    expect(page.get_by_role("heading", name="认领统一社会信用代码")).to_be_visible()
    form = page.get_by_test_id("claim-form")
    form.get_by_label("统一社会信用代码").fill(firm["uscc"])
    form.get_by_label("登记名称").fill("吉林真实精密制造有限公司")
    form.get_by_label("营业执照").set_input_files(str(licence))
    form.get_by_label("联系人").fill("王真")
    form.get_by_label("联系电话").fill("139 0000 0001")
    form.get_by_label("用户名").fill("realco")
    form.get_by_label("密码", exact=True).fill("Real2026pass")
    form.get_by_label("确认密码").fill("Real2026pass")
    form.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", name="认领申请已提交")).to_be_visible()
    expect(page.get_by_test_id("claim-number")).to_contain_text("认领编号：")
    expect(page.get_by_test_id("claim-office")).to_contain_text("浑江区")
    assert page.js_errors == []

    log_in(page, "rev-220602")
    expect(page.get_by_test_id("uscc-claim-count")).to_have_text("1")
    page.get_by_test_id("nav-uscc-claims").click()
    page.get_by_role("link", name="吉林真实精密制造有限公司").click()
    expect(page.get_by_test_id("current-account")).to_contain_text("squatter")
    expect(page.get_by_test_id("decision-form")).to_be_visible()
    log_out(page)
