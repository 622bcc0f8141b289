"""Where applications stand on their process diagram: one instance, or the heat of a whole version."""

from __future__ import annotations

from typing import Any

from lxml import etree

from app import engine
from app.extensions import db
from app.models import Application, HumanTask, ProcessInstance, ProcessTimer, User
from app.recognition import applications
from app.workflow import definitions, versions

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
INTERNAL = ("conditionExpression", "script", "documentation", "extensionElements")


def public_xml(xml: str) -> str:
    """The diagram without internal details (conditions, scripts, documentation, extensions)."""
    root = engine.parse_xml(xml)
    for tag in INTERNAL:
        for el in list(root.iter(f"{BPMN}{tag}")):
            el.getparent().remove(el)
    return etree.tostring(root, encoding="unicode")


def _flows(xml: str) -> list[tuple[str, str, str]]:
    root = engine.parse_xml(xml)
    return [(f.get("id"), f.get("sourceRef"), f.get("targetRef")) for f in root.iter(f"{BPMN}sequenceFlow")]


def instance_view(user: User, application_id: int) -> dict[str, Any]:
    """The version diagram of an application's instance with its completed steps, waiting steps and path.

    Enterprises get the diagram without conditions, scripts or documentation.
    """
    application = applications.get_for(user, application_id)
    instance = application.instance
    if instance is None:
        return {"key": None, "version": None, "xml": None, "completed": [], "waiting": [], "flows": []}
    definition = instance.definition
    inspection = engine.inspect(definitions.process_spec(definition.id), instance.state)
    done, waiting = set(inspection.completed), set(inspection.waiting)
    taken = [fid for fid, source, target in _flows(definition.xml)
             if source in done and (target in done or target in waiting)]
    xml = definition.xml if user.role in ("admin", "reviewer") else public_xml(definition.xml)
    return {"key": definition.key, "version": definition.version, "xml": xml, "status": instance.status,
            "completed": inspection.completed, "waiting": inspection.waiting, "flows": taken}


def timers(application: Application, limit: int = 50) -> list[ProcessTimer]:
    """The application's BPMN timers, newest first: waiting ones with their due time, fired ones with when."""
    return list(db.session.scalars(db.select(ProcessTimer).where(ProcessTimer.application_id == application.id)
                                   .order_by(ProcessTimer.id.desc()).limit(limit)))


def heat(key: str, version: int) -> dict[str, Any]:
    """Open tasks per waiting step for every instance on one version (one SQL query)."""
    definition = versions.get(key, version)
    rows = db.session.execute(
        db.select(HumanTask.step, db.func.count(HumanTask.id))
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(ProcessInstance.definition_id == definition.id, HumanTask.state.in_(("open", "suspended")))
        .group_by(HumanTask.step))
    counts = {step: count for step, count in rows}
    events = db.session.execute(  # instances waiting at a timer event, not at a task (the public notice)
        db.select(ProcessTimer.step, db.func.count(ProcessTimer.id))
        .join(ProcessInstance, ProcessInstance.id == ProcessTimer.instance_id)
        .where(ProcessInstance.definition_id == definition.id, ProcessTimer.state == "waiting",
               ProcessTimer.attached_step.is_(None))
        .group_by(ProcessTimer.step))
    for step, count in events:
        counts[step] = counts.get(step, 0) + count
    return {"key": key, "version": version, "xml": definition.xml, "counts": counts,
            "total": sum(counts.values())}
