"""Modeling in Chinese (issue 17 item 10) in headless Chromium: the editors speak the UI language, the properties
panel edits what Tierflow reads from the diagram, lanes show their display names, the diff colours changes."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import DefinitionDraft
from tests.conftest import log_in
from tests.modeler_support import BPMN, SCREENSHOTS, open_editor


def select(page, element_id: str) -> None:
    page.evaluate("""(id) => {
        const m = window.tierflowModeler;
        m.get('selection').select(m.get('elementRegistry').get(id));
    }""", element_id)


def wait_for_property(page, element_id: str, name: str, value: str) -> None:
    """Until the element's spiffworkflow:property `name` has `value` in the modeler (the panel debounces input)."""
    page.wait_for_function("""([id, name, value]) => {
        const bo = window.tierflowModeler.get('elementRegistry').get(id).businessObject;
        const holder = (bo.extensionElements?.values || []).find((v) => v.$type === 'spiffworkflow:Properties');
        return (holder?.properties || []).some((p) => p.name === name && p.value === value);
    }""", arg=[element_id, name, value])


def draft_xml(app) -> str:
    with app.app_context():
        return db.session.scalar(db.select(DefinitionDraft.xml).where(DefinitionDraft.key == "recognition"))


def test_palette_and_context_pad_speak_chinese_and_english_on_demand(page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page)
    expect(page.locator('.djs-palette .entry[data-action="create.task"]')).to_have_attribute("aria-label", "创建任务")
    expect(page.locator('.djs-palette .entry[data-action="hand-tool"]')).to_have_attribute("aria-label", "启用抓手工具")
    page.locator('.djs-element[data-element-id="county_review"]').click()
    append_task = page.locator('.djs-context-pad .entry[data-action="append.append-task"]')
    expect(append_task).to_have_attribute("title", "追加任务")
    # the replace menu of the selected task
    page.locator('.djs-context-pad .entry[data-action="replace"]').click()
    expect(page.locator('.djs-popup [data-id="replace-with-service-task"]')).to_contain_text("服务任务")
    page.keyboard.press("Escape")
    # the same editor in English
    page.goto("/lang/en")
    open_editor(page)
    create_task = page.locator('.djs-palette .entry[data-action="create.task"]')
    expect(create_task).to_have_attribute("aria-label", "Create task")
    select(page, "county_review")
    group = page.get_by_test_id("properties-panel").locator('[data-group-id="group-tierflow"]')
    expect(group).to_contain_text("Step kind")
    expect(page.locator('.djs-element[data-element-id="Lane_county"] text').first).to_have_text("County level")
    assert page.js_errors == []


def test_decision_table_editor_speaks_chinese(page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page, "seed_2022")
    expect(page.locator(".tf-canvas .hit-policy")).to_contain_text("命中策略")
    expect(page.locator(".tf-canvas .dmn-decision-table-container")).to_contain_text("当")
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-decision-table.png")
    assert page.js_errors == []


