"""The reviewer's pages on a 390 px phone (issue 17 item 9): the inbox and the lists lay out within the
viewport (table rows become cards), the decision form is reachable from the top of the task page, and a final
decision asks for confirmation there too."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import FULL_DATA, browser_page, log_in

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    with browser_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                      device_scale_factor=2) as page:
        yield page


def overflow(page) -> int:
    """How far the page lays out wider than the viewport (0: no horizontal scrolling)."""
    return page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                         " - window.innerWidth")


def inside(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_inbox_and_decision_at_390_px(phone, api, enterprise):
    from playwright.sync_api import expect

    for key, tier, name in (("a", "seed", "甲精密制造有限公司"), ("b", "city", "乙新材料有限公司"),
                            ("c", "province", "丙智能装备股份有限公司")):
        username, _company = enterprise(f"ent-{key}", "220602", name=name)
        r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": dict(FULL_DATA)})
        assert api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=username).status_code == 200
    page = phone
    log_in(page, "rev-220602")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_test_id("total")).to_contain_text("共 3 件待办")
    assert overflow(page) <= 0, overflow(page)
    page.screenshot(path=os.environ.get("TIERFLOW_PHONE_SCREENSHOT", "/tmp/tierflow-phone-inbox.png"), full_page=True)
    row = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="甲精密制造有限公司")
    review = row.get_by_role("link", name="审核", exact=True)
    review.scroll_into_view_if_needed()
    expect(review).to_be_visible()
    assert inside(page, review) and inside(page, row.get_by_role("button", name="认领"))
    # rows are cards: nothing to scroll sideways inside the table either
    assert page.evaluate("() => [...document.querySelectorAll('.table-responsive')]"
                         ".every(el => el.scrollWidth <= el.clientWidth)")
    # the 已办 / 全部 lists too
    page.get_by_test_id("list-tabs").get_by_role("link", name="全部").click()
    expect(page.get_by_test_id("applications")).to_be_visible()
    assert overflow(page) <= 0, overflow(page)
    page.go_back()
    # the task page: a link at the top leads to the decision form; its buttons are on screen
    review = page.get_by_test_id("inbox").locator("tbody tr").filter(has_text="甲精密制造有限公司") \
        .get_by_role("link", name="审核", exact=True)
    review.click()
    expect(page.get_by_test_id("decision-form")).to_be_attached()
    assert overflow(page) <= 0, overflow(page)
    page.get_by_test_id("jump-to-decision").click()
    form = page.get_by_test_id("decision-form")
    approve = form.get_by_label("予以认定")
    expect(approve).to_be_in_viewport()
    approve.check()
    submit = form.get_by_role("button", name="提交审核意见")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    assert inside(page, submit)
    submit.click()
    # a final decision: the effect to confirm, on screen
    confirm = page.get_by_test_id("confirm-button")
    expect(page.get_by_test_id("confirm-effect")).to_contain_text("将认定为")
    confirm.scroll_into_view_if_needed()
    expect(confirm).to_be_in_viewport()
    assert overflow(page) <= 0, overflow(page)
    confirm.click()
    expect(page).to_have_url(re.compile(r"/inbox(#decision)?$"))
    expect(page.get_by_test_id("total")).to_contain_text("共 2 件待办")
    assert page.js_errors == []


def test_the_application_page_prints_without_navigation_or_forms(page, submitted):
    from playwright.sync_api import expect

    application = submitted("city")
    log_in(page, "rev-220602")
    page.goto(f"/applications/{application['id']}")
    expect(page.get_by_test_id("print-links")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("print-links")).to_be_hidden()
    expect(page.get_by_test_id("indicators")).to_be_visible()  # the data is printed
    expect(page.get_by_test_id("application-number")).to_have_text(application["number"])
    page.emulate_media(media="screen")
    expect(page.locator("nav.navbar")).to_be_visible()
