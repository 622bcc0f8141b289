"""The on-site check (实地抽查): its own result, recorded on a task of kind `spot_check`.

The result (when the site was visited, by whom, the findings, the outcome) is kept on the task and in
the history; the outcome decides the step like a decision: passed = approve, amend = return (the
enterprise must amend), failed = reject.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Invalid
from app.core.vocabulary import StepKind
from app.models import Application, User
from app.recognition import review

KIND = StepKind.SPOT_CHECK  # the step kind whose form this is
OUTCOMES = {"passed": "approve", "amend": "return", "failed": "reject"}


def _visited_on(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The checked result, or 422 with a message per field."""
    errors: dict[str, str] = {}
    visited = _visited_on(values.get("visited_on"))
    if visited is None:
        errors["visited_on"] = _("give the date of the visit (YYYY-MM-DD)")
    elif visited > workdays.china_date():
        errors["visited_on"] = _("the visit cannot be in the future")
    text = {key: (values.get(key) or "").strip() if isinstance(values.get(key), str) else ""
            for key in ("inspectors", "findings")}
    if not text["inspectors"]:
        errors["inspectors"] = _("required")
    elif len(text["inspectors"]) > 200:
        errors["inspectors"] = _("at most %(n)s characters", n=200)
    if not text["findings"]:
        errors["findings"] = _("required")
    elif len(text["findings"]) > 4000:
        errors["findings"] = _("at most %(n)s characters", n=4000)
    if values.get("outcome") not in OUTCOMES:
        errors["outcome"] = _("choose passed, amend or failed")
    if errors:
        raise Invalid(_("The on-site check cannot be recorded; check the marked fields."), fields=errors)
    return {"visited_on": visited.isoformat(), "inspectors": text["inspectors"], "findings": text["findings"],
            "outcome": values["outcome"]}


def record(user: User, task_id: Any, values: dict[str, Any]) -> Application:
    """Record the on-site check's result and decide the step with it."""
    task = review.get_task(user, task_id)
    if task.kind != KIND:
        raise Invalid(_("This task is not an on-site check."), code="not_a_spot_check")
    result = clean(values)
    application = review.decide(user, task.id, OUTCOMES[result["outcome"]], result["findings"], inspection=result)
    task.result = result  # after the decision: the instance lock reloads the open task rows
    audit.record("spot_check_result", application=application, actor=user, office_id=task.office_id, step=task.step,
                 details={k: result[k] for k in ("visited_on", "inspectors", "outcome")})
    return application
