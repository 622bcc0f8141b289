"""The enterprise's pages at a 390 px phone width (issue 17 §9): nothing scrolls sideways, the progress comes
first, tables are cards or scroll in their own box (no one-character columns), and the amounts typed in 万元 are
read back while typing."""

from __future__ import annotations

import re

from tests.conftest import browser_page, log_in, task_for
from tests.test_timers import decide

PHONE = {"width": 390, "height": 844}

# every visible table cell with text is at least two characters wide (14 px type); a card table's head is
# visually hidden (kept for screen readers)
NARROW_CELLS = """() => [...document.querySelectorAll('main td, main th')]
  .filter(c => c.offsetParent !== null && !c.closest('table.tf-cards thead') && c.innerText.trim().length >= 2)
  .filter(c => c.getBoundingClientRect().width < 26)
  .map(c => c.innerText.trim().slice(0, 20))"""


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert page.evaluate(NARROW_CELLS) == [], page.url


def test_the_enterprise_pages_fit_a_phone_with_the_progress_first(browser, live_server, api, submitted):
    from playwright.sync_api import expect

    application = submitted("province")
    decide(api, "rev-220602", application["id"])
    task = task_for(api, "rev-220600", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220600", json={
        "decision": "return", "comment": "请补充近两年研发费用专项审计报告，并说明研发人员社保缴纳情况",
        "requested_documents": [{"doc_type": "audit_report", "note": "研发费用专项审计"}]})
    assert r.status_code == 200, r.get_json()
    for locale in ("zh-CN", "en"):
        with browser_page(browser, live_server, locale=locale, viewport=PHONE) as page:
            log_in(page, "acme")
            if locale == "en":
                page.goto("/lang/en")
            page.goto("/dashboard")
            expect(page.get_by_test_id("applications")).to_be_visible()
            _fits(page)
            # the dashboard's rows are cards: the progress cell carries its column's name
            head = page.locator('[data-testid="applications"] thead')
            assert head.evaluate("e => e.getBoundingClientRect().height") <= 1
            page.goto(f"/applications/{application['id']}")
            expect(page.get_by_test_id("progress")).to_be_visible()
            _fits(page)
            top = {name: page.get_by_test_id(name).first.evaluate("e => e.getBoundingClientRect().top + scrollY")
                   for name in ("progress", "evidence", "indicators", "history", "returned-banner")}
            assert top["returned-banner"] < top["progress"] < top["evidence"] < top["indicators"] < top["history"]
            assert top["progress"] < 900, top  # within the first screen or so, not 2,500 px down
            page.goto(f"/applications/{application['id']}/edit")
            expect(page.get_by_test_id("returned-banner")).to_be_visible()
            _fits(page)


def test_amounts_are_read_back_while_typing(page, enterprise):
    from playwright.sync_api import expect

    enterprise("acme")
    log_in(page, "acme")
    page.goto("/applications/new")
    page.locator("#revenue_last_year").fill("8,650.00")
    expect(page.locator('[data-echo-for="revenue_last_year"]')).to_have_text(
        "8,650.00 万元 = 8650万元 = 86,500,000 元（大写：捌仟陆佰伍拾万元整）")
    page.locator("#debt_ratio").fill("48")
    expect(page.locator('[data-echo-for="debt_ratio"]')).to_have_text("48%（即 0.48）")
    page.locator("#rd_expense_last_year").fill("12亿")
    expect(page.locator('[data-echo-for="rd_expense_last_year"]')).to_have_text(re.compile("无法识别"))
    assert page.js_errors == []
