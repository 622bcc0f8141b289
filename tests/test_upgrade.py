"""An installation upgraded from before steps were declared in the BPMN: its active `recognition` version
declares nothing (no `kind`, no `outcome`, the panel drawn in Python). `deploy_shipped` replaces such a
version even without --upgrade, and `migration.to_active` (flask deploy-shipped --migrate) moves the
running instances onto the shipped chain, which then behaves as declared."""

from __future__ import annotations

from pathlib import Path

from app import engine
from app.extensions import db
from app.models import HumanTask, ProcessDefinition, ProcessInstance
from tests.conftest import approve_at_province, task_for

LEGACY = (Path(__file__).resolve().parent / "bpmn" / "recognition_before_declarations.bpmn").read_text(encoding="utf-8")
SHIPPED = (Path(__file__).resolve().parents[1] / "workflows" / "recognition.bpmn").read_text(encoding="utf-8")


def decide(api, reviewer: str, application_id: int, decision: str, comment: str = "") -> dict:
    r = api.post(f"/api/v1/tasks/{task_for(api, reviewer, application_id)['id']}/decision", as_=reviewer,
                 json={"decision": decision, "comment": comment})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["application"]


def test_the_legacy_version_is_replaced_and_its_instances_moved(app, api, submitted):
    assert engine.undeclared(LEGACY) and not engine.undeclared(SHIPPED)
    with app.app_context():  # what an upgraded database holds: the old shipped file as the active version
        db.session.add(ProcessDefinition(key="recognition", version=1, kind="bpmn", xml=LEGACY, is_active=True,
                                         comment="shipped with Tierflow"))
        db.session.commit()
    waiting = submitted("province", username="early")
    returned = submitted("city", username="other")
    decide(api, "rev-220602", waiting["id"], "approve")
    from app.workflow import definitions, migration

    with app.app_context():
        upgraded = definitions.deploy_shipped()  # no --upgrade: the undeclared version is replaced anyway
        assert ("recognition", 2) in {(d.key, d.version) for d in upgraded}
        rows = migration.to_active("recognition", "Tierflow upgrade")
        db.session.commit()
        assert sorted(r["subject_id"] for r in rows if r["moved"]) == sorted([waiting["id"], returned["id"]])
        versions = {i.subject_id: i.definition.version for i in db.session.scalars(  # applications only: the
            db.select(ProcessInstance).where(ProcessInstance.process == "recognition"))}  # ids of claims overlap
        assert versions == {waiting["id"]: 2, returned["id"]: 2}
        open_kinds = {t.application_id: (t.step, t.kind) for t in db.session.scalars(
            db.select(HumanTask).where(HumanTask.state == "open"))}
        assert open_kinds == {waiting["id"]: ("city_review", "decision"), returned["id"]: ("county_review", "decision")}
    # the moved instances follow the declared chain: a return is a return, the province's first approval
    # draws the panel, recognition follows the public notice
    assert decide(api, "rev-220602", returned["id"], "return", "请补充材料")["status"] == "returned"
    decide(api, "rev-220600", waiting["id"], "approve")
    application = approve_at_province(api, waiting["id"])
    assert application["current_step"] == "public_notice" and application["status"] == "in_review"
