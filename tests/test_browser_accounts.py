"""The registration's cascading province → city → county selector in headless Chromium (issue 17 §13): it fills
the county step by step, keeps the choice when the form comes back with errors, and without JavaScript the plain
select of every county still registers the enterprise. Also the forced password change after a reset."""

from __future__ import annotations

from tests.conftest import browser_page, valid_uscc


def _fill_account(page, username: str, password: str = "jilin2026", confirm: str | None = None) -> None:
    page.get_by_label("企业名称").fill("级联选择测试有限公司")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("确认密码").fill(confirm or password)
    page.locator("#sector").select_option("industry")


def test_the_region_selector_cascades_and_registers_the_county(page):
    from playwright.sync_api import expect

    page.goto("/register")
    picker = page.get_by_test_id("region-picker")
    province, city, county = (picker.get_by_label(name) for name in ("省", "市", "县（区）"))
    expect(province.locator("option[value='220000']")).to_have_count(1)
    expect(page.locator("#region_code")).to_be_hidden()  # the plain select is filled behind the scenes
    expect(city).to_be_disabled()
    province.select_option("220000")
    expect(city.locator("option[value='220600']")).to_have_count(1)
    expect(county).to_be_disabled()
    city.select_option("220600")
    expect(county.locator("option[value='220602']")).to_have_text("浑江区")
    county.select_option("220602")
    expect(page.locator("#region_code")).to_have_value("220602")
    province.select_option("140000")  # another province clears what was below it
    expect(page.locator("#region_code")).to_have_value("")
    expect(county).to_be_disabled()
    city.select_option("140500")
    county.select_option("140502")
    # a form with errors comes back with the three levels chosen as before, and every error shown
    _fill_account(page, "ab", confirm="different1")
    page.get_by_label("统一社会信用代码").fill("123")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".invalid-feedback:visible")).to_have_count(3)  # username, confirm and USCC at once
    expect(page.get_by_test_id("region-picker").get_by_label("县（区）")).to_have_value("140502")
    expect(page.get_by_test_id("region-picker").get_by_label("市")).to_have_value("140500")
    page.get_by_label("统一社会信用代码").fill(valid_uscc("140502").lower())
    _fill_account(page, "cascade-firm")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("企业注册成功", exact=False)).to_be_visible()
    expect(page.get_by_test_id("nav-user")).to_contain_text("91140502")  # upper-cased, of the chosen county
    assert page.js_errors == []


def test_without_javascript_the_plain_county_select_registers(browser, live_server):
    from playwright.sync_api import expect

    with browser_page(browser, live_server, java_script_enabled=False) as page:
        page.goto("/register")
        expect(page.get_by_test_id("region-picker")).to_have_count(0)
        page.locator("#region_code").select_option("220602")
        page.get_by_label("统一社会信用代码").fill(valid_uscc("220602"))
        _fill_account(page, "plain-firm")
        page.get_by_role("button", name="注册").click()
        expect(page.get_by_test_id("nav-user")).to_contain_text("级联选择测试有限公司")


def test_a_reset_password_must_be_changed_at_the_next_log_in(page, app):
    from playwright.sync_api import expect

    from app.extensions import db
    from app.models import User
    from app.org import accounts

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "rev-220602"))
        temporary = accounts.reset_password(user, user)
        db.session.commit()
    page.goto("/login")
    page.get_by_label("用户名").fill("rev-220602")
    page.get_by_label("密码").fill(temporary)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.goto("/inbox")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()  # sent back until it is changed
    page.get_by_label("当前密码").fill(temporary)
    page.get_by_label("新密码", exact=True).fill("jilin2026new")
    page.get_by_label("再次输入新密码").fill("jilin2026new")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码已修改")).to_be_visible()
    page.goto("/inbox")
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()


def test_the_english_navbar_never_breaks_a_menu_item(page):
    from playwright.sync_api import expect

    from tests.conftest import log_in

    log_in(page, "rev-220602")
    page.goto("/lang/en?next=/inbox")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    links = page.get_by_test_id("nav-menu").locator(".nav-link")
    heights = [box["height"] for box in (links.nth(i).bounding_box() for i in range(links.count()))]
    assert len(heights) > 10 and max(heights) < 1.6 * min(heights)  # one line each: none wraps inside
    brand = page.locator(".navbar-brand").bounding_box()
    account = page.get_by_test_id("nav-user").bounding_box()
    assert abs(account["y"] - brand["y"]) < brand["height"]  # the account block shares the brand's line
