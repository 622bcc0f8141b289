"""The catalogue of process definitions: versions, drafts and the difference between two versions."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, permissions
from app.core.errors import Invalid, NotFound
from app.extensions import db
from app.models import DefinitionDraft, ProcessDefinition, ProcessInstance, User

LIVE = ("running", "suspended")
DIAGRAM_NAMESPACES = ("/DI", "/DC", "DMNDI", "BPMN/20100524/DI")


def _running_counts() -> dict[int, int]:
    rows = db.session.execute(db.select(ProcessInstance.definition_id, db.func.count(ProcessInstance.id))
                              .where(ProcessInstance.status.in_(LIVE)).group_by(ProcessInstance.definition_id))
    return {definition_id: count for definition_id, count in rows}


def version_dict(definition: ProcessDefinition, running: int = 0) -> dict[str, Any]:
    return {
        "key": definition.key, "kind": definition.kind, "version": definition.version,
        "active": definition.is_active, "comment": definition.comment,
        "deployed_by": definition.deployed_by.username if definition.deployed_by else None,
        "deployed_at": definition.deployed_at.isoformat(), "running": running,
    }


def catalog() -> list[dict[str, Any]]:
    """Every definition key with its versions (newest first), running instances per version and any draft."""
    from app.workflow import definitions

    definitions.active_bpmn_ids()  # a new installation lists the shipped definitions (deployed on first use)
    counts = _running_counts()
    drafts = {d.key: d for d in db.session.scalars(db.select(DefinitionDraft))}
    keys: dict[str, dict[str, Any]] = {}
    rows = db.session.scalars(db.select(ProcessDefinition).order_by(ProcessDefinition.key,
                                                                    ProcessDefinition.version.desc()))
    for definition in rows:
        entry = keys.setdefault(definition.key, {"key": definition.key, "kind": definition.kind,
                                                 "active_version": None, "versions": [], "draft": None})
        if definition.is_active:
            entry["active_version"] = definition.version
        entry["versions"].append(version_dict(definition, counts.get(definition.id, 0)))
    for key, draft in drafts.items():
        entry = keys.setdefault(key, {"key": key, "kind": draft.kind, "active_version": None, "versions": [],
                                      "draft": None})
        entry["draft"] = {"based_on_version": draft.based_on_version, "updated_at": draft.updated_at.isoformat(),
                          "updated_by": draft.updated_by.username if draft.updated_by else None}
    return list(keys.values())


def get(key: str, version: int) -> ProcessDefinition:
    definition = db.session.scalar(db.select(ProcessDefinition).where(
        ProcessDefinition.key == key, ProcessDefinition.version == version))
    if definition is None:
        raise NotFound(_("Version %(version)s of %(key)s does not exist.", version=version, key=key))
    return definition


def kind_of(xml: str) -> str:
    """`bpmn` or `dmn`, from the root element's namespace (unreadable XML is left to validation)."""
    try:
        root = engine.parse_xml(xml)
    except engine.UnsafeXML:
        return "dmn" if "omg.org/spec/DMN" in xml[:2000] else "bpmn"
    return "dmn" if "DMN" in root.tag.upper() else "bpmn"


def save_draft(user: User, key: str, xml: str, based_on: int | None = None) -> DefinitionDraft:
    """Keep work in progress; it only has to be safe, well-formed XML (validation happens at deploy)."""
    permissions.require_admin(user)
    try:
        engine.parse_xml(xml)
    except engine.UnsafeXML as exc:
        raise Invalid(_("The XML is refused: %(error)s", error=str(exc)), code="invalid_definition") from exc
    kind = kind_of(xml)
    draft = db.session.scalar(db.select(DefinitionDraft).where(DefinitionDraft.key == key))
    if draft is None:
        draft = DefinitionDraft(key=key)
        db.session.add(draft)
    draft.kind, draft.xml, draft.based_on_version, draft.updated_by_id = kind, xml, based_on, user.id
    db.session.flush()
    audit.record("save_draft", actor=user, details={"key": key, "based_on_version": based_on})
    return draft


def draft(key: str) -> DefinitionDraft | None:
    return db.session.scalar(db.select(DefinitionDraft).where(DefinitionDraft.key == key))


def discard_draft(key: str) -> None:
    db.session.execute(db.delete(DefinitionDraft).where(DefinitionDraft.key == key))


SPIFF_NAMESPACE = "spiffworkflow.org"  # SpiffWorkflow's extension elements: read as fields of their element


def _local(tag: str) -> str:
    return tag.split("}")[-1]


def _declared(el: Any) -> dict[str, str]:
    """What an element declares in its extension elements, as fields: `property:<name>`, `operation`,
    `resultVariable`, `parameter:<id>`, `calledDecisionId`."""
    found: dict[str, str] = {}
    for ext in el:
        if not isinstance(ext.tag, str) or _local(ext.tag) != "extensionElements":
            continue
        for node in ext.iter():
            if not isinstance(node.tag, str) or SPIFF_NAMESPACE not in node.tag:
                continue
            tag = _local(node.tag)
            if tag == "property" and node.get("name"):
                found[f"property:{node.get('name')}"] = node.get("value") or ""
            elif tag == "serviceTaskOperator":
                found["operation"] = node.get("id") or ""
                if node.get("resultVariable"):
                    found["resultVariable"] = node.get("resultVariable")
            elif tag == "parameter" and node.get("id"):
                found[f"parameter:{node.get('id')}"] = node.get("value") or ""
            elif tag == "calledDecisionId":
                found["calledDecisionId"] = (node.text or "").strip()
    return found


def _elements(xml: str) -> dict[str, dict[str, Any]]:
    """Model elements by id with what defines them (diagram layout is left out); what an element declares in
    SpiffWorkflow extension elements (properties, operation and parameters, called decision) counts as its own."""
    root = engine.parse_xml(xml)
    found: dict[str, dict[str, Any]] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or "id" not in el.attrib:
            continue
        if any(ns in el.tag for ns in DIAGRAM_NAMESPACES) or SPIFF_NAMESPACE in el.tag:
            continue
        tag = _local(el.tag)
        attrs = {_local(k): v for k, v in el.attrib.items() if k != "id"}
        texts = {_local(c.tag): (c.text or "").strip() for c in el
                 if isinstance(c.tag, str) and "id" not in c.attrib and (c.text or "").strip()}
        texts.update(_declared(el))
        found[el.attrib["id"]] = {"type": tag, "name": el.attrib.get("name"), "attrs": attrs, "texts": texts}
    return found


def diff(key: str, a: int, b: int) -> dict[str, Any]:
    """Elements added, removed and changed from version `a` to version `b`."""
    old, new = _elements(get(key, a).xml), _elements(get(key, b).xml)

    def brief(eid: str, el: dict) -> dict:
        return {"id": eid, "type": el["type"], "name": el["name"]}

    changed = []
    for eid in sorted(set(old) & set(new)):
        before, after = old[eid], new[eid]
        changes = []
        for part in ("attrs", "texts"):
            for field in sorted(set(before[part]) | set(after[part])):
                if before[part].get(field) != after[part].get(field):
                    changes.append({"field": field, "before": before[part].get(field),
                                    "after": after[part].get(field)})
        if changes:
            changed.append(brief(eid, after) | {"changes": changes})
    return {
        "key": key, "from": a, "to": b,
        "added": [brief(e, new[e]) for e in sorted(set(new) - set(old))],
        "removed": [brief(e, old[e]) for e in sorted(set(old) - set(new))],
        "changed": changed,
    }
