"""How the codes of process definitions read on screen: lanes, decision outcomes, migration reasons."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import Decision, InstanceStatus, Lane, TaskState
from app.web.labels import datetime_cn, label, step_label

LANE_LABELS = Lane.labels()
OUTCOME_LABELS = Decision.labels()
INSTANCE_STATUS_LABELS = InstanceStatus.labels()
TASK_STATE_LABELS = TaskState.labels()
KIND_LABELS = {"bpmn": _l("BPMN process"), "dmn": _l("DMN decision table")}
# A lane's name on a diagram: the XML keeps the English key (the process routes by it), the picture shows this.
LANE_DISPLAY_NAMES = {
    "enterprise": _l("Enterprise"), "county": _l("County level"), "city": _l("City level"),
    "province": _l("Provincial level"), "national": _l("National level"), "expert": _l("Experts"),
    "service_team": _l("Service team"), "sme_authority": _l("SME authority"), "registrar": _l("Register office"),
    "finance": _l("Finance bureau"),
}
# The kinds of model elements in the difference between two versions, in words (the XML tag stays a tooltip).
ELEMENT_TYPE_LABELS = {
    "process": _l("Process"), "collaboration": _l("Collaboration"), "participant": _l("Pool"),
    "laneSet": _l("Lane set"), "lane": _l("Lane"), "startEvent": _l("Start event"), "endEvent": _l("End event"),
    "boundaryEvent": _l("Boundary event"), "intermediateCatchEvent": _l("Intermediate catch event"),
    "intermediateThrowEvent": _l("Intermediate throw event"), "timerEventDefinition": _l("Timer"),
    "signalEventDefinition": _l("Signal trigger"), "messageEventDefinition": _l("Message trigger"),
    "signal": _l("Signal"), "message": _l("Message"), "userTask": _l("User task"),
    "manualTask": _l("Manual task"), "serviceTask": _l("Service task"), "scriptTask": _l("Script task"),
    "businessRuleTask": _l("Business rule task"), "task": _l("Task"), "subProcess": _l("Sub-process"),
    "callActivity": _l("Call activity"), "exclusiveGateway": _l("Exclusive gateway"),
    "parallelGateway": _l("Parallel gateway"), "inclusiveGateway": _l("Inclusive gateway"),
    "eventBasedGateway": _l("Event-based gateway"), "sequenceFlow": _l("Sequence flow"),
    "messageFlow": _l("Message flow"), "textAnnotation": _l("Text annotation"), "association": _l("Association"),
    "multiInstanceLoopCharacteristics": _l("Multi-instance"), "dataObject": _l("Data object"),
    "dataObjectReference": _l("Data object reference"), "definitions": _l("Definitions"),
    "decision": _l("DMN decision"), "decisionTable": _l("Decision table"), "input": _l("Input column"),
    "output": _l("Output column"), "inputExpression": _l("Input expression"), "rule": _l("Rule"),
    "inputEntry": _l("Input cell"), "outputEntry": _l("Output cell"),
}
# The fields of an element in that difference: attributes, texts and what the element declares
DIFF_FIELD_LABELS = {
    "name": _l("Name"), "sourceRef": _l("From"), "targetRef": _l("To"), "default": _l("Default flow"),
    "conditionExpression": _l("Condition"), "timeDate": _l("Timer date"), "timeDuration": _l("Timer duration"),
    "timeCycle": _l("Timer cycle"), "attachedToRef": _l("Attached to"), "cancelActivity": _l("Interrupting"),
    "documentation": _l("Documentation"), "script": _l("Script"), "incoming": _l("Incoming flow"),
    "outgoing": _l("Outgoing flow"), "flowNodeRef": _l("Step in lane"), "isExecutable": _l("Executable"),
    "processRef": _l("Process"), "operation": _l("Operation"), "resultVariable": _l("Result variable"),
    "calledDecisionId": _l("Decision (DMN)"), "text": _l("Text"), "hitPolicy": _l("Hit policy"),
    "label": _l("Label"), "typeRef": _l("Data type"), "property:kind": _l("Step kind"),
    "property:decisions": _l("Decisions offered"), "property:deadline_working_days": _l("Deadline (working days)"),
    "property:assignee": _l("Assignee"), "property:name_en": _l("English name"),
    "property:outcome": _l("Outcome of the end"),
    "property:escalation": _l("Escalation kind"),
}
DECISION_LABELS = {"eligibility_check": _l("Automatic eligibility check (called by the recognition process)")}

# The engine words migration problems in English; these read them in the user's language.
_REASONS = (
    (re.compile(r"^step (\S+) does not exist in the target version$"),
     lambda m: gettext("Step %(step)s does not exist in the target version.", step=m[1])),
    (re.compile(r"^waiting step (\S+) is not a user task in the target version$"),
     lambda m: gettext("Waiting step %(step)s is not a user task in the target version.", step=m[1])),
    (re.compile(r"^the state cannot be loaded on the target version: (.*)$", re.S),
     lambda m: gettext("The instance's state does not fit the target version: %(error)s", error=m[1])),
)


def migration_reason(text: str) -> str:
    for pattern, word in _REASONS:
        match = pattern.match(text)
        if match:
            return word(match)
    return text


def diagram_locale() -> str:
    """The page's language for the diagram libraries (bpmn-js, dmn-js): zh or en."""
    locale = get_locale()
    return "zh" if locale is None or locale.language == "zh" else "en"


def lane_display_names() -> dict[str, str]:
    """Lane key → the name a diagram shows, in the user's language."""
    return {key: str(name) for key, name in LANE_DISPLAY_NAMES.items()}


def element_type_label(tag: str) -> str:
    """An element's kind in words, e.g. userTask → 用户任务 (the tag itself when it has no words)."""
    return label(ELEMENT_TYPE_LABELS, tag)


def diff_field_label(field: str) -> str:
    """A field of the difference in words; a declared property `property:<name>` without words shows its name,
    a parameter `parameter:<id>` is named as one."""
    if field in DIFF_FIELD_LABELS:
        return str(DIFF_FIELD_LABELS[field])
    if field.startswith("parameter:"):
        return gettext("Parameter %(name)s", name=field.split(":", 1)[1])
    if field.startswith("property:"):
        return gettext("Property %(name)s", name=field.split(":", 1)[1])
    return field


def step_name(step: str | None, name: str | None = None) -> str:
    """The step as the BPMN names it (see labels.step_label), else the id."""
    return step_label(step, name)


def iso_cn(value: str | None) -> str:
    """An ISO 8601 time (as the services' dictionaries hold it) in the configured zone."""
    return datetime_cn(datetime.fromisoformat(value)) if value else ""


TEMPLATE_GLOBALS = {
    "lane_label": lambda code: label(LANE_LABELS, code),
    "outcome_label": lambda code: label(OUTCOME_LABELS, code),
    "kind_label": lambda code: label(KIND_LABELS, code),
    "instance_status_label": lambda code: label(INSTANCE_STATUS_LABELS, code),
    "task_state_label": lambda code: label(TASK_STATE_LABELS, code),
    "migration_reason": migration_reason,
    "step_name": step_name,
    "lane_display_names": lane_display_names,
    "diagram_locale": diagram_locale,
    "element_type_label": element_type_label,
    "diff_field_label": diff_field_label,
}
TEMPLATE_FILTERS = {"iso_cn": iso_cn}
