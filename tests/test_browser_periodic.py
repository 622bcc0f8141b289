"""定期调度 in headless Chromium: a city's reporter lands on its reports, is told in Chinese which heading is
missing, then files the report to the province."""

from __future__ import annotations

import re

import pytest

from tests.conftest import log_in
from tests.periodic_support import SECTIONS, add_accounts, open_period


@pytest.fixture(autouse=True)
def accounts(app, password_hash):
    add_accounts(app, password_hash)


def test_reporter_files_a_periodic_report(page, api):
    from playwright.sync_api import expect

    open_period(api)
    log_in(page, "reporter-220600")
    expect(page.get_by_role("heading", name="本单位定期调度报告")).to_be_visible()
    row = page.get_by_test_id("reports-table").locator("tr[data-status=open]")
    expect(row).to_contain_text("2026年全年")
    expect(row).to_contain_text("2026-12-31")
    row.get_by_role("link", name="填报").click()
    expect(page).to_have_url(re.compile(r"/reports/\d+$"))
    expect(page.get_by_test_id("figures")).to_contain_text("新认定")
    form = page.get_by_test_id("report-form")
    form.get_by_label("工作成果").fill(SECTIONS["achievements"])
    form.get_by_role("button", name="报送省级").click()
    expect(page.get_by_test_id("report-form")).to_contain_text("务实举措为必填项")
    form = page.get_by_test_id("report-form")
    expect(form.get_by_label("工作成果")).to_have_value(SECTIONS["achievements"])
    form.get_by_label("务实举措").fill(SECTIONS["measures"])
    form.get_by_label("创新性工作方法").fill(SECTIONS["methods"])
    form.get_by_label("突破性政策举措").fill(SECTIONS["policies"])
    form.get_by_role("button", name="报送省级").click()
    expect(page.get_by_role("alert")).to_contain_text("报告已报送省级")
    expect(page.get_by_test_id("report-status")).to_have_text("已报送，待省级审阅")
    expect(page.get_by_test_id("section-policies")).to_contain_text(SECTIONS["policies"])
    assert page.js_errors == []
