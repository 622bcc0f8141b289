"""Admin pages on process definitions and instances through the Flask test client (CSRF on, Chinese)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.extensions import db
from app.models import DefinitionDraft, HumanTask, ProcessDefinition, ProcessInstance
from tests.conftest import csrf_token, task_for, text

BPMN = (Path(__file__).resolve().parents[1] / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")
NEW_LABEL = "县级初审（含材料核验）"


def relabelled(xml: str = BPMN) -> str:
    changed = xml.replace('<bpmn:userTask id="county_review" name="县级初审">',
                          f'<bpmn:userTask id="county_review" name="{NEW_LABEL}">')
    assert changed != xml
    return changed


def with_unknown_lane(xml: str = BPMN) -> str:
    changed = xml.replace('<bpmn:lane id="Lane_county" name="county">', '<bpmn:lane id="Lane_county" name="township">')
    assert changed != xml
    return changed


def post_json(client, url: str, body: dict, page: str = "/admin/definitions"):
    return client.post(url, json=body, headers={"X-CSRFToken": csrf_token(client, page)})


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


def versions_of(app, key: str = "recognition") -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(ProcessDefinition.version).where(ProcessDefinition.key == key)
                                       .order_by(ProcessDefinition.version)))


# --- access ---------------------------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/definitions", "/admin/definitions/recognition", "/admin/definitions/recognition/edit",
    "/admin/definitions/recognition/edit?version=1", "/admin/definitions/seed_2022/edit",
    "/admin/definitions/recognition/versions/1.xml", "/admin/definitions/recognition/diff?a=1&b=1",
    "/admin/definitions/recognition/versions/1/heat", "/admin/definitions/recognition/migrate",
]


def test_pages_render_for_admin(user_client, submitted):
    application = submitted("city")
    admin = user_client("admin")
    for url in ADMIN_PAGES + [f"/admin/applications/{application['id']}/cockpit"]:
        r = admin.get(url)
        assert r.status_code == 200, (url, text(r)[:500])
    listing = text(admin.get("/admin/definitions"))
    assert "recognition" in listing and "seed_2022" in listing and "eligibility_check" in listing
    assert "流程定义" in listing
    versions = text(admin.get("/admin/definitions/recognition"))
    assert "第 1 版" in versions and "当前生效" in versions
    assert f"/admin/applications/{application['id']}/cockpit" in admin.get("/admin/applications").get_data(
        as_text=True)


def test_download_is_an_attachment_with_the_version_xml(user_client, shipped):
    r = user_client("admin").get("/admin/definitions/recognition/versions/1.xml")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    assert r.headers["Content-Disposition"] == "attachment; filename=recognition-v1.bpmn"
    assert r.get_data(as_text=True) == BPMN
    assert user_client("admin").get("/admin/definitions/recognition/versions/7.xml").status_code == 404
    assert user_client("admin").get("/admin/definitions/nothing").status_code == 404


@pytest.mark.parametrize("who", ["rev-220602", "acme"])
def test_reviewers_and_enterprises_are_refused(user_client, submitted, who):
    application = submitted("city")
    c = user_client(who)
    for url in ADMIN_PAGES + [f"/admin/applications/{application['id']}/cockpit"]:
        assert c.get(url).status_code == 403, url
    token = csrf_token(c, f"/applications/{application['id']}")
    headers = {"X-CSRFToken": token}
    assert c.post("/admin/definitions/recognition/draft", json={"xml": BPMN}, headers=headers).status_code == 403
    assert c.post("/admin/definitions/recognition/deploy", json={"xml": BPMN}, headers=headers).status_code == 403
    r = c.post(f"/admin/applications/{application['id']}/cockpit/suspend",
               data={"suspend-reason": "x", "suspend-csrf_token": token})
    assert r.status_code == 403


def test_anonymous_is_sent_to_the_login(client, shipped):
    r = client.get("/admin/definitions/recognition/edit")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


# --- editor: draft and deploy ---------------------------------------------------------------------

def editor_data(response) -> dict:
    match = re.search(r'<script type="application/json" id="tf-editor-data">(.*?)</script>',
                      response.get_data(as_text=True), re.S)
    assert match, "no editor data on the page"
    return json.loads(match.group(1))


def test_editor_embeds_the_version_and_the_names(user_client, shipped):
    admin = user_client("admin")
    r = admin.get("/admin/definitions/recognition/edit?version=1")
    data = editor_data(r)
    assert data["kind"] == "bpmn" and data["based_on"] == 1 and data["xml"] == BPMN and data["draft"] is False
    page = text(r)
    assert "保存草稿" in page and "部署" in page and "可用名称" in page
    for name in ("county", "province", "national", "eligibility_check", "seed_2022", "approve", "return",
                 "reject", "rd_ratio", "revenue_last_year"):
        assert f'data-name="{name}"' in r.get_data(as_text=True), name
    assert "县级主管部门" in page and "营业收入" in page
    assert "vendor/tierflow/bpmn-modeler.js" in r.get_data(as_text=True)
    # the properties panel's vocabulary, lanes with their display names, the page's language
    assert data["locale"] == "zh" and data["tierflow"]["laneNames"]["county"] == "县级"
    assert {"name": "county", "label": "县级"} in data["tierflow"]["lanes"]
    assert "draw_expert_panel" in [op["name"] for op in data["tierflow"]["operations"]]
    assert "reminder" in [kind["name"] for kind in data["tierflow"]["timerKinds"]]
    dmn = admin.get("/admin/definitions/seed_2022/edit")
    assert editor_data(dmn)["kind"] == "dmn" and "vendor/tierflow/dmn-modeler.js" in dmn.get_data(as_text=True)


def test_save_draft_then_the_editor_opens_the_draft(app, user_client, shipped):
    admin = user_client("admin")
    draft_xml = relabelled()
    r = post_json(admin, "/admin/definitions/recognition/draft", {"xml": draft_xml, "based_on": 1})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["saved"] is True and r.get_json()["message"] == "草稿已保存。"
    assert scalar(app, db.select(DefinitionDraft.based_on_version).where(DefinitionDraft.key == "recognition")) == 1
    data = editor_data(admin.get("/admin/definitions/recognition/edit"))
    assert data["draft"] is True and data["xml"] == draft_xml and data["based_on"] == 1
    assert editor_data(admin.get("/admin/definitions/recognition/edit?version=1"))["xml"] == BPMN
    listing = admin.get("/admin/definitions").get_data(as_text=True)
    assert 'data-testid="draft-marker"' in listing
    assert "正在编辑草稿" in text(admin.get("/admin/definitions/recognition"))
    # unsafe XML is refused and nothing changes
    bad = post_json(admin, "/admin/definitions/recognition/draft",
                    {"xml": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'})
    assert bad.status_code == 422
    assert scalar(app, db.select(DefinitionDraft.xml).where(DefinitionDraft.key == "recognition")) == draft_xml
    # without the CSRF header the draft is refused
    assert admin.post("/admin/definitions/recognition/draft", json={"xml": BPMN}).status_code == 400
    # discard
    r = admin.post("/admin/definitions/recognition/draft/discard",
                   data={"csrf_token": csrf_token(admin, "/admin/definitions/recognition")})
    assert r.status_code == 302
    assert scalar(app, db.select(db.func.count()).select_from(DefinitionDraft)) == 0


def test_deploy_through_the_web_creates_version_2(app, user_client, shipped):
    admin = user_client("admin")
    post_json(admin, "/admin/definitions/recognition/draft", {"xml": relabelled(), "based_on": 1})
    r = post_json(admin, "/admin/definitions/recognition/deploy", {"xml": relabelled(), "comment": "县级环节改名"})
    assert r.status_code == 201, r.get_data(as_text=True)
    body = r.get_json()
    assert body["version"] == 2 and body["message"] == "已部署为第 2 版。"
    assert body["redirect"] == "/admin/definitions/recognition"
    assert versions_of(app) == [1, 2]
    assert scalar(app, db.select(db.func.count()).select_from(DefinitionDraft)) == 0  # the draft is done
    page = admin.get(body["redirect"])
    html, visible = page.get_data(as_text=True), text(page)
    assert "已部署为第 2 版。" in visible  # flashed
    row = re.search(r'<tr data-version="2">(.*?)</tr>', html, re.S).group(1)
    assert "当前生效" in row and "县级环节改名" in row and "admin" in row
    assert "当前生效" not in re.search(r'<tr data-version="1">(.*?)</tr>', html, re.S).group(1)


def test_deploy_of_a_broken_definition_lists_the_problems_and_stores_nothing(app, user_client, shipped):
    admin = user_client("admin")
    r = post_json(admin, "/admin/definitions/recognition/deploy", {"xml": with_unknown_lane(), "comment": "x"})
    assert r.status_code == 422
    body = r.get_json()
    assert body["error"]["code"] == "invalid_definition"
    lane = [p for p in body["problems"] if p["element"] == "Lane_county"]
    assert lane and lane[0]["code"] == "unknown_lane" and "township" in lane[0]["message"]
    assert "不是已知泳道" in lane[0]["message"]
    r = post_json(admin, "/admin/definitions/recognition/deploy", {"xml": "<bpmn:definitions"})
    assert r.status_code == 422 and r.get_json()["problems"][0]["code"] == "xml_syntax"
    r = post_json(admin, "/admin/definitions/recognition/deploy", {"xml": "  "})
    assert r.status_code == 400
    assert versions_of(app) == [1]
    assert "第 2 版" not in text(admin.get("/admin/definitions/recognition"))


def test_deploy_of_a_rule_set_reading_an_unknown_key_is_refused(app, user_client, shipped):
    rules = (Path(__file__).resolve().parents[1] / "workflows" / "rules" / "seed_2022.dmn").read_text(encoding="utf-8")
    broken = rules.replace("<text>ip_level</text>", "<text>ip_levle</text>", 1)
    assert broken != rules
    r = post_json(user_client("admin"), "/admin/definitions/seed_2022/deploy", {"xml": broken})
    assert r.status_code == 422
    problem = next(p for p in r.get_json()["problems"] if p["code"] == "unknown_input")
    assert problem["element"] == "seed_2022_in_0" and "ip_levle" in problem["message"]
    assert versions_of(app, "seed_2022") == [1]


def test_diff_page_lists_a_changed_label(user_client, shipped):
    admin = user_client("admin")
    assert post_json(admin, "/admin/definitions/recognition/deploy", {"xml": relabelled()}).status_code == 201
    versions = admin.get("/admin/definitions/recognition").get_data(as_text=True)
    assert 'data-testid="diff-form"' in versions
    r = admin.get("/admin/definitions/recognition/diff?a=1&b=2")
    assert r.status_code == 200
    page = text(r)
    assert "从第 1 版到第 2 版" in page and "有改动" in page
    changed = re.search(r'data-testid="changed".*?</section>', r.get_data(as_text=True), re.S).group(0)
    assert "county_review" in changed and ">name<" in changed
    assert "用户任务" in changed and "名称" in changed  # the element's kind and the field in words
    assert "县级初审" in changed and NEW_LABEL in changed
    assert 'data-testid="added"' not in r.get_data(as_text=True)
    assert admin.get("/admin/definitions/recognition/diff?a=1").status_code == 302
    assert admin.get("/admin/definitions/recognition/diff?a=1&b=9").status_code == 404


def test_diff_lists_declared_properties_and_colours_on_the_diagram(user_client, shipped):
    """A changed spiffworkflow:property (the decisions offered) counts as a change of its task."""
    # the first user task offering these decisions is the county review
    offered = 'name="decisions" value="approve,return,reject"'
    changed_xml = BPMN.replace(offered, 'name="decisions" value="approve,return"', 1)
    assert changed_xml != BPMN
    admin = user_client("admin")
    assert post_json(admin, "/admin/definitions/recognition/deploy", {"xml": changed_xml}).status_code == 201
    r = admin.get("/admin/definitions/recognition/diff?a=1&b=2")
    html = r.get_data(as_text=True)
    changed = re.search(r'data-testid="changed".*?</section>', html, re.S).group(0)
    assert "county_review" in changed and "可选的决定" in changed and "property:decisions" in changed
    assert "approve,return,reject" in changed
    data = json.loads(re.search(r'<script type="application/json" id="tf-diff-data">(.*?)</script>', html, re.S)
                      .group(1))
    assert data["changed"] == ["county_review"] and data["added"] == [] and data["tierflow"]["laneNames"]["city"]


# --- migration ------------------------------------------------------------------------------------

def test_migrate_dry_run_then_run_with_a_reason(app, user_client, submitted):
    application = submitted("city")
    admin = user_client("admin")
    assert post_json(admin, "/admin/definitions/recognition/deploy", {"xml": relabelled()}).status_code == 201
    page = admin.get("/admin/definitions/recognition/migrate")
    assert page.status_code == 200 and 'data-testid="choose-versions"' in page.get_data(as_text=True)
    url = "/admin/definitions/recognition/migrate?from=1&to=2"
    r = admin.get(url)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'data-testid="dry-run"' in html
    assert f'<tr data-application="{application["id"]}" data-can-move="yes">' in html
    assert "测试精密制造有限公司" in text(r) and "县级初审" in text(r)
    token = csrf_token(admin, url)
    # a reason is required; nothing moves without one
    r = admin.post("/admin/definitions/recognition/migrate",
                   data={"from_version": 1, "to_version": 2, "reason": " ", "csrf_token": token})
    assert r.status_code == 422 and "必须填写理由" in text(r)
    instance_version = db.select(ProcessDefinition.version).join(
        ProcessInstance, ProcessInstance.definition_id == ProcessDefinition.id).where(
        ProcessInstance.subject_id == application["id"])
    assert scalar(app, instance_version) == 1
    r = admin.post("/admin/definitions/recognition/migrate",
                   data={"from_version": 1, "to_version": 2, "reason": "县级环节改名", "csrf_token": token})
    assert r.status_code == 200, text(r)[:500]
    html = r.get_data(as_text=True)
    assert 'data-testid="results"' in html
    assert f'<tr data-application="{application["id"]}" data-moved="yes">' in html
    assert scalar(app, instance_version) == 2
    # the same version twice is refused
    r = admin.get("/admin/definitions/recognition/migrate?from=2&to=2")
    assert r.status_code == 422


def test_migrate_is_only_for_bpmn(user_client, shipped):
    assert user_client("admin").get("/admin/definitions/seed_2022/migrate").status_code == 404


# --- cockpit --------------------------------------------------------------------------------------

def cockpit_post(client, application_id: int, action: str, **fields):
    url = f"/admin/applications/{application_id}/cockpit"
    token = csrf_token(client, url)
    data = {f"{action}-{k}": v for k, v in fields.items()} | {f"{action}-csrf_token": token}
    return client.post(f"{url}/{action}", data=data)


def instance_status(app, application_id: int) -> str:
    return scalar(app, db.select(ProcessInstance.status).where(ProcessInstance.subject_id == application_id))


def test_cockpit_shows_the_instance_and_its_forms(user_client, submitted):
    application = submitted("city")
    r = user_client("admin").get(f"/admin/applications/{application['id']}/cockpit")
    html, page = r.get_data(as_text=True), text(r)
    assert f'data-src="/applications/{application["id"]}/diagram.json"' in html
    assert "recognition" in page and "第 1 版" in page and "运行中" in page
    assert 'data-testid="form-suspend"' in html and 'data-testid="form-reassign"' in html
    assert 'name="reassign-office"' in html and 'value="220600"' in html  # every office
    assert 'data-testid="waiting-tasks"' in html and "浑江区工业和信息化局" in page


def test_cockpit_suspend_and_resume_need_a_reason(app, user_client, submitted):
    application = submitted("city")
    admin = user_client("admin")
    r = cockpit_post(admin, application["id"], "suspend", reason="")
    assert r.status_code == 422 and "必须填写理由" in text(r)
    assert instance_status(app, application["id"]) == "running"
    r = cockpit_post(admin, application["id"], "suspend", reason="材料核查中")
    assert r.status_code == 302
    assert instance_status(app, application["id"]) == "suspended"
    page = admin.get(r.headers["Location"])
    assert "已挂起" in text(page) and 'data-testid="form-resume"' in page.get_data(as_text=True)
    # suspending twice is a conflict, shown on the page
    r = cockpit_post(admin, application["id"], "suspend", reason="again")
    assert r.status_code == 409
    r = cockpit_post(admin, application["id"], "resume", reason=" ")
    assert r.status_code == 422 and instance_status(app, application["id"]) == "suspended"
    r = cockpit_post(admin, application["id"], "resume", reason="核查完毕")
    assert r.status_code == 302 and instance_status(app, application["id"]) == "running"


def test_cockpit_reassigns_the_waiting_task(app, user_client, submitted):
    application = submitted("city")
    admin = user_client("admin")
    r = cockpit_post(admin, application["id"], "reassign", office="220600", reason="")
    assert r.status_code == 422
    r = cockpit_post(admin, application["id"], "reassign", office="999999", reason="换部门")
    assert r.status_code == 422
    r = cockpit_post(admin, application["id"], "reassign", office="220600", reason="县局回避")
    assert r.status_code == 302, text(r)[:500]
    with app.app_context():
        task = db.session.scalar(db.select(HumanTask).where(HumanTask.application_id == application["id"],
                                                            HumanTask.state == "open"))
        assert task.step == "county_review" and task.office.code == "220600"
    assert "白山市工业和信息化局" in text(admin.get(r.headers["Location"]))


def test_cockpit_moves_back_to_an_earlier_step(app, api, user_client, submitted):
    application = submitted("city")
    task = task_for(api, "rev-220602", application["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"})
    assert r.get_json()["application"]["current_step"] == "city_review"
    admin = user_client("admin")
    page = admin.get(f"/admin/applications/{application['id']}/cockpit").get_data(as_text=True)
    options = re.search(r'<select[^>]*name="move_back-step".*?</select>', page, re.S).group(0)
    assert 'value="county_review"' in options and 'value="city_review"' not in options
    r = cockpit_post(admin, application["id"], "move_back", step="county_review", reason="")
    assert r.status_code == 422
    r = cockpit_post(admin, application["id"], "move_back", step="national_review", reason="试试")
    assert r.status_code == 422
    r = cockpit_post(admin, application["id"], "move_back", step="county_review", reason="县级意见需补充")
    assert r.status_code == 302, text(r)[:500]
    body = api.get(f"/api/v1/applications/{application['id']}", as_="admin").get_json()
    assert body["current_step"] == "county_review" and body["status"] == "in_review"


def test_cockpit_of_an_unknown_application_is_404(user_client, shipped):
    admin = user_client("admin")
    assert admin.get("/admin/applications/999/cockpit").status_code == 404
    token = csrf_token(admin, "/admin/definitions")
    r = admin.post("/admin/applications/999/cockpit/suspend", data={"suspend-reason": "x", "suspend-csrf_token": token})
    assert r.status_code == 404
    r = admin.post("/admin/applications/999/cockpit/explode", data={"csrf_token": token})
    assert r.status_code == 404


def test_cockpit_of_a_draft_has_no_diagram(app, api, user_client, enterprise):
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {}})
    page = user_client("admin").get(f"/admin/applications/{r.get_json()['id']}/cockpit")
    assert page.status_code == 200 and 'data-testid="no-instance"' in page.get_data(as_text=True)


# --- diagrams on the status and task pages --------------------------------------------------------

def test_diagram_json_for_the_enterprise_has_no_internals(app, user_client, submitted, enterprise):
    application = submitted("city")
    url = f"/applications/{application['id']}/diagram.json"
    mine = user_client("acme").get(url)
    assert mine.status_code == 200
    body = mine.get_json()
    assert body["key"] == "recognition" and body["version"] == 1 and body["status"] == "running"
    assert body["waiting"] == ["county_review"] and "eligibility" in body["completed"]
    assert "Flow_to_county" in body["flows"]
    assert "conditionExpression" not in body["xml"] and "decision ==" not in body["xml"]
    assert "county_review" in body["xml"]
    admin = user_client("admin").get(url).get_json()
    assert "conditionExpression" in admin["xml"]
    assert "conditionExpression" in user_client("rev-220602").get(url).get_json()["xml"]
    enterprise("other", name="别家公司")
    assert user_client("other").get(url).status_code == 404
    assert user_client("rev-140502").get(url).status_code == 404


def test_status_and_task_pages_have_the_collapsed_diagram(app, api, user_client, submitted):
    application = submitted("city")
    status_page = user_client("acme").get(f"/applications/{application['id']}")
    html = status_page.get_data(as_text=True)
    assert 'data-testid="diagram-section"' in html and "流程图" in text(status_page)
    assert f'data-src="/applications/{application["id"]}/diagram.json"' in html
    assert 'class="collapse"' in html
    task = task_for(api, "rev-220602", application["id"])
    task_page = user_client("rev-220602").get(f"/tasks/{task['id']}")
    if task_page.status_code == 302:  # the task page may live elsewhere (workbench)
        task_page = user_client("rev-220602").get(task_page.headers["Location"])
    assert task_page.status_code == 200
    assert 'data-testid="diagram-section"' in task_page.get_data(as_text=True)


def test_draft_application_has_no_diagram_section(api, user_client, enterprise):
    enterprise("acme")
    r = api.post("/api/v1/applications", as_="acme", json={"target_tier": "city", "data": {}})
    page = user_client("acme").get(f"/applications/{r.get_json()['id']}")
    assert page.status_code == 200 and 'data-testid="diagram-section"' not in page.get_data(as_text=True)
