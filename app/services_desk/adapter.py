"""The problem as a process subject (issue 14). Its jurisdiction is the enterprise's region and sector; at the
city and provincial levels the lane goes to the sector department of the enterprise's sector at that level (the
service team of 建筑、农业、商贸、文旅、能源, 001 §三(二)(三)) unless a routing rule names another office, and to
the level's general office (工信) for an industry firm or where the level has no such department. The waiting
step's `level` property is the problem's level; its `above_lane` property names who hears of it when it is
overdue ("flagged one level up")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import Lane, ProblemStatus
from app.extensions import db
from app.models import HumanTask, Office, Problem, ProcessInstance, Region, User
from app.workbench import notifications
from app.workflow import definitions, routing, subjects, timers

SUBJECT = "problem"
OUTCOMES = (ProblemStatus.CLOSED.value,)
SECTOR_LANES = {Lane.CITY.value: "city", Lane.PROVINCE.value: "province"}


def sector_office(lane: str | None, region: Region, sector: str | None) -> Office | None:
    """The office working `lane` for a problem of `sector` in `region`: a routing rule for the sector first, then
    the sector department at the lane's level, then the level's general office."""
    routed = routing.office_for_lane(lane, region, sector)
    level = SECTOR_LANES.get(lane or "")
    if level is None or sector is None or (routed is not None and routed.sector == sector):
        return routed
    at_level = region.ancestor(level)
    if at_level is None:
        return routed
    department = db.session.scalar(db.select(Office).where(Office.region_code == at_level.code,
                                                           Office.sector == sector).order_by(Office.id).limit(1))
    return department or routed


class ProblemAdapter:
    subject_type = SUBJECT
    outcomes = OUTCOMES

    def load(self, subject_id: int) -> Problem:
        return db.session.get(Problem, subject_id)

    def of_instance(self, instance: ProcessInstance) -> Problem:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: Problem) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.sector

    def binding_facts(self, subject: Problem) -> dict[str, Any]:
        return {"tier": None, "on": workdays.china_date(subject.created_at)}

    def engine_data(self, subject: Problem) -> dict[str, Any]:
        return {"category": subject.category, "enterprise_id": subject.enterprise_id}

    def deadline_days(self, subject: Problem, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: Problem, ready: engine.ReadyTask) -> datetime | None:
        return None

    def lane_office(self, subject: Problem, lane: str | None) -> Office | None:
        return sector_office(lane, *self.jurisdiction(subject)) if lane in SECTOR_LANES else None

    def task_columns(self, subject: Problem) -> dict[str, Any]:
        return {"region_code": subject.region_code, "sector": subject.sector}

    def task_arrived(self, subject: Problem, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", _(
                "A problem of %(enterprise)s waits for your office: %(step)s.", enterprise=subject.enterprise.name,
                step=step_name or ""), None)

    def advanced(self, instance: ProcessInstance, subject: Problem, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        if result.completed:
            if subject.status != ProblemStatus.CLOSED:
                subject.status, subject.closed_at = ProblemStatus.CLOSED.value, now
            return
        for ready in result.ready:
            level = ready.properties.get("level")
            if level:  # a service team holds it
                subject.level, subject.status = level, ProblemStatus.OPEN.value
            elif ready.lane == Lane.ENTERPRISE and subject.status != ProblemStatus.RESOLVED:
                subject.status, subject.resolved_at = ProblemStatus.RESOLVED.value, now
                notifications.notify_users(list(db.session.scalars(db.select(User.id).where(
                    User.enterprise_id == subject.enterprise_id))), "problem_resolved", _(
                    "Your problem #%(id)s was resolved: confirm it or reopen it.", id=subject.id))

    def timer_fired(self, subject: Problem, task: HumanTask | None, timer: engine.Timer, now: datetime) -> None:
        audit.record(f"timer_{timer.kind}", subject=(SUBJECT, subject.id), step=timer.step)
        if task is None or task.office_id is None:
            return
        step = task.step_name or task.step
        name = subject.enterprise.name
        if timer.kind == "reminder":
            task.reminded_at = now
            notifications.notify_office(task.office_id, "reminder", _(
                "Reminder: %(step)s for %(enterprise)s is due soon.", step=step, enterprise=name), None)
        elif timer.kind == "overdue":
            task.escalated_at = subject.overdue_at = now
            message = _("Overdue: %(step)s for %(enterprise)s.", step=step, enterprise=name)
            notifications.notify_office(task.office_id, "overdue", message, None)
            instance = db.session.get(ProcessInstance, task.instance_id)
            above_lane = definitions.process_spec(instance.definition_id).properties.get(
                task.step, {}).get("above_lane")
            above = sector_office(above_lane, *self.jurisdiction(subject)) if above_lane else None
            if above is not None:
                notifications.notify_office(above.id, "overdue", message, None)
            audit.record("problem_flagged_up", subject=(SUBJECT, subject.id), step=task.step,
                         office_id=above.id if above is not None else None,
                         details={"overdue_office": task.office.name,
                                  "flagged_to": above.name if above is not None else None})

    def summary(self, subject: Problem) -> dict[str, Any]:
        return {"problem_id": subject.id, "enterprise": subject.enterprise.name, "category": subject.category}

    def audit_refs(self, subject: Problem) -> dict[str, Any]:
        return {"subject": (SUBJECT, subject.id)}

    def ended(self, subject: Problem, step: str | None) -> None:
        """Closed by its timer: the enterprise did not answer the resolution in time."""
        audit.record("problem_closed_unanswered", subject=(SUBJECT, subject.id), step=step)


subjects.register(ProblemAdapter())
