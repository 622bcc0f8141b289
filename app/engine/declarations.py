"""Deploy-time checks of what a diagram declares about its steps (see engine/validation.py for the rest).

- A service task names an operation (`spiffworkflow:serviceTaskOperator`) with parameters whose values
  are sandboxed expressions. Which operations exist is not the engine's business: the caller passes their
  signatures (name → parameter → (type, required, minimum, maximum)). A parameter whose value is a
  literal is checked against its type and range here; any other value at run time.
- An operator's (or a parameter's) id must differ from the id of every other element of the file, since
  SpiffWorkflow finds the nodes of a process by id.
- A user task's `kind` and `decisions` properties name a step kind and decisions the caller knows; a
  property `<decision>_label` (or `<decision>_effect`, what the decision does) starting with `=` is an
  expression the sandbox runs over the task data.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from lxml import etree

from app.engine.problems import Problem, sandbox_problem
from app.engine.runtime import BPMN_NS, SPIFF_NS

NO_OPERATION = "no_operation"
UNKNOWN_OPERATION = "unknown_operation"
UNKNOWN_PARAMETER = "unknown_parameter"
MISSING_PARAMETER = "missing_parameter"
BAD_PARAMETER = "bad_parameter"
OPERATION_ID_CLASH = "operation_id_clash"
UNKNOWN_STEP_KIND = "unknown_step_kind"
UNKNOWN_DECISION = "unknown_decision"
UNKNOWN_OUTCOME = "unknown_outcome"
MISSING_OUTCOME = "missing_outcome"
UNKNOWN_TIMER_KIND = "unknown_timer_kind"
MISSING_ASSIGNEE = "missing_assignee"

OPERATION_CODES = (NO_OPERATION, UNKNOWN_OPERATION, UNKNOWN_PARAMETER, MISSING_PARAMETER, BAD_PARAMETER,
                   OPERATION_ID_CLASH)
STEP_CODES = (UNKNOWN_STEP_KIND, UNKNOWN_DECISION, UNKNOWN_OUTCOME, MISSING_OUTCOME, UNKNOWN_TIMER_KIND,
              MISSING_ASSIGNEE)
PERSONAL_KINDS = ("expert_score",)  # steps worked by one person named by the task data, not by an office

# bad_parameter reasons
TYPE, MINIMUM, MAXIMUM, TYPE_ATTRIBUTE = "type", "minimum", "maximum", "type_attribute"

# parameter → (type, required, minimum, maximum), by operation name
Signature = Mapping[str, tuple[str, bool, float | None, float | None]]
_TYPES: dict[str, tuple[type, ...]] = {"int": (int,), "bool": (bool,), "str": (str,), "float": (int, float)}
_HUMAN_TASKS = ("userTask", "manualTask")
_SPIFF_NAMED = frozenset({f"{{{SPIFF_NS}}}serviceTaskOperator", f"{{{SPIFF_NS}}}parameter"})
_NO_VALUE = object()


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _prefixed(el: etree._Element) -> str:
    qname = etree.QName(el)
    return f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname


def engine_would_fail(problem: Problem) -> bool:
    """Problems SpiffWorkflow also trips on (with a vaguer complaint, left out when one is found)."""
    return problem.code in (NO_OPERATION, OPERATION_ID_CLASH) or (
        problem.code == BAD_PARAMETER and problem.reason == TYPE_ATTRIBUTE)


# --- service tasks -------------------------------------------------------------------------------

def element_ids(root: etree._Element) -> dict[str, str]:
    """Id → tag of every element of the file that SpiffWorkflow may look up (operators and parameters aside)."""
    found: dict[str, str] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in _SPIFF_NAMED and el.get("id"):
            found.setdefault(el.get("id"), _prefixed(el))
    return found


def _literal(source: str) -> Any:
    """The value of `source` when it is a Python literal, else _NO_VALUE (an expression, checked at run time)."""
    try:
        return ast.literal_eval(source.strip())
    except Exception:  # ValueError, SyntaxError, TypeError, RecursionError…: not a literal
        return _NO_VALUE


def declared_operations(xml: str) -> list[tuple[str, dict[str, Any]]]:
    """The operations a file's service tasks name, in document order, with their literal parameter values (a
    parameter that is an expression is left out): what an upgrade needs to know what a process writes."""
    from app.engine.xml import parse_xml

    found = []
    for operator in parse_xml(xml.encode()).iter(_q(SPIFF_NS, "serviceTaskOperator")):
        params = {p.get("id"): value for p in operator.iter(_q(SPIFF_NS, "parameter"))
                  if p.get("value") is not None and (value := _literal(p.get("value"))) is not _NO_VALUE}
        found.append((operator.get("id"), params))
    return found


def _value_problem(value: Any, spec: tuple[str, bool, float | None, float | None]) -> tuple[str, str] | None:
    """(reason, expected) when a literal value breaks its parameter's type or range."""
    type_name, _required, minimum, maximum = spec
    types = _TYPES.get(type_name)
    if types is None:
        return None
    if (isinstance(value, bool) and type_name != "bool") or not isinstance(value, types):
        return TYPE, type_name
    if minimum is not None and value < minimum:
        return MINIMUM, f"{minimum:g}"
    if maximum is not None and value > maximum:
        return MAXIMUM, f"{maximum:g}"
    return None


