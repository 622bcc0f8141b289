"""The workbench in headless Chromium: a reviewer filters the inbox, claims a task from the list, opens it and
approves it; the enterprise then sees its application at the next step."""

from __future__ import annotations

import os
import re

from tests.conftest import FULL_DATA, log_in, log_out


def test_reviewer_filters_claims_and_approves_from_the_inbox(page, api, enterprise):
    from playwright.sync_api import expect

    made = {}
    for username, tier, name in (("city-co", "city", "甲精密制造有限公司"), ("prov-co", "province", "乙新材料有限公司"),
                                 ("seed-co", "seed", "丙种子科技有限公司")):
        enterprise(username, "220602", name=name)
        r = api.post("/api/v1/applications", as_=username, json={"target_tier": tier, "data": dict(FULL_DATA)})
        r = api.post(f"/api/v1/applications/{r.get_json()['id']}/submit", as_=username)
        assert r.status_code == 200, r.get_json()
        made[username] = r.get_json()

    log_in(page, "rev-220602")
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_test_id("total")).to_contain_text("共 3 件待办")
    expect(page.get_by_test_id("unread-count")).to_have_text("3")

    # filter by tier
    page.get_by_label("申报层级").select_option("city")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"tier=city"))
    expect(page.get_by_test_id("total")).to_contain_text("共 1 件待办")
    rows = page.get_by_test_id("inbox").locator("tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text("甲精密制造有限公司")
    expect(row.get_by_test_id("holder")).to_have_text("未认领")

    # claim it from the list: the page comes back with the same filter, the row shows the holder
    row.get_by_role("button", name="认领").click()
    expect(page.get_by_role("alert")).to_contain_text("您已认领 甲精密制造有限公司 的待办")
    expect(page).to_have_url(re.compile(r"tier=city"))
    expect(row.get_by_test_id("holder")).to_have_text("我")
    expect(row.get_by_role("button", name="释放")).to_be_visible()
    page.screenshot(path=os.environ.get("TIERFLOW_INBOX_SCREENSHOT", "/tmp/tierflow-inbox.png"), full_page=True)

    # open it: the claim bar says who holds it; approve
    row.get_by_role("link", name="甲精密制造有限公司").click()
    expect(page.get_by_test_id("claim-bar")).to_contain_text("您自")
    expect(page.get_by_test_id("request-documents")).to_be_hidden()  # only with a return
    page.get_by_label("退回修改").check()
    expect(page.get_by_test_id("request-documents")).to_be_visible()
    page.get_by_label("推荐至市级").check()
    expect(page.get_by_test_id("request-documents")).to_be_hidden()
    for item in page.locator("[data-checklist-item]").all():  # the reviewer's checklist
        item.get_by_label("符合", exact=True).check()
    page.get_by_label("意见/理由").fill("材料齐全，同意推荐")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page).to_have_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("alert")).to_contain_text("已通过")
    expect(page.get_by_test_id("total")).to_contain_text("共 2 件待办")
    log_out(page)

    # the enterprise sees the city review waiting, and a notice
    log_in(page, "city-co")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.get_by_role("link", name="查看").click()
    expect(page).to_have_url(re.compile(rf"/applications/{made['city-co']['id']}$"))
    expect(page.get_by_test_id("status")).to_have_text("审核中")
    expect(page.locator('[data-step="county_review"]')).to_have_attribute("data-state", "done")
    current = page.locator('[aria-current="step"]')
    expect(current).to_have_attribute("data-step", "city_review")
    expect(current).to_contain_text("市级审核")
    expect(current).to_contain_text("白山市工业和信息化局")
