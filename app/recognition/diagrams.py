"""Read-only facts about process diagrams for the admin pages: steps, names an editor may use, offices."""

from __future__ import annotations

import json
from typing import Any

from app import engine
from app.extensions import db
from app.models import Application, HumanTask, Office, RuleSet
from app.recognition import indicators, policies
from app.workflow import definitions

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
FALLBACK_LANES = ("enterprise", "county", "city", "province", "national")
OUTCOMES = ("approve", "return", "reject")  # what a reviewer decides; gateway conditions test `decision`


def user_tasks(xml: str | None) -> list[dict[str, str | None]]:
    """The user tasks of a BPMN diagram in document order: [{"id", "name"}] (empty for unreadable XML)."""
    if not xml:
        return []
    try:
        root = engine.parse_xml(xml)
    except engine.UnsafeXML:
        return []
    return [{"id": el.get("id"), "name": el.get("name")} for el in root.iter(f"{BPMN}userTask") if el.get("id")]


def earlier_steps(view: dict[str, Any]) -> list[dict[str, str | None]]:
    """User tasks an instance has completed (and does not wait at now): where it may be moved back to."""
    done, waiting = set(view.get("completed") or ()), set(view.get("waiting") or ())
    return [t for t in user_tasks(view.get("xml")) if t["id"] in done and t["id"] not in waiting]


def known_lanes() -> tuple[str, ...]:
    """The lane names deploy-time validation accepts."""
    try:
        from app.workflow.validation import KNOWN_LANES
    except ImportError:  # validation not installed: the five levels of the chain
        return FALLBACK_LANES
    return tuple(KNOWN_LANES)


def _shipped_rule_sets() -> dict[str, str]:
    manifest = definitions.SHIPPED_DIR / "rules" / "rule_sets.json"
    if not manifest.is_file():
        return {}
    return {entry["key"]: entry["name"] for entry in json.loads(manifest.read_text(encoding="utf-8"))["rule_sets"]}


def decisions() -> list[dict[str, str | None]]:
    """Decision ids a business rule task may call: eligibility_check, then every rule set key with its name."""
    names = _shipped_rule_sets()
    names.update({key: name for key, name in db.session.execute(db.select(RuleSet.key, RuleSet.name))})
    return [{"id": policies.ELIGIBILITY_CHECK, "name": None}] + [
        {"id": key, "name": names[key]} for key in sorted(names)]


def vocabulary() -> dict[str, Any]:
    """The names a definition may use: lanes, decision ids, decision outcomes, indicator keys."""
    return {
        "lanes": list(known_lanes()),
        "decisions": decisions(),
        "outcomes": list(OUTCOMES),
        "indicators": [{"key": i.key, "label": i.label} for i in indicators.INDICATORS],
        "derived": [{"key": key, "label": label} for key, label in indicators.DERIVED.items()],
    }


def offices() -> list[Office]:
    return list(db.session.scalars(db.select(Office).order_by(Office.region_code, Office.code)))


def waiting_tasks(application: Application) -> list[HumanTask]:
    """The inbox rows of an application that wait, open or suspended."""
    return list(db.session.scalars(db.select(HumanTask).where(
        HumanTask.application_id == application.id, HumanTask.state.in_(("open", "suspended")))
        .order_by(HumanTask.id)))