def test_properties_panel_edits_tierflow_declarations_into_the_saved_xml(app, page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page)
    panel = page.get_by_test_id("properties-panel")
    select(page, "county_review")
    group = panel.locator('[data-group-id="group-tierflow"]')
    expect(group).to_be_visible()
    expect(group).to_contain_text("步骤类型")
    expect(group.locator('[data-entry-id="tf-task-lane"]')).to_contain_text("县级")
    expect(panel.locator("#bio-properties-panel-tf-kind")).to_have_value("decision")
    deadline = panel.locator("#bio-properties-panel-tf-deadline_working_days")
    expect(deadline).to_have_value("10")
    deadline.fill("12")
    wait_for_property(page, "county_review", "deadline_working_days", "12")
    # the condition of a flow leaving a gateway
    select(page, "Flow_county_return")
    condition = panel.locator("#bio-properties-panel-tf-condition")
    expect(condition).to_have_value(re.compile("return"))
    condition.fill("decision == 'return' and True")
    page.wait_for_function("""() => window.tierflowModeler.get('elementRegistry').get('Flow_county_return')
        .businessObject.conditionExpression.body.endsWith('and True')""")
    # the decision a business rule task calls, the operation of a service task
    select(page, "eligibility")
    expect(panel.locator("#bio-properties-panel-tf-decision-ref")).to_have_value("eligibility_check")
    select(page, "panel_draw")
    expect(panel.locator("#bio-properties-panel-tf-operation")).to_have_value("draw_expert_panel")
    expect(panel.locator("#bio-properties-panel-tf-param-exclude_home_city")).to_have_value("True")
    # a timer: its expression and escalation kind in Tierflow's group, not the standard ISO 8601 timer group
    select(page, "county_review_reminder")
    expect(panel.locator("#bio-properties-panel-tf-timer")).to_have_value(re.compile(r"deadline\("))
    expect(panel.locator("#bio-properties-panel-tf-escalation")).to_have_value("reminder")
    expect(panel.locator('[data-group-id="group-timer"]')).to_have_count(0)
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-properties-panel.png")
    # a new user task in the county lane: the panel creates its declarations
    new_id = page.evaluate("""() => {
        const m = window.tierflowModeler;
        const lane = m.get('elementRegistry').get('Lane_county');
        const pool = m.get('elementRegistry').get('Participant_recognition');
        const shape = m.get('elementFactory').createShape({ type: 'bpmn:UserTask' });
        m.get('modeling').createShape(shape, { x: lane.x + lane.width - 160, y: lane.y + lane.height / 2 + 20 }, pool);
        m.get('selection').select(shape);
        return shape.id;
    }""")
    expect(panel.locator('[data-entry-id="tf-task-lane"]')).to_contain_text("县级")
    panel.locator("#bio-properties-panel-tf-kind").select_option("decision")
    wait_for_property(page, new_id, "kind", "decision")
    panel.locator("#bio-properties-panel-tf-deadline_working_days").fill("7")
    wait_for_property(page, new_id, "deadline_working_days", "7")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#tf-status")).to_have_text("草稿已保存。")
    xml = draft_xml(app)
    assert re.search(r'<bpmn:userTask id="county_review".*?deadline_working_days" value="12"', xml, re.S)
    created = re.search(rf'<bpmn:userTask id="{new_id}".*?</bpmn:userTask>', xml, re.S).group(0)
    assert '<spiffworkflow:property name="kind" value="decision" />' in created
    assert '<spiffworkflow:property name="deadline_working_days" value="7" />' in created
    assert "decision == 'return' and True" in xml
    assert xml.count("deadline_working_days") == BPMN.count("deadline_working_days") + 1
    assert page.js_errors == []


def test_lanes_show_chinese_names_and_keep_their_keys(app, page, shipped):
    from playwright.sync_api import expect

    log_in(page, "admin")
    open_editor(page)
    county = page.locator('.djs-element[data-element-id="Lane_county"]')
    expect(county.locator("text").first).to_have_text("县级")
    expect(page.locator('.djs-element[data-element-id="Lane_province"] text').first).to_have_text("省级")
    # the properties panel shows the key, which stays in the XML
    select(page, "Lane_county")
    expect(page.locator("#bio-properties-panel-tf-lane")).to_have_value("county")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#tf-status")).to_have_text("草稿已保存。")
    assert '<bpmn:lane id="Lane_county" name="county">' in draft_xml(app)
    assert page.js_errors == []


def test_enterprise_progress_diagram_shows_chinese_lane_names(page, submitted):
    from playwright.sync_api import expect

    application = submitted("city", username="acme", region_code="220602")
    log_in(page, "acme")
    page.goto(f"/applications/{application['id']}")
    section = page.get_by_test_id("diagram-section")
    page.get_by_role("button", name=re.compile("流程图")).click()
    expect(section.locator('.djs-element[data-element-id="Lane_county"] text').first).to_have_text("县级")
    expect(section.locator('.djs-element[data-element-id="Lane_enterprise"] text').first).to_have_text("企业")
    expect(section.locator("svg[data-element-id]")).not_to_contain_text("county")
    assert page.js_errors == []


def test_visual_diff_colours_the_changed_element(app, page, shipped):
    from playwright.sync_api import expect

    from app.workflow import definitions

    changed = BPMN.replace('<bpmn:userTask id="county_review" name="县级初审">',
                           '<bpmn:userTask id="county_review" name="县级初审（新）">')
    assert changed != BPMN
    with app.app_context():
        definitions.deploy("recognition", changed, kind="bpmn")
        db.session.commit()
    log_in(page, "admin")
    page.goto("/admin/definitions/recognition/diff?a=1&b=2")
    visual = page.get_by_test_id("visual-diff")
    expect(visual).to_have_attribute("data-state", "ready")
    expect(page.locator('#tf-diff-new .djs-element.tf-diff-changed[data-element-id="county_review"]')).to_have_count(1)
    expect(page.locator('#tf-diff-old .djs-element.tf-diff-changed[data-element-id="county_review"]')).to_have_count(1)
    expect(page.locator('#tf-diff-new .djs-element.tf-diff-changed[data-element-id="city_review"]')).to_have_count(0)
    # the list names the kind of element in words
    expect(page.get_by_test_id("changed")).to_contain_text("用户任务")
    page.screenshot(path=f"{SCREENSHOTS}/tierflow-visual-diff.png", full_page=True)
    assert page.js_errors == []
