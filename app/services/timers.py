"""What happens when a BPMN timer fires: reminders, overdue flags, hand-ups, missed expert deadlines,
the end of a public notice. The BPMN says when (boundary and catch timers); this module says who hears.

Also the clock the engine runs under: step deadlines in Chinese working days, the call's setting first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.extensions import db
from app.models import Application, HumanTask, Office, ProcessInstance, ProcessTimer, User
from app.services import audit, notifications, workdays
from app.workflow import routing

DEFAULT_DEADLINE_DAYS = 10
UPWARD = {"county": "city", "city": "province", "province": "national"}


def bpmn_deadline_days(pspec: engine.ProcessSpec, step: str, overrides: dict[str, Any] | None = None) -> int | None:
    """A step's deadline in working days: an override (a call's setting), else the BPMN property."""
    days = (overrides or {}).get(step) or pspec.properties.get(step, {}).get("deadline_working_days")
    return int(days) if days and str(days).isdigit() else None


def clock(adapter: Any, subject: Any, pspec: engine.ProcessSpec, now: datetime) -> engine.Clock:
    """The engine's clock for this subject: `deadline(step, offset)` in working days from `now`."""

    def deadline(step: str, offset: int) -> datetime:
        days = (adapter.deadline_days(subject, pspec, step) or DEFAULT_DEADLINE_DAYS) + offset
        return workdays.add_working_days(now, days) if days >= 1 else now

    return engine.Clock(now, deadline)


def sync(instance: ProcessInstance, application_id: int | None, result: engine.Advance, now: datetime) -> None:
    """Keep `process_timer` rows in step with the engine's waiting timers."""
    waiting = {t.engine_task_id: t for t in result.timers}
    fired = {t.engine_task_id for t in result.fired}
    for row in instance.waiting_timers:
        if row.engine_task_id not in waiting:
            row.state = "fired" if row.engine_task_id in fired else "cancelled"
            row.fired_at = now if row.state == "fired" else None
    known = {row.engine_task_id for row in instance.waiting_timers}
    for timer in result.timers:
        if timer.engine_task_id not in known:
            db.session.add(ProcessTimer(instance_id=instance.id, application_id=application_id,
                                        engine_task_id=timer.engine_task_id, step=timer.step, kind=timer.kind,
                                        attached_step=timer.attached_to, due_at=timer.due_at, created_at=now))


def _supervising_office(task: HumanTask) -> Office | None:
    lane = UPWARD.get(task.lane or "")
    enterprise = task.application.enterprise
    return routing.office_for_lane(lane, enterprise.region, enterprise.sector) if lane else None


def _day(moment: datetime | None) -> str:
    return moment.astimezone(workdays.CHINA).date().isoformat() if moment else "-"


def remind(task: HumanTask, now: datetime) -> None:
    task.reminded_at = now
    message = _("Deadline approaching: %(enterprise)s, %(step)s is due on %(due)s.",
                enterprise=task.application.enterprise.name, step=task.step_name or task.step, due=_day(task.due_at))
    if task.office_id:
        notifications.notify_office(task.office_id, "reminder", message, task.application)
    if task.assignee_id:
        notifications.notify_users([task.assignee_id], "reminder", message, task.application)
    if task.lane == "enterprise":  # the amendment: the enterprise's own deadline
        users = list(db.session.scalars(db.select(User.id).where(
            User.enterprise_id == task.application.enterprise_id, User.active.is_(True))))
        notifications.notify_users(users, "reminder", message, task.application)
    audit.record("reminder", application=task.application, office_id=task.office_id, step=task.step,
                 details={"due_at": task.due_at.isoformat() if task.due_at else None})


def flag_overdue(task: HumanTask, now: datetime) -> None:
    task.escalated_at = now
    supervisor = _supervising_office(task)
    message = _("Overdue: %(enterprise)s, %(step)s at %(office)s was due on %(due)s.",
                enterprise=task.application.enterprise.name, step=task.step_name or task.step,
                office=task.office.name if task.office else "-", due=_day(task.due_at))
    if supervisor is not None:
        notifications.notify_office(supervisor.id, "overdue", message, task.application)
    heads = list(db.session.scalars(db.select(User.id).where(
        User.office_id == task.office_id, User.is_office_head.is_(True), User.active.is_(True)))) \
        if task.office_id else []
    notifications.notify_users(heads, "overdue", message, task.application)
    audit.record("overdue", application=task.application, office_id=task.office_id, step=task.step,
                 details={"due_at": task.due_at.isoformat() if task.due_at else None,
                          "escalated_to": supervisor.code if supervisor else None})


def on_fired(application: Application, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
    """Act on a timer that fired; `task` is the inbox row it watched (open before the engine ran)."""
    if timer.kind == "reminder" and task is not None:
        remind(task, now)
    elif timer.kind == "overdue" and task is not None:
        flag_overdue(task, now)
    elif timer.kind == "hand_up" and task is not None:
        task.decision = "handed_up"
        supervisor = _supervising_office(task)
        audit.record("handed_up", application=application, office_id=task.office_id, step=task.step,
                     details={"to": supervisor.code if supervisor else None})
    elif timer.kind == "expert_deadline" and task is not None:
        task.decision = "missed"  # blind: the history says a panel member missed it, not who
        audit.record("expert_missed", application=application, step=task.step)
    elif timer.kind == "notice_period":
        audit.record("public_notice_ended", application=application, step=timer.step)
    else:
        audit.record("timer", application=application, step=timer.step, details={"kind": timer.kind})
