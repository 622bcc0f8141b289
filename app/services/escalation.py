"""Deadline watch: reminders before a step's deadline, overdue flags to the supervising office.

Run by `flask tierflow worker`. Each due task is taken by exactly one worker: rows are selected with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite has a single writer anyway), marked, and committed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from app.extensions import db
from app.models import HumanTask, Office, User
from app.models.base import utcnow
from app.services import audit, notifications, workdays
from app.services.jurisdiction import office_for_lane

REMINDER_WORKING_DAYS = 2
UPWARD = {"county": "city", "city": "province", "province": "national"}


def _due_rows(condition, batch: int) -> list[HumanTask]:
    return list(db.session.scalars(db.select(HumanTask).where(HumanTask.state == "open", condition)
                                   .order_by(HumanTask.due_at).limit(batch)
                                   .with_for_update(skip_locked=True, of=HumanTask)))


def _supervising_office(task: HumanTask) -> Office | None:
    lane = UPWARD.get(task.lane or "")
    return office_for_lane(lane, task.application.enterprise) if lane else None


def run_once(now: datetime | None = None, batch: int = 200) -> dict[str, int]:
    """One pass: remind offices of deadlines within two working days, flag overdue tasks upward."""
    now = now or utcnow()
    reminded = escalated = 0
    for task in _due_rows(HumanTask.reminded_at.is_(None) & (HumanTask.due_at <= now + timedelta(days=7)), batch):
        if task.due_at < now or workdays.working_days_left(now, task.due_at) > REMINDER_WORKING_DAYS:
            continue
        task.reminded_at = now
        if task.office_id:
            notifications.notify_office(task.office_id, "reminder", _(
                "Deadline approaching: %(enterprise)s, %(step)s is due on %(due)s.",
                enterprise=task.application.enterprise.name, step=task.step_name or task.step,
                due=task.due_at.astimezone(workdays.CHINA).date().isoformat()), task.application)
        audit.record("reminder", application=task.application, office_id=task.office_id, step=task.step,
                     details={"due_at": task.due_at.isoformat()})
        reminded += 1
    for task in _due_rows(HumanTask.escalated_at.is_(None) & (HumanTask.due_at < now), batch):
        task.escalated_at = now
        supervisor = _supervising_office(task)
        message = _("Overdue: %(enterprise)s, %(step)s at %(office)s was due on %(due)s.",
                    enterprise=task.application.enterprise.name, step=task.step_name or task.step,
                    office=task.office.name if task.office else "-",
                    due=task.due_at.astimezone(workdays.CHINA).date().isoformat())
        if supervisor is not None:
            notifications.notify_office(supervisor.id, "overdue", message, task.application)
        heads = list(db.session.scalars(db.select(User.id).where(
            User.office_id == task.office_id, User.is_office_head.is_(True), User.active.is_(True))))
        notifications.notify_users(heads, "overdue", message, task.application)
        audit.record("overdue", application=task.application, office_id=task.office_id, step=task.step,
                     details={"due_at": task.due_at.isoformat(),
                              "escalated_to": supervisor.code if supervisor else None})
        escalated += 1
    db.session.flush()
    return {"reminded": reminded, "escalated": escalated}
