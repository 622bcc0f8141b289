"""Process definitions through the admin API: versions, new applications on the new version, migration."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import task_for

BPMN = (Path(__file__).resolve().parents[1] / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")


def with_technical_step(xml: str = BPMN) -> str:
    """The chain with an extra technical step (worked by the city office) between county and city review."""
    xml = xml.replace('<bpmn:flowNodeRef>city_review</bpmn:flowNodeRef>',
                      '<bpmn:flowNodeRef>technical_review</bpmn:flowNodeRef>\n'
                      '        <bpmn:flowNodeRef>city_review</bpmn:flowNodeRef>')
    xml = xml.replace('<bpmn:incoming>Flow_county_up</bpmn:incoming>',
                      '<bpmn:incoming>Flow_technical_done</bpmn:incoming>')
    city = '    <bpmn:userTask id="city_review" name="市级审核">'
    xml = xml.replace(city, '''    <bpmn:userTask id="technical_review" name="技术评审">
      <bpmn:incoming>Flow_county_up</bpmn:incoming>
      <bpmn:outgoing>Flow_technical_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="city_review" name="市级审核">''')
    xml = xml.replace('sourceRef="county_decision" targetRef="city_review" />',
                      'sourceRef="county_decision" targetRef="technical_review" />\n'
                      '    <bpmn:sequenceFlow id="Flow_technical_done" sourceRef="technical_review" '
                      'targetRef="city_review" />')
    assert "technical_review" in xml
    return xml


def deploy(api, xml: str, key: str = "recognition", comment: str = "test"):
    return api.post(f"/api/v1/process-definitions/{key}/versions?comment={comment}", as_="admin",
                    data=xml.encode(), content_type="application/xml")


def approve(api, reviewer: str, application_id: int) -> dict:
    task = task_for(api, reviewer, application_id)
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_=reviewer, json={"decision": "approve"})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def test_only_admins(api, submitted):
    submitted("city")
    assert api.get("/api/v1/process-definitions").status_code == 401
    assert api.get("/api/v1/process-definitions", as_="rev-220602").status_code == 403
    assert api.get("/api/v1/process-definitions/recognition/versions/1", as_="rev-220602").status_code == 403
    r = api.post("/api/v1/process-definitions/recognition/versions", as_="acme", data=BPMN.encode(),
                 content_type="application/xml")
    assert r.status_code == 403
    items = api.get("/api/v1/process-definitions", as_="admin").get_json()["items"]
    assert next(d for d in items if d["key"] == "recognition")["active_version"] == 1  # nothing was deployed


def test_list_and_download(api, submitted):
    submitted("city")
    body = api.get("/api/v1/process-definitions", as_="admin").get_json()
    recognition = next(d for d in body["items"] if d["key"] == "recognition")
    assert recognition["kind"] == "bpmn" and recognition["active_version"] == 1
    assert recognition["versions"][0]["running"] == 1
    assert {d["key"] for d in body["items"]} >= {"recognition", "eligibility_check", "seed_2022"}
    r = api.get("/api/v1/process-definitions/recognition/versions/1", as_="admin")
    assert r.status_code == 200 and r.mimetype == "application/xml" and r.get_data(as_text=True) == BPMN
    assert api.get("/api/v1/process-definitions/recognition/versions/9", as_="admin").status_code == 404


def test_new_version_for_new_applications_old_ones_finish_on_theirs(api, submitted, colleague):
    old = submitted("city")
    r = deploy(api, with_technical_step(), comment="technical")
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["version"] == 2 and r.get_json()["active"] is True and r.get_json()["comment"] == "technical"
    new = submitted("city", username="newco", region_code="220602")
    # the old application skips the technical step; the new one passes through it
    assert approve(api, "rev-220602", old["id"])["current_step"] == "city_review"
    after = approve(api, "rev-220602", new["id"])
    assert after["current_step"] == "technical_review" and after["current_office"]["code"] == "220600"
    assert approve(api, "rev-220600", new["id"])["current_step"] == "city_review"
    # four eyes: the technical step's reviewer may not also decide the city review
    assert approve(api, colleague("rev-220600-b", "220600"), new["id"])["status"] == "recognized"
    assert approve(api, "rev-220600", old["id"])["status"] == "recognized"
    catalog = api.get("/api/v1/process-definitions", as_="admin").get_json()["items"]
    recognition = next(d for d in catalog if d["key"] == "recognition")
    assert recognition["active_version"] == 2 and [v["version"] for v in recognition["versions"]] == [2, 1]


def test_migration_dry_run_and_run(app, api, submitted):
    from app.extensions import db
    from app.models import AuditEvent, ProcessInstance, User
    from app.workflow import migration

    at_county = submitted("national")
    at_province = submitted("national", username="second")
    for reviewer in ("rev-220602", "rev-220600"):
        approve(api, reviewer, at_province["id"])
    renamed = BPMN.replace('id="province_review"', 'id="province_first_review"') \
        .replace(">province_review<", ">province_first_review<") \
        .replace('"province_review"', '"province_first_review"')
    assert deploy(api, renamed).status_code == 201
    with app.app_context():
        plan = {row["application_id"]: row for row in migration.plan("recognition", 1, 2)}
        assert plan[at_county["id"]]["can_move"] is True and plan[at_county["id"]]["reasons"] == []
        assert plan[at_province["id"]]["can_move"] is False
        assert "province_review" in plan[at_province["id"]]["reasons"][0]
        # a dry run changes nothing
        assert {i.definition.version for i in db.session.scalars(db.select(ProcessInstance))} == {1}
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        results = {r["application_id"]: r for r in migration.run(admin, "recognition", 1, 2, "新规程")}
        db.session.commit()
        assert results[at_county["id"]]["moved"] and not results[at_province["id"]]["moved"]
        versions = {i.subject_id: i.definition.version for i in db.session.scalars(  # applications only: the
            db.select(ProcessInstance).where(ProcessInstance.process == "recognition"))}  # ids of claims overlap
        assert versions == {at_county["id"]: 2, at_province["id"]: 1}
        moved = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "migrate")).all()
        assert [e.application_id for e in moved] == [at_county["id"]] and moved[0].comment == "新规程"
    # both still advance on their own versions
    after = approve(api, "rev-220602", at_county["id"])
    after = approve(api, "rev-220600", at_county["id"])
    assert after["current_step"] == "province_first_review"
    assert approve(api, "rev-220000", at_province["id"])["current_step"] == "expert_review"


def test_admin_instance_actions(app, api, submitted):
    from app.core.errors import Invalid
    from app.extensions import db
    from app.models import User
    from app.recognition import instance_admin

    application = submitted("province")
    approve(api, "rev-220602", application["id"])
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        try:
            instance_admin.suspend(admin, application["id"], " ")
        except Invalid:
            db.session.rollback()
        else:
            raise AssertionError("a reason is required")
        instance_admin.suspend(admin, application["id"], "核查举报")
        db.session.commit()
    assert api.get("/api/v1/tasks", as_="rev-220600").get_json()["total"] == 0
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.resume(admin, application["id"], "核查完毕")
        instance_admin.reassign(admin, application["id"], "220100", "白山市局回避")
        db.session.commit()
    task = task_for(api, "rev-220100", application["id"])
    assert task["step"] == "city_review"
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "admin"))
        instance_admin.move_back(admin, application["id"], "county_review", "需县级重新初审")
        db.session.commit()
    after = api.get(f"/api/v1/applications/{application['id']}", as_="acme").get_json()
    assert after["current_step"] == "county_review"
    actions = [h["action"] for h in after["history"]]
    assert actions[-4:] == ["suspend", "resume", "reassign", "move_back"]
    assert api.get("/api/v1/tasks", as_="rev-220100").get_json()["total"] == 0
    assert approve(api, "rev-220602", application["id"])["current_step"] == "city_review"


def test_deploy_shipped_upgrade_adds_a_version_only_when_the_file_changed(app, tmp_path):
    from app.extensions import db
    from app.workflow import definitions

    (tmp_path / "recognition.bpmn").write_text(BPMN, encoding="utf-8")
    with app.app_context():
        assert [d.version for d in definitions.deploy_shipped(tmp_path, upgrade=True)] == [1]  # a fresh database
        assert definitions.deploy_shipped(tmp_path, upgrade=True) == []  # same as version 1
        (tmp_path / "recognition.bpmn").write_text(BPMN.replace('name="县级初审"', 'name="县级初审（新）"'),
                                                   encoding="utf-8")
        assert definitions.deploy_shipped(tmp_path) == []  # without --upgrade: only missing keys
        upgraded = definitions.deploy_shipped(tmp_path, upgrade=True)
        db.session.commit()
        assert [(d.key, d.version) for d in upgraded] == [("recognition", 2)]
        assert definitions.active("recognition").version == 2


def test_a_condition_that_fails_at_run_time_is_a_clear_422_in_chinese_and_changes_nothing(api, submitted):
    broken = BPMN.replace("decision == 'approve' and target_tier == 'seed'",
                          "decision == 'approve' and no_such_fact == 'seed'", 1)
    assert broken != BPMN
    application = submitted("city")  # started on version 1; the broken version is only for new ones
    r = deploy(api, broken, comment="broken")
    assert r.status_code == 201, r.get_json()
    victim = submitted("city", username="victim", region_code="220602")
    task = task_for(api, "rev-220602", victim["id"])
    r = api.post(f"/api/v1/tasks/{task['id']}/decision", as_="rev-220602", json={"decision": "approve"},
                 headers={"Accept-Language": "zh-CN"})
    assert r.status_code == 422, r.get_json()
    assert r.get_json()["error"]["message"].startswith("审核流程无法继续：")
    assert task_for(api, "rev-220602", victim["id"])["id"] == task["id"]  # still waiting, nothing decided
    assert approve(api, "rev-220602", application["id"])["current_step"] == "city_review"  # version 1 runs on
