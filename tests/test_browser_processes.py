"""Bindings and routing in headless Chromium: an administrator routes construction firms of 朝阳区 to the
district's construction office and binds a variant to 白山's city tier; a bad rule is refused in Chinese and
stores nothing."""

from __future__ import annotations

import re

from tests.conftest import log_in


def test_admin_adds_a_routing_rule_and_a_binding_in_the_browser(page, live_server, app):
    from playwright.sync_api import expect

    from app.extensions import db
    from app.models import ProcessBinding, RoutingRule

    log_in(page, "admin")
    page.goto(f"{live_server}/admin/processes")
    expect(page.get_by_role("heading", name="流程绑定与路由")).to_be_visible()
    rules = page.get_by_test_id("routing-rules").locator("tbody tr")
    seeded = rules.count()

    form = page.get_by_test_id("rule-form")
    form.get_by_label("泳道").select_option("county")
    form.get_by_label("地区").select_option("220104")
    form.get_by_label("行业").select_option("construction")
    form.get_by_label("部门").select_option("220100-construction")  # a city office for a county lane
    form.get_by_role("button", name="保存规则").click()
    expect(page.get_by_text("该部门不在此泳道的层级")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RoutingRule)) == seeded

    form = page.get_by_test_id("rule-form")
    form.get_by_label("泳道").select_option("county")
    form.get_by_label("地区").select_option("220104")
    form.get_by_label("行业").select_option("construction")
    form.get_by_label("部门").select_option("220104-construction")
    form.get_by_role("button", name="保存规则").click()
    expect(page.get_by_role("alert").first).to_contain_text("路由规则已保存")
    expect(rules).to_have_count(seeded + 1)
    expect(page.get_by_test_id("routing-rules")).to_contain_text("朝阳区住房和城乡建设局")

    form = page.get_by_test_id("binding-form")
    form.get_by_label("流程定义").select_option("jinhu_library_entry")
    form.get_by_label("层级", exact=True).select_option("seed")
    form.get_by_label("地区").select_option("220600")
    form.get_by_role("button", name="保存绑定").click()
    expect(page.get_by_role("alert").first).to_contain_text("流程绑定已保存")
    row = page.get_by_test_id("bindings").locator("tr", has_text=re.compile("220600"))
    expect(row).to_contain_text("jinhu_library_entry")
    with app.app_context():
        binding = db.session.scalar(db.select(ProcessBinding).where(ProcessBinding.region_code == "220600"))
        assert binding is not None and binding.definition_key == "jinhu_library_entry" and binding.tier == "seed"
