"""Deploy-time checks of uploaded BPMN and DMN: every problem found, each tied to its element.

The checks run on the XML only after it is known to be safe (size, no DOCTYPE/ENTITY, no XInclude or
imports), then look at the structure SpiffWorkflow does not check (lanes, gateways, sandboxed
expressions, the decisions called), then at what the diagram declares about its steps (service-task
operations, step kinds, decisions: engine/declarations.py) and finally let SpiffWorkflow load the definition.

Nothing is translated here: a `Problem` carries a code and the facts; the service words it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import lru_cache

from lxml import etree
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from app.engine import declarations
from app.engine.declarations import OPERATION_CODES, STEP_CODES, Signature
from app.engine.problems import EXPRESSION_SYNTAX, FORBIDDEN_EXPRESSION, Problem
from app.engine.problems import sandbox_problem as _sandbox_problem
from app.engine.rules import parse_rules
from app.engine.runtime import BPMN_NS, SPIFF_NS, parse_spec
from app.engine.xml import MAX_XML_BYTES, UnsafeXML, parse_xml

XI_NS = "http://www.w3.org/2001/XInclude"
DMN_NS_PREFIXES = ("http://www.omg.org/spec/DMN/", "https://www.omg.org/spec/DMN/")
CHECKED_BY_XML = 32  # DMN validation answers kept by their XML text

# Problem codes (the service turns each into a message).
XML_TOO_LARGE = "xml_too_large"
TOO_MANY_ELEMENTS = "too_many_elements"
MAX_ELEMENTS = 5_000  # XML elements of one definition: a real process has a few hundred
XML_DOCTYPE = "xml_doctype"
XML_EXTERNAL = "xml_external"
XML_SYNTAX = "xml_syntax"
NOT_BPMN = "not_bpmn"
NOT_DMN = "not_dmn"
NO_EXECUTABLE_PROCESS = "no_executable_process"
PROCESS_NOT_FOUND = "process_not_found"
ENGINE_LOAD = "engine_load"
RULES_INVALID = "rules_invalid"
UNKNOWN_LANE = "unknown_lane"
TASK_OUTSIDE_LANE = "task_outside_lane"
GATEWAY_WITHOUT_DEFAULT = "gateway_without_default"
EMPTY_CONDITION = "empty_condition"
NO_DECISION = "no_decision"
MISSING_DECISION = "missing_decision"
UNKNOWN_INPUT = "unknown_input"

CODES = (
    XML_TOO_LARGE, TOO_MANY_ELEMENTS, XML_DOCTYPE, XML_EXTERNAL, XML_SYNTAX, NOT_BPMN, NOT_DMN, NO_EXECUTABLE_PROCESS,
    PROCESS_NOT_FOUND, ENGINE_LOAD, RULES_INVALID, UNKNOWN_LANE, TASK_OUTSIDE_LANE, GATEWAY_WITHOUT_DEFAULT,
    EMPTY_CONDITION, FORBIDDEN_EXPRESSION, EXPRESSION_SYNTAX, NO_DECISION, MISSING_DECISION, UNKNOWN_INPUT,
    *OPERATION_CODES, *STEP_CODES,
)

# Problems SpiffWorkflow also trips on: when one is found, its own (vaguer) complaint is left out.
_ENGINE_WOULD_REPEAT = frozenset({GATEWAY_WITHOUT_DEFAULT, EMPTY_CONDITION, NO_DECISION, MISSING_DECISION})

# Where a BPMN carries Python run by the sandbox: (namespace, tag) → compile mode.
_BPMN_EXPRESSIONS: dict[tuple[str, str], str] = {
    (BPMN_NS, "conditionExpression"): "eval",
    (BPMN_NS, "condition"): "eval",
    (BPMN_NS, "completionCondition"): "eval",
    (BPMN_NS, "loopCardinality"): "eval",
    (BPMN_NS, "loopCondition"): "eval",
    (BPMN_NS, "timeDate"): "eval",
    (BPMN_NS, "timeDuration"): "eval",
    (BPMN_NS, "timeCycle"): "eval",
    (BPMN_NS, "formalExpression"): "eval",
    (BPMN_NS, "script"): "exec",
    (SPIFF_NS, "preScript"): "exec",
    (SPIFF_NS, "postScript"): "exec",
}
_HUMAN_TASKS = ("userTask", "manualTask")
# The DMN engine's `?` (the input value), outside quotes, as SpiffWorkflow replaces it.
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
_DMN_INPUT = "dmn_input"


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _prefixed(el: etree._Element) -> str:
    qname = etree.QName(el)
    return f"{el.prefix}:{qname.localname}" if el.prefix else qname.localname


def _owner(el: etree._Element) -> etree._Element | None:
    """The element itself or its nearest ancestor with an id (what a problem is reported on)."""
    node: etree._Element | None = el
    while node is not None and not node.get("id"):
        node = node.getparent()
    return node


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


# --- the XML itself -------------------------------------------------------------------------------

def _safe_root(xml: str | bytes) -> tuple[etree._Element | None, list[Problem]]:
    """The parsed root, or the problems that stop it from being parsed safely."""
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(raw) > MAX_XML_BYTES:
        return None, [Problem(XML_TOO_LARGE, detail=str(MAX_XML_BYTES))]
    upper = raw.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return None, [Problem(XML_DOCTYPE)]
    try:
        root = parse_xml(raw)
    except UnsafeXML as exc:
        cause = exc.__cause__
        if isinstance(cause, etree.XMLSyntaxError):
            return None, [Problem(XML_SYNTAX, detail=cause.msg or str(cause), line=cause.lineno)]
        return None, [Problem(XML_DOCTYPE, detail=str(exc))]
    return root, _external_references(root)


def _external_references(root: etree._Element) -> list[Problem]:
    """XInclude, imports and stylesheet instructions: anything that makes a reader fetch a resource."""
    found = []
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            found.append(Problem(XML_EXTERNAL, element_name=f"<?{el.target}?>", detail=el.text or None))
            continue
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        is_import = qname.localname == "import" and (
            qname.namespace == BPMN_NS or (qname.namespace or "").startswith(DMN_NS_PREFIXES))
        if qname.namespace == XI_NS or is_import:
            owner = _owner(el)
            found.append(Problem(XML_EXTERNAL, owner.get("id") if owner is not None else None, _prefixed(el),
                                 el.get("href") or el.get("location") or el.get("locationURI")))
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]  # instructions around the root
    for el in siblings:
        if isinstance(el, etree._ProcessingInstruction):
            found.append(Problem(XML_EXTERNAL, element_name=f"<?{el.target}?>", detail=el.text or None))
    return found


# --- sandboxed Python ----------------------------------------------------------------------------

def _dmn_entry_problem(text: str, element_id: str | None, element_name: str | None) -> Problem | None:
    """An input entry as the DMN engine runs it: `?` is the input; `< 3` compares the input; else `==`."""
    if text in ("", "-"):
        return None
    replaced = _QUESTION_MARK.sub(_DMN_INPUT, text)
    if replaced != text:
        problem = _sandbox_problem(replaced, "eval", element_id, element_name)
    else:
        problem = _sandbox_problem(text, "eval", element_id, element_name)
        if problem is not None and problem.code == EXPRESSION_SYNTAX:
            problem = _sandbox_problem(f"{_DMN_INPUT} {text}", "eval", element_id, element_name)
    if problem is not None:
        problem = Problem(problem.code, element_id, element_name, problem.detail, source=text)
    return problem


# --- BPMN ----------------------------------------------------------------------------------------

def _processes(root: etree._Element) -> list[etree._Element]:
    return [p for p in root.iter(_q(BPMN_NS, "process")) if p.get("isExecutable", "").strip().lower() == "true"]


def _lane_problems(process: etree._Element, known_lanes: Collection[str]) -> list[Problem]:
    found = []
    in_lane: set[str] = set()
    for lane in process.iter(_q(BPMN_NS, "lane")):
        name = (lane.get("name") or "").strip()
        if name not in known_lanes:
            found.append(Problem(UNKNOWN_LANE, lane.get("id"), name, ", ".join(known_lanes)))
        in_lane.update(_text(ref) for ref in lane.findall(_q(BPMN_NS, "flowNodeRef")))
    for tag in _HUMAN_TASKS:
        for task in process.iter(_q(BPMN_NS, tag)):
            # a task inside a subprocess is in the subprocess's lane
            enclosing = {a.get("id") for a in task.iterancestors(_q(BPMN_NS, "subProcess"))}
            if task.get("id") not in in_lane and not enclosing & in_lane:
                found.append(Problem(TASK_OUTSIDE_LANE, task.get("id"), task.get("name"), tag))
    return found


def _gateway_problems(process: etree._Element) -> list[Problem]:
    found = []
    leaving: dict[str | None, list[etree._Element]] = {}  # flows by source, once: linear in the diagram's size
    for flow in process.iter(_q(BPMN_NS, "sequenceFlow")):
        leaving.setdefault(flow.get("sourceRef"), []).append(flow)
    for gateway in process.iter(_q(BPMN_NS, "exclusiveGateway")):
        gid = gateway.get("id")
        outgoing = leaving.get(gid, [])
        if len(outgoing) < 2:
            continue
        default = gateway.get("default")
        if not default:
            found.append(Problem(GATEWAY_WITHOUT_DEFAULT, gid, gateway.get("name"), str(len(outgoing))))
        for flow in outgoing:
            if flow.get("id") == default:
                continue
            if not _text(flow.find(_q(BPMN_NS, "conditionExpression"))):
                found.append(Problem(EMPTY_CONDITION, flow.get("id"), flow.get("name"), gid))
    return found


def _expression_problems(process: etree._Element) -> list[Problem]:
    found = []
    for el in process.iter():
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        mode = _BPMN_EXPRESSIONS.get((qname.namespace or "", qname.localname))
        source = _text(el)
        if mode is None or not source:
            continue
        owner = _owner(el.getparent() if el.getparent() is not None else el)
        element_id = owner.get("id") if owner is not None else None
        element_name = owner.get("name") if owner is not None else None
        if (problem := _sandbox_problem(source, mode, element_id, element_name)) is not None:
            found.append(problem)
    return found


def _decision_ids(dmn_xml: str | bytes) -> set[str]:
    try:
        root = parse_xml(dmn_xml)
    except UnsafeXML:
        return set()
    return {d.get("id") for d in root.iter("{*}decision") if d.get("id")}


def _decision_problems(process: etree._Element, load_decision: Callable[[str], str | None],
                       dmn_found: dict[str, str]) -> list[Problem]:
    found = []
    for task in process.iter(_q(BPMN_NS, "businessRuleTask")):
        decision_id = _text(task.find(f".//{_q(SPIFF_NS, 'calledDecisionId')}"))
        if not decision_id:
            found.append(Problem(NO_DECISION, task.get("id"), task.get("name")))
            continue
        if decision_id not in dmn_found:
            xml = load_decision(decision_id)
            if xml is not None and decision_id in _decision_ids(xml):
                dmn_found[decision_id] = xml
        if decision_id not in dmn_found:
            found.append(Problem(MISSING_DECISION, task.get("id"), task.get("name"), decision_id))
    return found


def validate_bpmn(xml: str | bytes, process_id: str | None = None, *, known_lanes: Collection[str],
                  load_decision: Callable[[str], str | None] = lambda _id: None,
                  operations: Mapping[str, Signature] | None = None, step_kinds: Collection[str] | None = None,
                  decisions: Collection[str] | None = None, outcomes: Collection[str] | None = None,
                  timer_kinds: Collection[str] | None = None) -> list[Problem]:
    """Every problem that stops `xml` from being deployed as process `process_id` (empty when none).

    `known_lanes` are the lane names that resolve to an office; `load_decision` gives the DMN XML
    of a decision id the business rule tasks call (None when there is none). `operations` are the
    signatures of the operations service tasks may name, `step_kinds` and `decisions` what user tasks
    may declare as their kind and offer as decisions, `outcomes` what an end event may mean for the subject,
    `timer_kinds` what a timer event may declare (engine/declarations.py); None leaves one unchecked.
    """
    root, found = _safe_root(xml)
    if root is None or found:
        return found
    if root.tag != _q(BPMN_NS, "definitions"):
        return [Problem(NOT_BPMN, root.get("id"), _prefixed(root))]
    if (count := sum(1 for _el in root.iter())) > MAX_ELEMENTS:
        return [Problem(TOO_MANY_ELEMENTS, detail=str(MAX_ELEMENTS), expected=str(count))]
    processes = _processes(root)
    if not processes:
        return [Problem(NO_EXECUTABLE_PROCESS)]
    ids = [p.get("id") for p in processes]
    if process_id is not None and process_id not in ids:
        found.append(Problem(PROCESS_NOT_FOUND, process_id, None, ", ".join(i for i in ids if i)))
    dmn_found: dict[str, str] = {}
    element_ids = declarations.element_ids(root)
    for process in processes:
        found += _lane_problems(process, known_lanes)
        found += _gateway_problems(process)
        found += _expression_problems(process)
        found += _decision_problems(process, load_decision, dmn_found)
        found += declarations.operation_problems(process, element_ids, operations)
        found += declarations.step_problems(process, step_kinds, decisions)
        found += declarations.event_problems(process, outcomes, timer_kinds)
    if not any(p.code in _ENGINE_WOULD_REPEAT or p.code == PROCESS_NOT_FOUND or declarations.engine_would_fail(p)
               for p in found):
        try:
            parse_spec(xml, process_id=process_id, dmn_xml=list(dmn_found.values()))
        except Exception as exc:  # SpiffWorkflow's validation errors and whatever else stops it loading
            found.append(Problem(ENGINE_LOAD, getattr(exc, "id", None) or None, getattr(exc, "name", None) or None,
                                 str(exc).strip(), line=getattr(exc, "line_number", None) or None))
    return found


# --- DMN -----------------------------------------------------------------------------------------

def _load_dmn(xml: str | bytes) -> None:
    """Let SpiffWorkflow parse every decision of a DMN (raises when it cannot)."""
    parser = BpmnDmnParser()
    parser.add_dmn_xml(parse_xml(xml))
    for dmn in parser.dmn_parsers.values():
        dmn.parse()


def _input_label(el: etree._Element) -> str | None:
    return el.get("label") or el.get("name") or el.get("id")


def _table_problems(table: etree._Element, allowed_inputs: Collection[str] | None) -> Iterator[Problem]:
    inputs = table.findall("{*}input")
    outputs = table.findall("{*}output")
    for column in inputs:
        expression = _text(column.find("{*}inputExpression/{*}text"))
        if allowed_inputs is not None and expression not in allowed_inputs:
            yield Problem(UNKNOWN_INPUT, column.get("id"), _input_label(column), None, source=expression)
        elif expression and (problem := _sandbox_problem(expression, "eval", column.get("id"),
                                                         _input_label(column))) is not None:
            yield problem
    for rule in table.findall("{*}rule"):
        for idx, entry in enumerate(rule.findall("{*}inputEntry")):
            label = _input_label(inputs[idx]) if idx < len(inputs) else None
            problem = _dmn_entry_problem(_text(entry.find("{*}text")), entry.get("id") or rule.get("id"), label)
            if problem is not None:
                yield problem
        for idx, entry in enumerate(rule.findall("{*}outputEntry")):
            text = _text(entry.find("{*}text"))
            label = _input_label(outputs[idx]) if idx < len(outputs) else None
            if text and (problem := _sandbox_problem(text, "eval", entry.get("id") or rule.get("id"),
                                                     label)) is not None:
                yield problem


def validate_dmn(xml: str | bytes, *, rule_set: bool, allowed_inputs: Collection[str] | None = None) -> list[Problem]:
    """Every problem that stops `xml` from being deployed as a decision table (empty when none).

    A `rule_set` must follow the rule-set convention (see rules.py); every input expression must be
    one of `allowed_inputs` (when given); every entry must pass the sandbox. The answer depends on
    nothing else, so it is kept for XML checked before (the shipped rule sets on a fresh schema).
    """
    return list(_validate_dmn(xml, rule_set, None if allowed_inputs is None else frozenset(allowed_inputs)))


@lru_cache(maxsize=CHECKED_BY_XML)
def _validate_dmn(xml: str | bytes, rule_set: bool, allowed_inputs: frozenset[str] | None) -> tuple[Problem, ...]:
    root, found = _safe_root(xml)
    if root is None or found:
        return tuple(found)
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "definitions" or not namespace.startswith(DMN_NS_PREFIXES):
        return (Problem(NOT_DMN, root.get("id"), _prefixed(root)),)
    for table in root.iter("{*}decisionTable"):
        found.extend(_table_problems(table, allowed_inputs))
    try:
        if rule_set:
            parse_rules(xml)
        else:
            _load_dmn(xml)
    except Exception as exc:  # the rule-set convention's EngineError, or what stops SpiffWorkflow
        decision = root.find("{*}decision")
        found.append(Problem(RULES_INVALID if rule_set else ENGINE_LOAD,
                             decision.get("id") if decision is not None else None,
                             decision.get("name") if decision is not None else None, str(exc).strip()))
    return tuple(found)
