"""The fund page in headless Chromium: the province's SME office opens its fund from the nav and ECharts draws
the committed and paid bars (a canvas inside the chart element) with no JavaScript error."""

from __future__ import annotations

import os

from tests.conftest import log_in


def test_fund_page_draws_the_chart(page, enterprise, grant):
    from playwright.sync_api import expect

    enterprise("acme", "220602", name="甲精密制造有限公司")
    grant("acme", "province")
    grant("acme", "national")
    log_in(page, "rev-220000")
    page.get_by_test_id("nav-funds").click()
    page.get_by_role("link", name="吉林省中小企业发展专项资金").click()
    expect(page.get_by_role("heading", name="吉林省中小企业发展专项资金")).to_be_visible()
    expect(page.locator('[data-balance="committed"]')).to_have_text("70")
    page.locator('#fund-chart[data-drawn="true"] canvas').wait_for()
    box = page.locator("#fund-chart canvas").first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    expect(page.get_by_test_id("by-tier").locator("tbody tr")).to_have_count(2)
    page.screenshot(path=os.environ.get("TIERFLOW_FUND_SCREENSHOT", "/tmp/tierflow-fund.png"), full_page=True)
    assert page.js_errors == []
