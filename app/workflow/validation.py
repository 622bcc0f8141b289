"""Deploy-time validation of BPMN and DMN uploads: the engine finds the problems, this words them.

`problems(key, xml, kind)` lists every problem of a definition as
{"code", "element", "element_name", "message", "line"}; `definitions.deploy` stores nothing when
the list is not empty.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from app import engine
from app.core.vocabulary import Lane, TimerKind
from app.extensions import db
from app.models import ProcessDefinition
from app.workflow import operations, steps, subjects

# Lane names a user task may sit in: each resolves to an office level (or a role) at run time.
KNOWN_LANES: tuple[str, ...] = Lane.values()


@dataclass(frozen=True)
class DmnPolicy:
    """What a decision table deployed under a key must follow (a domain registers it per key)."""

    rule_set: bool  # the rule-set convention of app/engine/rules.py
    inputs: frozenset[str] | None  # the input expressions it may read (None: anything the sandbox allows)
    named_inputs: bool = False  # name the allowed inputs in the message (a short list)


_dmn_policies: list[Callable[[str], DmnPolicy | None]] = []


def register_dmn_policy(policy: Callable[[str], DmnPolicy | None]) -> None:
    """A domain says what its decision tables may read (recognition: rule sets read indicator keys)."""
    _dmn_policies.append(policy)


def dmn_policy(key: str) -> DmnPolicy:
    for policy in _dmn_policies:
        found = policy(key)
        if found is not None:
            return found
    return DmnPolicy(rule_set=False, inputs=None)
SUMMARY_COUNT = 3  # messages quoted in the error's own message
SOURCE_CHARS = 80


def problems(key: str, xml: str | bytes, kind: str = "bpmn", *,
             known_lanes: Sequence[str] = KNOWN_LANES) -> list[dict]:
    """Every problem that stops `xml` from being deployed as version of `key` (empty when none)."""
    policy = dmn_policy(key)
    if kind == "dmn":
        found = engine.validate_dmn(xml, rule_set=policy.rule_set, allowed_inputs=policy.inputs)
    else:
        found = engine.validate_bpmn(xml, key, known_lanes=known_lanes, load_decision=_decision_xml,
                                     operations=operations.signatures(), step_kinds=tuple(steps.STEP_KINDS),
                                     decisions=steps.DECISIONS, outcomes=subjects.outcomes(),
                                     timer_kinds=TimerKind.values())
    return [{"code": p.code, "element": p.element_id, "element_name": p.element_name,
             "message": _message(p, known_lanes, policy), "line": p.line} for p in found]


def summary(found: list[dict]) -> str:
    """One message for the whole list: the count and the first few problems."""
    quoted = _("; ").join(p["message"] for p in found[:SUMMARY_COUNT])
    if len(found) > SUMMARY_COUNT:
        quoted += " …"
    return _("The definition has %(n)s problem(s): %(problems)s", n=len(found), problems=quoted)


def _decision_xml(decision_id: str) -> str | None:
    """The DMN a business rule task would call: the active version, else the shipped file (nothing deployed)."""
    from app.workflow import definitions

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


def _declaration_message(p: engine.Problem, element: str) -> str | None:
    """What a diagram declares about its steps: service-task operations, step kinds, decisions."""
    code, operation, name = p.code, p.detail or "?", p.item or "?"
    if code == "no_operation":
        return _("Service task %(element)s names no operation (add a spiffworkflow:serviceTaskOperator).",
                 element=element)
    if code == "unknown_operation":
        return _("Service task %(element)s names operation %(operation)s, which is not in the catalogue "
                 "(known: %(known)s).", element=element, operation=name, known=", ".join(operations.catalogue()))
    if code == "unknown_parameter":
        known = ", ".join(operations.signatures().get(operation, {}))
        if not known:
            return _("Operation %(operation)s in service task %(element)s takes no parameters; remove "
                     "%(param)s.", operation=operation, element=element, param=name)
        return _("Operation %(operation)s in service task %(element)s has no parameter %(param)s (it takes: "
                 "%(known)s).", operation=operation, element=element, param=name, known=known)
    if code == "missing_parameter":
        return _("Operation %(operation)s in service task %(element)s needs the parameter %(param)s.",
                 operation=operation, element=element, param=name)
    if code == "bad_parameter":
        facts = {"param": name, "operation": operation, "element": element, "value": _source(p),
                 "expected": p.expected or "?"}
        if p.reason == "type_attribute":
            return _("Parameter %(param)s of operation %(operation)s in service task %(element)s has no type "
                     "attribute, which the workflow engine needs.", **facts)
        if p.reason == "minimum":
            return _("Parameter %(param)s of operation %(operation)s in service task %(element)s is %(value)s, "
                     "below the minimum %(expected)s.", **facts)
        if p.reason == "maximum":
            return _("Parameter %(param)s of operation %(operation)s in service task %(element)s is %(value)s, "
                     "above the maximum %(expected)s.", **facts)
        return _("Parameter %(param)s of operation %(operation)s in service task %(element)s is %(value)s, "
                 "but it must be of type %(expected)s.", **facts)
    if code == "operation_id_clash":
        if p.reason == "parameter":
            return _("The parameter %(name)s of service task %(element)s is also the id of an element (%(tag)s); "
                     "the workflow engine finds elements by id, so give that element another id.",
                     name=name, element=element, tag=operation)
        return _("The operation %(name)s of service task %(element)s is also the id of an element (%(tag)s); "
                 "the workflow engine finds elements by id, so give that element another id.",
                 name=name, element=element, tag=operation)
    if code == "unknown_step_kind":
        return _("User task %(element)s declares the kind %(kind)s, which is not a step kind (allowed: "
                 "%(allowed)s).", element=element, kind=name, allowed=", ".join(steps.STEP_KINDS))
    if code == "unknown_decision":
        return _("User task %(element)s offers the decision %(decision)s, which is not one of: %(allowed)s.",
                 element=element, decision=name, allowed=", ".join(steps.DECISIONS))
    if code == "missing_assignee":
        return _("User task %(element)s of kind %(kind)s is worked by one person: give it the property assignee "
                 "(the task data item that holds the person, e.g. expert).", element=element, kind=name)
    if code == "missing_outcome":
        return _("End event %(element)s does not say what it means for the subject: give it the property "
                 "outcome (one of: %(allowed)s).", element=element, allowed=", ".join(subjects.outcomes()))
    if code == "unknown_outcome":
        return _("End event %(element)s declares the outcome %(outcome)s, which is not one of: %(allowed)s.",
                 element=element, outcome=name, allowed=", ".join(subjects.outcomes()))
    if code == "unknown_timer_kind":
        return _("Timer event %(element)s declares the escalation %(kind)s, which is not one of: %(allowed)s.",
                 element=element, kind=name, allowed=", ".join(TimerKind.values()))
    return None


def _message(p: engine.Problem, known_lanes: Sequence[str], policy: DmnPolicy) -> str:
    """The problem in the user's language (the engine's own wording stays in `detail`)."""
    code, element, detail = p.code, _label(p), p.detail or ""
    if (declared := _declaration_message(p, element)) is not None:
        return declared
    if code == "xml_too_large":
        return _("The file is larger than the %(limit)s bytes allowed.", limit=detail)
    if code == "too_many_elements":
        return _("The definition has %(count)s elements; at most %(limit)s are allowed.", count=p.expected,
                 limit=detail)
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
        if policy.named_inputs:
            return _("Input %(element)s reads %(source)s, which is not one of: %(allowed)s.", element=element,
                     source=_source(p) or "?", allowed=", ".join(sorted(policy.inputs or ())))
        return _("Input %(element)s reads %(source)s, which is not an indicator key.", element=element,
                 source=_source(p) or "?")
    return _("Problem %(code)s in %(element)s: %(detail)s", code=code, element=element, detail=detail)
