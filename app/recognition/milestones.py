"""The enterprise's milestones: declared in the BPMN, told to the enterprise, and said in words it understands.

A step (user task or timer event) of the recognition process may carry the property `enterprise_notice` naming a
milestone below. When such a step starts waiting, the applying enterprise is told (once per round and milestone;
a new submission starts a new round), and while it waits the enterprise's pages say where the application
stands in these words. Returned, recognized and rejected come from the process's own declarations (the kind
`amendment`, the end events' `outcome`) through app.workbench.notifications.status_changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from app.core import workdays
from app.core.vocabulary import StepKind
from app.extensions import db
from app.models import Application, HumanTask
from app.workbench.notifications import N_, notify_enterprise

PROPERTY = "enterprise_notice"
ENTERPRISE_KINDS = (StepKind.AMENDMENT, StepKind.DATA_UPDATE)
SUBMITTED = "submitted"  # starts a round

# milestone → (the notice, the words on the enterprise's pages); %(office)s is the office that has it now
MILESTONES: dict[str, tuple[str, str]] = {
    SUBMITTED: (N_("Your application no. %(id)s was submitted; %(office)s carries out the first review."),
                N_("Submitted; first review at %(office)s")),
    "passed_county": (N_("Your application no. %(id)s passed the county's first review; %(office)s reviews it "
                         "now."),
                      N_("County first review passed; review at %(office)s")),
    "passed_city": (N_("Your application no. %(id)s passed the city's review; %(office)s reviews it now."),
                    N_("City review passed; provincial review at %(office)s")),
    "with_experts": (N_("Your application no. %(id)s passed the provincial first review and is with the "
                         "expert panel."),
                      N_("Provincial first review passed; expert review under way")),
    "drawn_for_check": (N_("Your application no. %(id)s was drawn for an on-site check by %(office)s."),
                   N_("On-site spot check by %(office)s")),
    "recommended": (N_("Your application no. %(id)s passed the provincial review and was recommended to "
                       "%(office)s."),
                    N_("Recommended by the province; national review at %(office)s")),
    "on_notice": (N_("Your application no. %(id)s is on public notice until %(until_on)s."),
                      N_("On public notice until %(until_on)s")),
}
EXPERTS_DONE = N_("Expert review done; provincial decision at %(office)s")


def _day(when: datetime | date) -> date:
    """The day in China (a notice ending at midnight Beijing time ends that day, not the UTC day before)."""
    return workdays.china_date(when) if isinstance(when, datetime) else when


def declared(properties: dict[str, Any] | None) -> str | None:
    key = (properties or {}).get(PROPERTY)
    return key if key in MILESTONES else None


def reached(application: Application, key: str, office_name: str | None, until: datetime | date | None) -> None:
    """Tell the enterprise once per round that its application reached milestone `key`."""
    if key not in MILESTONES:
        return
    params: dict[str, Any] = {"id": application.id, "office": office_name or ""}
    if until is not None:
        params["until_on"] = _day(until).isoformat()
    # once per round: not if the enterprise was told `key` since the latest submission notice
    notify_enterprise(application, "progress", MILESTONES[key][0], extra={"milestone": key},
                      once=None if key == SUBMITTED else key, round_from=SUBMITTED, **params)


def words(key: str | None, office_name: str | None, until: datetime | date | None) -> str | None:
    """Where the application stands, as the enterprise reads it ("省级初审通过，专家评审中")."""
    if key is None:
        return None
    text = EXPERTS_DONE if key == "experts_done" else MILESTONES[key][1] if key in MILESTONES else None
    if text is None:
        return None
    day = _day(until) if until is not None else None
    return _(text, office=office_name or "", until_on=format_date(day, "long") if day else "")


def standing(application: Application, task: HumanTask | None = None) -> str | None:
    """Where an application under review stands, in the enterprise's words ("省级初审通过，专家评审中",
    "公示中，截至 2026年12月9日"); None when nothing waits or the waiting step declares no milestone. `task`: its
    open task when the caller already has it (lists)."""
    from app.recognition import applications
    from app.workflow import definitions

    if application.status != "in_review" or application.instance is None:
        return None
    pspec = definitions.process_spec(application.instance.definition_id)
    task = task if task is not None else applications.current_task(application)
    if task is None:
        event = applications.waiting_event(application)
        if event is None:
            return None
        _step, office = applications.current_step(application)
        return words(declared(pspec.properties.get(event.step)), office.name if office else None, event.due_at)
    key = declared(pspec.properties.get(task.step))
    if key is not None and task.assignee_id is None and _experts_done(application, task):
        key = "experts_done"  # back at the office after the panel scored
    return words(key, task.office.name if task.office else None, None)


def _experts_done(application: Application, task: HumanTask) -> bool:
    """Whether a panel scored in this round before `task` (a personal task, e.g. an expert's score, was completed
    after the latest resubmission)."""
    rows = db.session.execute(db.select(HumanTask.id, HumanTask.kind, HumanTask.assignee_id, HumanTask.state).where(
        HumanTask.application_id == application.id, HumanTask.id < task.id).order_by(HumanTask.id)).all()
    start = max((r.id for r in rows if r.kind in ENTERPRISE_KINDS and r.state == "completed"), default=0)
    return any(r.id > start and r.assignee_id is not None for r in rows)
