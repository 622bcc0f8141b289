"""Two process subjects: a member's monitoring report (`monitoring_report`: the enterprise's lane files, the
county lane follows up an alert) and a programme (`monitoring_programme`: the `monitoring_cycle` process
that opens each period when it ends). The report's due date is the period's; its reminder and overdue
timers read `report_remind` and `report_due` from the start data."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from app import engine
from app.core import audit, workdays
from app.core.vocabulary import MonitoringStatus, StepKind
from app.extensions import db
from app.models import HumanTask, MonitoringProgramme, MonitoringReport, Office, ProcessInstance, Region, User
from app.workbench import notifications
from app.workflow import subjects, timers

REMIND_DAYS = 5  # calendar days before the due date


def _enterprise_users(report: MonitoringReport) -> list[int]:
    return list(db.session.scalars(db.select(User.id).where(User.enterprise_id == report.enterprise_id,
                                                            User.active.is_(True))))


def due_at(report: MonitoringReport) -> datetime:
    """The end of the period's due day, China time."""
    return datetime.combine(report.period.due_on, time(23, 59), tzinfo=workdays.CHINA)


class ReportAdapter:
    subject_type = "monitoring_report"
    outcomes = ("filed", "followed_up")

    def load(self, subject_id: int) -> MonitoringReport:
        return db.session.get(MonitoringReport, subject_id)

    def of_instance(self, instance: ProcessInstance) -> MonitoringReport:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: MonitoringReport) -> tuple[Region, str | None]:
        return subject.enterprise.region, subject.enterprise.sector

    def binding_facts(self, subject: MonitoringReport) -> dict[str, Any]:
        return {"tier": subject.tier, "on": subject.period.starts_on}

    def engine_data(self, subject: MonitoringReport) -> dict[str, Any]:
        due = due_at(subject)
        remind = max(due - timedelta(days=REMIND_DAYS), datetime.now(workdays.CHINA))
        period = subject.period
        return {"report_due": due.isoformat(), "report_remind": remind.isoformat(), "tier": subject.tier,
                "library": subject.library_key, "period_year": period.year, "period_seq": period.seq,
                "frequency": period.frequency}

    def deadline_days(self, subject: MonitoringReport, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: MonitoringReport, ready: engine.ReadyTask) -> datetime | None:
        return due_at(subject) if ready.kind == StepKind.MONITORING_DATA else None

    def lane_office(self, subject: MonitoringReport, lane: str | None) -> Office | None:
        return None  # the routing rules decide (enterprises register at a county: the county lane resolves)

    def task_columns(self, subject: MonitoringReport) -> dict[str, Any]:
        return {"target_tier": subject.tier, "region_code": subject.region_code, "sector": subject.sector}

    def task_arrived(self, subject: MonitoringReport, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        message = _("New task: %(enterprise)s, %(step)s", enterprise=subject.enterprise.name, step=step_name or "")
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", message, None)
        else:
            notifications.notify_users(_enterprise_users(subject), "task_arrived", message)

    def advanced(self, instance: ProcessInstance, subject: MonitoringReport, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        if any(r.kind == StepKind.FOLLOW_UP for r in result.ready):
            subject.follow_up = "open"
        elif result.completed and subject.follow_up == "open":
            subject.follow_up = "done"

    def timer_fired(self, subject: MonitoringReport, task: HumanTask | None, timer: engine.Timer,
                    now: datetime) -> None:
        """A reminder goes to the enterprise; the overdue flag marks a report still waiting as missed (the
        task stays open: it may still be filed late) and tells the programme's office."""
        audit.record(f"timer_{timer.kind}", subject=(self.subject_type, subject.id), step=timer.step,
                     details={"task_id": task.id if task else None})
        if task is None:
            return
        step = task.step_name or task.step
        if timer.kind == "reminder":
            task.reminded_at = now
            target = task.office_id
            message = _("Reminder: %(step)s for %(enterprise)s is due soon.", step=step,
                        enterprise=subject.enterprise.name)
            if target is not None:
                notifications.notify_office(target, "reminder", message, None)
            else:
                notifications.notify_users(_enterprise_users(subject), "reminder", message)
        elif timer.kind == "overdue":
            task.escalated_at = now
            if task.kind == StepKind.MONITORING_DATA and subject.status == MonitoringStatus.WAITING:
                subject.status = MonitoringStatus.MISSED.value
                notifications.notify_users(_enterprise_users(subject), "overdue", _(
                    "Your monitoring report for %(period)s is overdue; please file it now.",
                    period=subject.period.due_on.isoformat()))
            notifications.notify_office(subject.period.office_id, "overdue", _(
                "Overdue: %(step)s for %(enterprise)s.", step=step, enterprise=subject.enterprise.name), None)

    def summary(self, subject: MonitoringReport) -> dict[str, Any]:
        return {"report_id": subject.id, "enterprise": subject.enterprise.name, "period_id": subject.period_id}

    def audit_refs(self, subject: MonitoringReport) -> dict[str, Any]:
        return {"subject": (self.subject_type, subject.id)}

    def ended(self, subject: MonitoringReport, step: str | None) -> None:
        audit.record("monitoring_report_ended", subject=(self.subject_type, subject.id), step=step)


class ProgrammeAdapter:
    """The programme's rhythm: no people act in it, only its timer and service tasks."""

    subject_type = "monitoring_programme"
    outcomes: tuple[str, ...] = ()

    def load(self, subject_id: int) -> MonitoringProgramme:
        return db.session.get(MonitoringProgramme, subject_id)

    def of_instance(self, instance: ProcessInstance) -> MonitoringProgramme:
        return self.load(instance.subject_id)

    def lock_options(self) -> list[Any]:
        return []

    def jurisdiction(self, subject: MonitoringProgramme) -> tuple[Region, str | None]:
        return subject.region, None

    def binding_facts(self, subject: MonitoringProgramme) -> dict[str, Any]:
        return {"tier": None, "on": workdays.china_date()}

    def engine_data(self, subject: MonitoringProgramme) -> dict[str, Any]:
        return {"programme_region": subject.region_code, "frequency": subject.frequency}

    def deadline_days(self, subject: MonitoringProgramme, pspec: engine.ProcessSpec, step: str) -> int | None:
        return timers.bpmn_deadline_days(pspec, step, {})

    def fixed_due(self, subject: MonitoringProgramme, ready: engine.ReadyTask) -> datetime | None:
        return None

    def lane_office(self, subject: MonitoringProgramme, lane: str | None) -> Office | None:
        return subject.office

    def task_columns(self, subject: MonitoringProgramme) -> dict[str, Any]:
        return {"region_code": subject.region_code}

    def task_arrived(self, subject: MonitoringProgramme, office: Office | None, assignee: int | None,
                     step_name: str | None) -> None:
        if office is not None:
            notifications.notify_office(office.id, "task_arrived", _("New task: %(enterprise)s, %(step)s",
                                        enterprise=subject.region.name, step=step_name or ""), None)

    def advanced(self, instance: ProcessInstance, subject: MonitoringProgramme, result: engine.Advance,
                 pspec: engine.ProcessSpec, now: datetime) -> None:
        return None

    def timer_fired(self, subject: MonitoringProgramme, task: HumanTask | None, timer: engine.Timer,
                    now: datetime) -> None:
        audit.record(f"timer_{timer.kind}", subject=(self.subject_type, subject.id), step=timer.step)

    def summary(self, subject: MonitoringProgramme) -> dict[str, Any]:
        return {"programme_id": subject.id, "region": subject.region.name}

    def audit_refs(self, subject: MonitoringProgramme) -> dict[str, Any]:
        return {"subject": (self.subject_type, subject.id)}

    def ended(self, subject: MonitoringProgramme, step: str | None) -> None:
        audit.record("monitoring_cycle_ended", subject=(self.subject_type, subject.id), step=step)


subjects.register(ReportAdapter())
subjects.register(ProgrammeAdapter())
