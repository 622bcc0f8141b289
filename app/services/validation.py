"""Deploy-time validation of BPMN and DMN uploads: the engine finds the problems, this words them.

`problems(key, xml, kind)` lists every problem of a definition as
{"code", "element", "element_name", "message", "line"}; `definitions.deploy` stores nothing when
the list is not empty.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from app import engine
from app.extensions import db
from app.models import ProcessDefinition
from app.services import indicators
from app.workflow.routing import LANE_LEVELS, SUBJECT_LANES

# Lane names a user task may sit in: the subject's own lane, and every lane routing resolves to an office.
KNOWN_LANES: tuple[str, ...] = SUBJECT_LANES + tuple(LANE_LEVELS)
# What the eligibility_check decision may read: the rule-set verdict computed on submission.
ELIGIBILITY_INPUTS: tuple[str, ...] = ("eligibility_passed", "eligibility_score")
SUMMARY_COUNT = 3  # messages quoted in the error's own message
SOURCE_CHARS = 80


def problems(key: str, xml: str | bytes, kind: str = "bpmn", *,
             known_lanes: Sequence[str] = KNOWN_LANES) -> list[dict]:
    """Every problem that stops `xml` from being deployed as version of `key` (empty when none)."""
    from app.services import definitions  # definitions calls this module

    eligibility = key == definitions.ELIGIBILITY_CHECK
    if kind == "dmn":
        found = engine.validate_dmn(xml, rule_set=not eligibility,
                                    allowed_inputs=set(ELIGIBILITY_INPUTS) if eligibility else indicators.input_keys())
    else:
        found = engine.validate_bpmn(xml, key, known_lanes=known_lanes, load_decision=_decision_xml)
    return [{"code": p.code, "element": p.element_id, "element_name": p.element_name,
             "message": _message(p, known_lanes, eligibility), "line": p.line} for p in found]


def summary(found: list[dict]) -> str:
    """One message for the whole list: the count and the first few problems."""
    quoted = _("; ").join(p["message"] for p in found[:SUMMARY_COUNT])
    if len(found) > SUMMARY_COUNT:
        quoted += " …"
    return _("The definition has %(n)s problem(s): %(problems)s", n=len(found), problems=quoted)


def _decision_xml(decision_id: str) -> str | None:
    """The DMN a business rule task would call: the active version, else the shipped file (nothing deployed)."""
    from app.services import definitions

    xml = db.session.scalar(db.select(ProcessDefinition.xml).where(
        ProcessDefinition.key == decision_id, ProcessDefinition.is_active.is_(True)))
    if xml is None:
        path = definitions.SHIPPED_DIR / f"{decision_id}.dmn"
        if path.is_file():
            xml = path.read_text(encoding="utf-8")
    return xml


def _label(problem: engine.Problem) -> str:
    element_id, name = problem.element_id, problem.element_name
    if element_id and name and name != element_id:
        return _("%(name)s (%(id)s)", name=name, id=element_id)
    return element_id or name or "?"


def _source(problem: engine.Problem) -> str:
    text = " ".join((problem.source or "").split())
    return text if len(text) <= SOURCE_CHARS else text[:SOURCE_CHARS - 1] + "…"


def _message(p: engine.Problem, known_lanes: Sequence[str], eligibility: bool) -> str:
    """The problem in the user's language (the engine's own wording stays in `detail`)."""
    code, element, detail = p.code, _label(p), p.detail or ""
    if code == "xml_too_large":
        return _("The file is larger than the %(limit)s bytes allowed.", limit=detail)
    if code == "xml_doctype":
        return _("DOCTYPE and ENTITY declarations are not allowed (they can read server files or expand "
                 "without limit).")
    if code == "xml_external":
        if p.element_id:
            return _("External references are not allowed: %(tag)s in %(element)s.", tag=p.element_name,
                     element=p.element_id)
        return _("External references are not allowed: %(tag)s.", tag=p.element_name)
    if code == "xml_syntax":
        return _("The XML does not parse (line %(line)s): %(error)s", line=p.line or "?", error=detail)
    if code == "not_bpmn":
        return _("The root element is %(tag)s, not a BPMN definitions element.", tag=p.element_name)
    if code == "not_dmn":
        return _("The root element is %(tag)s, not a DMN definitions element.", tag=p.element_name)
    if code == "no_executable_process":
        return _("The file has no executable process (isExecutable=\"true\").")
    if code == "process_not_found":
        return _("The file has no executable process with the id %(key)s (found: %(found)s).",
                 key=p.element_id, found=detail)
    if code == "engine_load":
        return _("The workflow engine cannot load the definition: %(error)s", error=detail)
    if code == "rules_invalid":
        return _("The rule set cannot be used: %(error)s", error=detail)
    if code == "unknown_lane":
        return _("Lane \"%(name)s\" (%(id)s) is not a known lane (allowed: %(allowed)s).",
                 name=p.element_name or "", id=p.element_id, allowed=", ".join(known_lanes))
    if code == "task_outside_lane":
        return _("User task %(element)s is not in any lane, so no office can handle it.", element=element)
    if code == "gateway_without_default":
        return _("Exclusive gateway %(element)s has %(n)s outgoing flows but no default flow.",
                 element=element, n=detail)
    if code == "empty_condition":
        return _("Flow %(element)s leaves exclusive gateway %(gateway)s without a condition and is not its "
                 "default flow.", element=element, gateway=detail)
    if code == "forbidden_expression":
        return _("The expression %(source)s in %(element)s is not allowed: %(reason)s",
                 source=_source(p), element=element, reason=detail)
    if code == "expression_syntax":
        return _("The expression %(source)s in %(element)s has a syntax error: %(reason)s",
                 source=_source(p), element=element, reason=detail)
    if code == "no_decision":
        return _("Business rule task %(element)s does not name the decision it calls.", element=element)
    if code == "missing_decision":
        return _("Business rule task %(element)s calls decision %(decision)s, which is not deployed.",
                 element=element, decision=detail)
    if code == "unknown_input":
        if eligibility:
            return _("Input %(element)s reads %(source)s, which is not one of: %(allowed)s.", element=element,
                     source=_source(p) or "?", allowed=", ".join(ELIGIBILITY_INPUTS))
        return _("Input %(element)s reads %(source)s, which is not an indicator key.", element=element,
                 source=_source(p) or "?")
    return _("Problem %(code)s in %(element)s: %(detail)s", code=code, element=element, detail=detail)