def _parameter_problems(task: etree._Element, operator: etree._Element,
                        signature: Signature | None) -> Iterator[Problem]:
    tid, tname, name = task.get("id"), task.get("name"), operator.get("id")
    given = set()
    for param in operator.iter(_q(SPIFF_NS, "parameter")):
        pid, source = param.get("id") or "", param.get("value")
        if source is None:  # SpiffWorkflow drops a parameter without a value
            continue
        given.add(pid)
        spec = signature.get(pid) if signature is not None else None
        if signature is not None and spec is None:
            yield Problem(UNKNOWN_PARAMETER, tid, tname, name, item=pid)
        if param.get("type") is None:
            yield Problem(BAD_PARAMETER, tid, tname, name, source=source, item=pid, reason=TYPE_ATTRIBUTE,
                          expected=spec[0] if spec else None)
        problem = sandbox_problem(source.strip(), "eval", tid, tname)
        if problem is not None:
            yield Problem(problem.code, tid, tname, problem.detail, source=source, item=pid)
            continue
        value = _literal(source)
        if spec is not None and value is not _NO_VALUE and (broken := _value_problem(value, spec)) is not None:
            yield Problem(BAD_PARAMETER, tid, tname, name, source=source, item=pid, reason=broken[0],
                          expected=broken[1])
    for pid, (_type, required, _minimum, _maximum) in (signature or {}).items():
        if required and pid not in given:
            yield Problem(MISSING_PARAMETER, tid, tname, name, item=pid)


def operation_problems(process: etree._Element, ids: Mapping[str, str],
                       operations: Mapping[str, Signature] | None) -> list[Problem]:
    """Every service task of `process` names a known operation with acceptable parameters.

    `ids` are the file's element ids (see `element_ids`); `operations` None leaves the catalogue unchecked.
    """
    found = []
    for task in process.iter(_q(BPMN_NS, "serviceTask")):
        tid, tname = task.get("id"), task.get("name")
        operator = task.find(f"{_q(BPMN_NS, 'extensionElements')}/{_q(SPIFF_NS, 'serviceTaskOperator')}")
        if operator is None:
            found.append(Problem(NO_OPERATION, tid, tname))
            continue
        name = operator.get("id") or ""
        named = [(operator, "operation"), *((p, "parameter") for p in operator.iter(_q(SPIFF_NS, "parameter")))]
        for node, reason in named:
            if node.get("id") in ids:
                found.append(Problem(OPERATION_ID_CLASH, tid, tname, ids[node.get("id")], item=node.get("id"),
                                     reason=reason))
        signature = None
        if operations is not None:
            signature = operations.get(name)
            if signature is None:
                found.append(Problem(UNKNOWN_OPERATION, tid, tname, item=name))
        found += _parameter_problems(task, operator, signature)
    return found


# --- user tasks ----------------------------------------------------------------------------------

def _properties(el: etree._Element) -> list[tuple[str, str]]:
    """The element's `spiffworkflow:property` (name, value) pairs, as SpiffWorkflow reads them."""
    holder = el.find(f"{_q(BPMN_NS, 'extensionElements')}/{_q(SPIFF_NS, 'properties')}")
    if holder is None:
        return []
    return [(p.get("name") or "", p.get("value") or "") for p in holder.iter(_q(SPIFF_NS, "property"))]


def step_problems(process: etree._Element, step_kinds: Collection[str] | None,
                  decisions: Collection[str] | None) -> list[Problem]:
    """User tasks declare known kinds and decisions; `=expression` labels pass the sandbox.

    `step_kinds` or `decisions` None leaves that property unchecked.
    """
    found = []
    for el in process.iter():
        if not isinstance(el.tag, str):
            continue
        eid, ename = el.get("id"), el.get("name")
        human = etree.QName(el).namespace == BPMN_NS and etree.QName(el).localname in _HUMAN_TASKS
        for name, value in _properties(el):
            if name.endswith(("_label", "_effect")) and value.startswith("="):
                problem = sandbox_problem(value[1:].strip(), "eval", eid, ename)
                if problem is not None:
                    found.append(Problem(problem.code, eid, ename, problem.detail, source=value[1:], item=name))
            elif human and name == "kind" and value.strip() and step_kinds is not None \
                    and value.strip() not in step_kinds:
                found.append(Problem(UNKNOWN_STEP_KIND, eid, ename, item=value.strip()))
            elif human and name == "decisions" and decisions is not None:
                found += [Problem(UNKNOWN_DECISION, eid, ename, item=d) for d in
                          (part.strip() for part in value.split(",")) if d and d not in decisions]
        props = dict(_properties(el)) if human else {}
        if props.get("kind", "").strip() in PERSONAL_KINDS and not props.get("assignee", "").strip():
            found.append(Problem(MISSING_ASSIGNEE, eid, ename, item=props["kind"].strip()))
    return found


def event_problems(process: etree._Element, outcomes: Collection[str] | None,
                   timer_kinds: Collection[str] | None) -> list[Problem]:
    """Every end event of the process says what it means for the subject (`outcome`); timer events declare
    a known `escalation` kind. None leaves that check out."""
    found = []
    if outcomes is not None:
        for end in process.findall(_q(BPMN_NS, "endEvent")):  # the process's own ends, not a subprocess's
            outcome = dict(_properties(end)).get("outcome", "").strip()
            if not outcome:
                found.append(Problem(MISSING_OUTCOME, end.get("id"), end.get("name")))
            elif outcome not in outcomes:
                found.append(Problem(UNKNOWN_OUTCOME, end.get("id"), end.get("name"), item=outcome))
    if timer_kinds is not None:
        for tag in ("boundaryEvent", "intermediateCatchEvent", "startEvent"):
            for event in process.iter(_q(BPMN_NS, tag)):
                if event.find(_q(BPMN_NS, "timerEventDefinition")) is None:
                    continue
                kind = dict(_properties(event)).get("escalation", "").strip()
                if kind and kind not in timer_kinds:
                    found.append(Problem(UNKNOWN_TIMER_KIND, event.get("id"), event.get("name"), item=kind))
    return found
