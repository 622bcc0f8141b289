"""The periodic report as a process subject (`periodic_report`, 定期调度 000 §四(三)).

Lane `city` is the reporting office itself (the city's general office, where its 信息报送员 works), lane
`province` the schedule's recipient (the province's general office): the report names both, so no routing
rule is consulted. A reporter task without a `deadline_working_days` property is due on the period's last
working day (its timers read `report_remind` / `report_due`); one with it (the revision after a return) counts
working days from the return. The report's status follows the kind of step that waits; the end event's
`outcome` (`accepted`) closes it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import Lane, ReportStatus, StepKind
from app.extensions import db
from app.models import HumanTask, Office, PeriodicReport, ProcessInstance, Region, User
from app.workbench import notifications
from app.workflow import subjects, timers

SUBJECT = "periodic_report"
OUTCOMES = (ReportStatus.ACCEPTED.value,)
REMIND_AT = time(9, 0)


def due_at(report: PeriodicReport) -> datetime:
    """The end of the due day, China time."""
    return datetime.combine(report.due_on, workdays.END_OF_DAY, tzinfo=workdays.CHINA)


def remind_at(report: PeriodicReport, now: datetime) -> datetime:
    """09:00 of the working day before the due day (at once when the report opens later than that)."""
    day = report.due_on - timedelta(days=1)
    while not workdays.is_workday(day) and day > report.opens_on:
        day -= timedelta(days=1)
    return max(datetime.combine(day, REMIND_AT, tzinfo=workdays.CHINA), now.astimezone(workdays.CHINA))


def reporters(office_id: int) -> list[int]:
    return list(db.session.scalars(db.select(User.id).where(
        User.office_id == office_id, User.role == "reporter", User.active.is_(True))))


def period_name(report: PeriodicReport) -> str:
    from app.reporting import periodic_schedules

    return periodic_schedules.label(report)


class PeriodicReportAdapter:
    subject_type = SUBJECT
    outcomes = OUTCOMES

    def load(self, subject_id: int) -> PeriodicReport:
        return db.session.get(PeriodicReport, subject_id)

    def of_instance(self, instance: ProcessInstance) -> PeriodicReport:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: PeriodicReport) -> tuple[Region, str | None]:
        return subject.region, None

    def binding_facts(self, subject: PeriodicReport) -> dict[str, Any]:
        return {"tier": None, "on": subject.opens_on}

    def engine_data(self, subject: PeriodicReport) -> dict[str, Any]:
        now = datetime.now(workdays.CHINA)
        return {"schedule": subject.schedule_key, "year": subject.year, "frequency": subject.frequency,
                "seq": subject.seq, "report_due": due_at(subject).isoformat(),
                "report_remind": remind_at(subject, now).isoformat()}

    def deadline_days(self, subject: PeriodicReport, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: PeriodicReport, ready: engine.ReadyTask) -> datetime | None:
        """The first filing is due on the period's last working day; a revision has its working days."""
        if ready.kind != StepKind.PERIODIC_REPORT or ready.properties.get("deadline_working_days"):
            return None
        return due_at(subject)

    def lane_office(self, subject: PeriodicReport, lane: str | None) -> Office | None:
        if lane == Lane.CITY:
            return subject.office
        if lane == Lane.PROVINCE:
            return subject.schedule.recipient
        return None

    def task_columns(self, subject: PeriodicReport) -> dict[str, Any]:
        return {"region_code": subject.region_code}

    def _tell(self, subject: PeriodicReport, office: Office | None, kind: str, message: str) -> None:
        if office is None:
            return
        if office.id == subject.office_id:  # the reporting office: its reporters, not its reviewers
            notifications.notify_users(reporters(office.id), kind, message)
        else:
            notifications.notify_office(office.id, kind, message, None)

    def task_arrived(self, subject: PeriodicReport, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        self._tell(subject, office, "task_arrived", _(
            "New task: %(office)s, %(period)s, %(step)s", office=subject.office.name, period=period_name(subject),
            step=step_name or ""))

    def advanced(self, instance: ProcessInstance, subject: PeriodicReport, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        previous = subject.status
        if result.completed:
            outcome = pspec.properties.get(result.end_event or "", {}).get("outcome")
            subject.status = outcome if outcome in OUTCOMES else ReportStatus.ACCEPTED.value
        elif any(r.kind == StepKind.PERIODIC_REPORT for r in result.ready):
            subject.status = ReportStatus.RETURNED.value if subject.decision == "return" else ReportStatus.OPEN.value
        elif result.ready:
            subject.status = ReportStatus.SUBMITTED.value
        if subject.status != previous and subject.status in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
            message = _("Your periodic report %(period)s was accepted.", period=period_name(subject)) \
                if subject.status == ReportStatus.ACCEPTED else _(
                "Your periodic report %(period)s was returned: %(reason)s", period=period_name(subject),
                reason=subject.reason or "")
            notifications.notify_users(reporters(subject.office_id), "periodic_report", message)

    def timer_fired(self, subject: PeriodicReport, task: HumanTask | None, timer: engine.Timer,
                    now: datetime) -> None:
        """A reminder goes to whoever holds the task (the city's reporters, or the receiving office); an overdue
        flag is marked on the task and the receiving office is told (and the reporters, when it is theirs)."""
        audit.record(f"timer_{timer.kind}", subject=(SUBJECT, subject.id), step=timer.step,
                     details={"task_id": task.id if task else None})
        if task is None:
            return
        step, period = task.step_name or task.step, period_name(subject)
        holder = db.session.get(Office, task.office_id) if task.office_id else None
        if timer.kind == "reminder":
            task.reminded_at = now
            self._tell(subject, holder, "reminder", _(
                "Reminder: %(step)s for %(period)s is due soon.", step=step, period=period))
        elif timer.kind == "overdue":
            task.escalated_at = now
            if task.office_id == subject.office_id:
                self._tell(subject, holder, "overdue", _("Overdue: %(step)s for %(period)s.", step=step,
                                                         period=period))
                notifications.notify_office(subject.schedule.recipient_office_id, "overdue", _(
                    "Overdue: %(office)s has not filed %(period)s.", office=subject.office.name, period=period), None)
            else:
                notifications.notify_office(subject.schedule.recipient_office_id, "overdue", _(
                    "Overdue: %(step)s for %(period)s.", step=step, period=period), None)

    def summary(self, subject: PeriodicReport) -> dict[str, Any]:
        return {"report_id": subject.id, "office": subject.office.name, "period": period_name(subject)}

    def audit_refs(self, subject: PeriodicReport) -> dict[str, Any]:
        return {"subject": (SUBJECT, subject.id)}

    def ended(self, subject: PeriodicReport, step: str | None) -> None:
        audit.record("periodic_report_ended", subject=(SUBJECT, subject.id), step=step)


subjects.register(PeriodicReportAdapter())
