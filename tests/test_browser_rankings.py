"""考评排名 in headless Chromium: Jilin's office runs its city ranking for the year from the rankings page,
reads the table with the commended cities and the 零突破 lists, and the leading group reads it without a run
form."""

from __future__ import annotations

import re

from tests.conftest import log_in, log_out
from tests.ranking_data import add_leader, build_jilin, ship


def test_the_office_runs_the_city_ranking_and_the_leading_group_reads_it(app, page, enterprise, grant,
                                                                          password_hash):
    from playwright.sync_api import expect

    ship(app)
    year = build_jilin(app, enterprise, grant)
    add_leader(app, password_hash, "220000")

    log_in(page, "rev-220000")
    page.get_by_test_id("nav-rankings").click()
    expect(page.get_by_role("heading", name="考评排名", exact=True)).to_be_visible()
    scheme = page.locator('[data-scheme="jilin_cities"]')
    expect(scheme.get_by_label("生成年度排名")).to_have_value(str(year))
    scheme.get_by_role("button", name="生成排名").click()
    expect(page).to_have_url(re.compile(r"/rankings/runs/\d+$"))
    expect(page.get_by_role("alert")).to_contain_text(f"已生成{year}年度排名")
    results = page.get_by_test_id("results")
    expect(results.locator("tbody tr")).to_have_count(2)
    expect(results.locator('[data-rank="1"]').get_by_test_id("region")).to_have_text("长春市")
    expect(results.locator('[data-region="220100"]').get_by_test_id("score")).to_have_text("81.67")
    expect(results.locator('[data-region="220600"]').get_by_test_id("score")).to_have_text("62.50")
    expect(results.get_by_test_id("commended")).to_have_count(2)
    expect(page.get_by_test_id("breakthroughs")).to_have_text("白山市")
    expect(page.get_by_test_id("zero-breakthrough")).to_have_text("长春市")
    expect(page.get_by_test_id("latest")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    log_out(page)

    log_in(page, "leader-220000")
    page.goto("/rankings")  # the leading group's home is its dashboard (another page)
    expect(page.get_by_test_id("nav-rankings")).to_be_visible()
    scheme = page.locator('[data-scheme="jilin_cities"]')
    expect(scheme.get_by_test_id("run-form")).to_have_count(0)
    scheme.get_by_test_id("runs").locator(f'[data-year="{year}"]').get_by_role("link").click()
    expect(page.get_by_test_id("results").locator('[data-rank="1"]').get_by_test_id("region")).to_have_text("长春市")
    expect(page.get_by_test_id("run-again")).to_have_count(0)
    assert not page.js_errors
