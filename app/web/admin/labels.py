"""How the codes of process definitions read on screen: lanes, decision outcomes, migration reasons."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import Decision, InstanceStatus, Lane, TaskState
from app.web.labels import datetime_cn, label, step_label

LANE_LABELS = Lane.labels()
OUTCOME_LABELS = Decision.labels()
INSTANCE_STATUS_LABELS = InstanceStatus.labels()
TASK_STATE_LABELS = TaskState.labels()
KIND_LABELS = {"bpmn": _l("BPMN process"), "dmn": _l("DMN decision table")}
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
}
TEMPLATE_FILTERS = {"iso_cn": iso_cn}
