"""The definition editor and the diagrams in headless Chromium: edit, deploy, see the new version; status diagram."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import ProcessDefinition
from tests.conftest import log_in
from tests.modeler_support import BPMN, SCREENSHOTS, open_editor

NEW_LABEL = "县级初审（含材料核验）"


def element_name(page, element_id: str) -> str:
    return page.evaluate(
        "(id) => window.tierflowModeler.get('elementRegistry').get(id).businessObject.name", element_id)


def test_admin_edits_a_label_deploys_and_sees_version_2(app, page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page)
    expect(page.get_by_role("heading", name="可用名称")).to_be_visible()
    # rename the county review by direct editing on the canvas
    page.locator('.djs-element[data-element-id="county_review"]').dblclick()
    editor = page.locator(".djs-direct-editing-parent")
    expect(editor).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.type(NEW_LABEL)
    page.locator('.djs-element[data-element-id="Lane_city"]').click(position={"x": 400, "y": 40})
    assert element_name(page, "county_review") == NEW_LABEL
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-editor.png")
    page.get_by_placeholder("本版本说明（选填）").fill("县级环节改名")
    page.get_by_role("button", name="部署", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/definitions/recognition$"))
    expect(page.get_by_role("alert").first).to_contain_text("已部署为第 2 版")
    row = page.locator('tr[data-version="2"]')
    expect(row).to_contain_text("第 2 版")
    expect(row).to_contain_text("当前生效")
    expect(row).to_contain_text("县级环节改名")
    with app.app_context():
        xml = db.session.scalar(db.select(ProcessDefinition.xml).where(
            ProcessDefinition.key == "recognition", ProcessDefinition.version == 2))
    # bpmn-js keeps what it has no editor for: the called decision, conditions, the step deadlines
    assert NEW_LABEL in xml and "calledDecisionId" in xml and "decision == 'return'" in xml
    assert xml.count("deadline_working_days") == BPMN.count("deadline_working_days")
    assert page.js_errors == []


def test_problems_are_listed_and_marked_then_a_lane_name_fixes_them(app, page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page)
    page.evaluate("""() => {
        const m = window.tierflowModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('Lane_county'), 'township');
    }""")
    page.get_by_role("button", name="部署", exact=True).click()
    problems = page.get_by_test_id("problems")
    expect(problems).to_be_visible()
    item = problems.locator('[data-element="Lane_county"]')
    expect(item).to_contain_text("township")
    expect(item).to_contain_text("不是已知泳道")
    expect(page.locator('.djs-element.tf-problem[data-element-id="Lane_county"]')).to_have_count(1)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.max(ProcessDefinition.version)).where(
            ProcessDefinition.key == "recognition")) == 1
    # the names panel renames the selected lane
    page.evaluate("""() => {
        const m = window.tierflowModeler;
        m.get('selection').select(m.get('elementRegistry').get('Lane_county'));
    }""")
    page.get_by_test_id("lane-names").get_by_role("button", name="county", exact=True).click()
    assert element_name(page, "Lane_county") == "county"
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#tf-status")).to_have_text("草稿已保存。")
    page.get_by_role("button", name="部署", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/definitions/recognition$"))
    expect(page.locator('tr[data-version="2"]')).to_contain_text("当前生效")
    assert page.js_errors == []


def test_enterprise_status_page_shows_the_diagram_with_the_waiting_step(page, submitted):
    from playwright.sync_api import expect

    application = submitted("city", username="acme", region_code="220602")
    log_in(page, "acme")
    page.goto(f"/applications/{application['id']}")
    section = page.get_by_test_id("diagram-section")
    page.get_by_role("button", name=re.compile("流程图")).click()
    waiting = section.locator('svg .djs-element.tf-waiting[data-element-id="county_review"]')
    expect(waiting).to_have_count(1)
    expect(section.locator('.djs-element.tf-done[data-element-id="eligibility"]')).to_have_count(1)
    expect(section.locator('.djs-connection.tf-flow[data-element-id="Flow_to_county"]')).to_have_count(1)
    expect(section.locator('.djs-element[data-element-id="city_review"].tf-done')).to_have_count(0)
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-status-diagram.png", full_page=True)
    assert page.js_errors == []


def test_admin_cockpit_and_heat_view_draw_the_diagram(page, submitted):
    from playwright.sync_api import expect

    application = submitted("city", username="acme", region_code="220602")
    log_in(page, "admin")
    page.goto(f"/admin/applications/{application['id']}/cockpit")
    expect(page.locator('.djs-element.tf-waiting[data-element-id="county_review"]')).to_have_count(1)
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-cockpit.png", full_page=True)
    page.goto("/admin/definitions/recognition/versions/1/heat")
    badge = page.locator('.tf-heat-badge[data-step="county_review"]')
    expect(badge).to_have_text("1")
    expect(page.locator('.tf-heat-badge[data-step="city_review"]')).to_have_text("0")
    expect(page.locator('.djs-element[data-element-id="county_review"].tf-heat-1')).to_have_count(1)
    assert page.js_errors == []


def test_rule_set_opens_in_the_decision_table_editor_and_deploys(app, page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page, "seed_2022")
    expect(page.locator(".tf-canvas .dmn-decision-table-container")).to_be_visible()
    expect(page.get_by_test_id("indicator-names")).to_contain_text("revenue_last_year")
    page.get_by_role("button", name="部署", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/definitions/seed_2022$"))
    expect(page.locator('tr[data-version="2"]')).to_contain_text("当前生效")
    with app.app_context():
        xml = db.session.scalar(db.select(ProcessDefinition.xml).where(
            ProcessDefinition.key == "seed_2022", ProcessDefinition.version == 2))
    assert "<text>ip_level</text>" in xml or ">ip_level<" in xml
    assert page.js_errors == []
