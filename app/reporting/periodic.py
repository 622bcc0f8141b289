"""Periodic reports (定期调度, 000 §四(三)): opening them for each reporting office once per period, the
reporter saving and submitting the four headings, the province accepting or returning, who sees what.

Each report runs the `periodic_report` process (workflows/periodic_report.bpmn; its adapter is
periodic_adapter.py). Opening is idempotent: one report per schedule, office, year, frequency and sequence
(a unique constraint guards against two workers at once).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import ReportStatus, StepKind
from app.extensions import db
from app.models import SECTIONS, HumanTask, Office, PeriodicReport, ReportSchedule, ReportScheduleUnit, User
from app.models.base import utcnow
from app.reporting import periodic_figures, periodic_schedules
from app.reporting.periodic_adapter import SUBJECT
from app.workflow import instances, worker

PROCESS = "periodic_report"
SECTION_MAX = 5000  # characters per heading
SECTION_MIN = 10  # at submission: a heading says something


# --- opening ------------------------------------------------------------------------------------------

def refresh_figures(report: PeriodicReport, now: datetime | None = None) -> None:
    report.figures = periodic_figures.count(report.region_code, report.starts_on, report.ends_on)
    report.figures_at = now or utcnow()


def open_report(schedule: ReportSchedule, office: Office, period: periodic_schedules.Period,
                user: User | None = None) -> PeriodicReport | None:
    """Open the office's report for the period and start its process; None when it exists already."""
    exists = db.session.scalar(db.select(PeriodicReport.id).where(
        PeriodicReport.schedule_key == schedule.key, PeriodicReport.office_id == office.id,
        PeriodicReport.year == period.year, PeriodicReport.frequency == period.frequency,
        PeriodicReport.seq == period.seq))
    if exists is not None:
        return None
    try:
        with db.session.begin_nested():  # a report another worker opened meanwhile is skipped, not fatal
            report = PeriodicReport(schedule_key=schedule.key, office_id=office.id, region_code=office.region_code,
                                    year=period.year, frequency=period.frequency, seq=period.seq,
                                    starts_on=period.starts_on, ends_on=period.ends_on, opens_on=period.opens_on,
                                    due_on=period.due_on, status=ReportStatus.OPEN.value,
                                    opened_by_id=user.id if user else None)
            db.session.add(report)
            db.session.flush()
    except IntegrityError:
        return None
    refresh_figures(report)
    audit.record("periodic_report_opened", actor=user, subject=(SUBJECT, report.id), office_id=office.id,
                 details={"schedule": schedule.key, "year": period.year, "frequency": period.frequency,
                          "seq": period.seq, "due_on": period.due_on.isoformat()})
    instances.start(SUBJECT, report, PROCESS)
    return report


def open_due(now: datetime) -> dict[str, int]:
    """The worker's pass: open every active schedule's reports whose period's last week holds today."""
    today = workdays.china_date(now)
    opened = 0
    for schedule in periodic_schedules.schedules():
        for found in periodic_schedules.current_periods(schedule, today):
            for unit in schedule.units:
                opened += open_report(schedule, unit.office, found) is not None
    return {"periodic_reports_opened": opened}


def may_manage(user: User, schedule: ReportSchedule) -> bool:
    return user.role == "admin" or (user.role == "reviewer" and user.office_id == schedule.recipient_office_id)


def managed_schedules(user: User) -> list[ReportSchedule]:
    return [s for s in periodic_schedules.schedules(active_only=False) if may_manage(user, s)]


def open_now(user: User, schedule_key: Any, year: Any, frequency: Any, seq: Any) -> list[PeriodicReport]:
    """An administrator or the recipient office opens a period at once (before its last week, or one the worker
    missed); the reports already open are left alone. The new ones."""
    schedule = periodic_schedules.get(schedule_key)
    if schedule is None or not may_manage(user, schedule):
        raise NotFound(_("Report schedule not found."))
    try:
        found = periodic_schedules.period(int(year), str(frequency), int(seq))
    except (TypeError, ValueError):
        raise Invalid(_("No such reporting period."), fields={"period": _("unknown period")}) from None
    if found.frequency not in schedule.frequency_list:
        raise Invalid(_("This schedule does not report on that period."), fields={"period": _("unknown period")})
    if found.starts_on > workdays.china_date():
        raise Invalid(_("This period has not begun yet."), fields={"period": _("not begun")})
    opened = [r for unit in schedule.units if (r := open_report(schedule, unit.office, found, user)) is not None]
    audit.record("periodic_period_opened", actor=user, office_id=schedule.recipient_office_id,
                 details={"schedule": schedule.key, "year": found.year, "frequency": found.frequency,
                          "seq": found.seq, "opened": len(opened)})
    return opened


# --- who sees -----------------------------------------------------------------------------------------

def visible(user: User, query: Any) -> Any:
    """A reporter its office's reports; the recipient office's reviewers the reports sent to it; a leader those
    of its region (as recipient or as reporting city); the admin all."""
    if user.role == "admin":
        return query
    if user.role == "reporter" and user.office_id is not None:
        return query.where(PeriodicReport.office_id == user.office_id)
    received = db.select(ReportSchedule.key)
    if user.role == "reviewer" and user.office_id is not None:
        return query.where(PeriodicReport.schedule_key.in_(
            received.where(ReportSchedule.recipient_office_id == user.office_id)))
    if user.role == "leader" and user.region_code:
        offices = db.select(Office.id).where(Office.region_code == user.region_code)
        return query.where(PeriodicReport.schedule_key.in_(received.where(
            ReportSchedule.recipient_office_id.in_(offices))) | (PeriodicReport.region_code == user.region_code))
    return query.where(db.false())


def get_for(user: User, report_id: Any) -> PeriodicReport:
    report = db.session.get(PeriodicReport, report_id) if isinstance(report_id, int) else None
    if report is None or db.session.scalar(visible(user, db.select(PeriodicReport.id)).where(
            PeriodicReport.id == report.id)) is None:
        raise NotFound(_("Periodic report not found."))
    return report


def search(user: User, *, schedule: str | None = None, year: int | None = None, frequency: str | None = None,
           seq: int | None = None, status: str | None = None) -> list[PeriodicReport]:
    """The reports the user sees: open ones first, then by due date (latest first)."""
    query = visible(user, db.select(PeriodicReport))
    for column, value in ((PeriodicReport.schedule_key, schedule), (PeriodicReport.year, year),
                          (PeriodicReport.frequency, frequency), (PeriodicReport.seq, seq),
                          (PeriodicReport.status, status)):
        if value is not None:
            query = query.where(column == value)
    waiting = db.case((PeriodicReport.status.in_((ReportStatus.OPEN, ReportStatus.RETURNED)), 0), else_=1)
    return list(db.session.scalars(query.order_by(waiting, PeriodicReport.due_on.desc(), PeriodicReport.office_id)))


def open_task(report: PeriodicReport) -> HumanTask | None:
    return db.session.scalar(db.select(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.subject_id == report.id, HumanTask.state == "open")
        .order_by(HumanTask.id).limit(1))


def reporter_task(user: User, report: PeriodicReport) -> HumanTask | None:
    """The report's open filing task, when it waits for this reporter's office."""
    task = open_task(report)
    if task is None or task.kind != StepKind.PERIODIC_REPORT or user.role != "reporter" \
            or task.office_id != user.office_id:
        return None
    return task


def review_task(user: User, report: PeriodicReport) -> HumanTask | None:
    """The report's open review task, when it waits for this reviewer's office."""
    task = open_task(report)
    if task is None or task.kind == StepKind.PERIODIC_REPORT or user.role != "reviewer" \
            or task.office_id != user.office_id:
        return None
    return task


def overdue(report: PeriodicReport, today: date | None = None) -> bool:
    """Waiting for the reporter past its deadline (or flagged so by the overdue timer)."""
    waiting = report.status in (ReportStatus.OPEN, ReportStatus.RETURNED)
    task = open_task(report) if waiting else None
    if task is not None and task.escalated_at is not None:
        return True
    if task is not None and task.due_at is not None:
        return task.due_at < utcnow() if today is None else workdays.china_date(task.due_at) < today
    return waiting and (today or workdays.china_date()) > report.due_on


# --- the reporter -------------------------------------------------------------------------------------

def _sections(values: dict[str, Any], *, complete: bool) -> dict[str, str]:
    """The four headings from `values` (only those given), checked; 422 naming each heading at fault."""
    names = section_labels()
    errors, found = {}, {}
    for key in sorted(set(values) - set(SECTIONS) - {"lock_version"}):
        errors[key] = _("unknown field; the headings are %(keys)s", keys=", ".join(SECTIONS))
    for key in SECTIONS:
        if key not in values:
            continue
        value = values[key]
        if value is not None and not isinstance(value, str):
            errors[key] = _("%(heading)s must be text.", heading=names[key])
            continue
        text = (value or "").strip()
        if len(text) > SECTION_MAX:
            errors[key] = _("%(heading)s: at most %(max)s characters (now %(n)s).", heading=names[key],
                            max=SECTION_MAX, n=len(text))
        found[key] = text
    if complete:
        for key in SECTIONS:
            if key not in errors and len(found.get(key, "")) < SECTION_MIN:
                errors[key] = _("%(heading)s is required: write at least %(min)s characters.", heading=names[key],
                                min=SECTION_MIN)
    if errors:
        raise Invalid(_("The report cannot be saved; check the marked headings.") if not complete
                      else _("The report cannot be submitted; check the marked headings."), fields=errors)
    return found


HISTORY = {  # audit actions about a report → what the history shows
    "periodic_report_opened": lambda: _("Report opened"),
    "periodic_report_saved": lambda: _("Draft saved"),
    "periodic_report_submitted": lambda: _("Submitted to the province"),
    "periodic_report_approve": lambda: _("Accepted by the province"),
    "periodic_report_return": lambda: _("Returned by the province"),
    "timer_reminder": lambda: _("Reminder sent"),
    "timer_overdue": lambda: _("Flagged overdue"),
}


def history_label(action: str) -> str:
    found = HISTORY.get(action)
    return found() if found else action


def section_labels() -> dict[str, str]:
    return {"achievements": _("Work results"), "measures": _("Practical measures"),
            "methods": _("Innovative working methods"), "policies": _("Breakthrough policy measures")}


def _check_version(report: PeriodicReport, values: dict[str, Any]) -> None:
    expected = values.get("lock_version")
    if expected is not None and str(expected) != str(report.lock_version):
        raise Conflict(_("Someone else changed this report at the same time; reload and try again."))


def _editable(user: User, report_id: Any) -> tuple[PeriodicReport, HumanTask]:
    if user.role != "reporter" or user.office_id is None:
        raise Forbidden(_("Only the city's information reporter can fill in its periodic report."))
    report = get_for(user, report_id)
    task = reporter_task(user, report)
    if task is None:
        raise Conflict(_("This report is not waiting for your office (it was submitted or accepted)."),
                       code="not_waiting")
    return report, task


def save(user: User, report_id: Any, values: dict[str, Any]) -> PeriodicReport:
    """Save a draft of the headings given (any may be empty until submission)."""
    report, _task = _editable(user, report_id)
    _check_version(report, values)
    for key, text in _sections(values, complete=False).items():
        setattr(report, key, text or None)
    audit.record("periodic_report_saved", actor=user, subject=(SUBJECT, report.id), office_id=report.office_id)
    db.session.flush()
    return report


def submit(user: User, report_id: Any, values: dict[str, Any] | None = None) -> PeriodicReport:
    """Save what is given, check every heading, refresh the figures and send the report to the province."""
    values = values or {}
    report, task = _editable(user, report_id)
    _check_version(report, values)
    given = _sections(values, complete=False)
    merged = {key: given.get(key, getattr(report, key) or "") for key in SECTIONS}
    _sections(merged, complete=True)
    instances.lock(task.instance_id)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    for key, text in merged.items():
        setattr(report, key, text)
    now = utcnow()
    refresh_figures(report, now)
    report.submitted_at, report.submitted_by_id = now, user.id
    audit.record("periodic_report_submitted", actor=user, subject=(SUBJECT, report.id), office_id=report.office_id,
                 step=task.step)
    task.claimed_by_id, task.claimed_at = user.id, now
    instances.complete_task(task, user, {"submitted": True}, decision="submit")
    return report


# --- the province -------------------------------------------------------------------------------------

def decide(user: User, report_id: Any, decision: Any, comment: Any = None) -> PeriodicReport:
    """The recipient office accepts (`approve`) or returns (`return`, reason required) a submitted report."""
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of the receiving office can decide on a periodic report."))
    report = get_for(user, report_id)
    task = review_task(user, report)
    if task is None:
        raise Conflict(_("This report is not waiting for your office."), code="not_waiting")
    allowed = [a[0] for a in task.actions or []]
    if decision not in allowed:
        raise Invalid(_("This step offers these decisions: %(decisions)s.", decisions=", ".join(allowed)),
                      fields={"decision": _("unknown")})
    comment = comment.strip() if isinstance(comment, str) else ""
    if decision == "return" and not comment:
        raise Invalid(_("A reason is required to return a report."), fields={"comment": _("required")})
    if len(comment) > 2000:
        raise Invalid(_("The reason is too long (at most 2000 characters)."), fields={"comment": _("too long")})
    instances.lock(task.instance_id)
    if task.state != "open":
        raise Conflict(_("This task is no longer open."))
    now = utcnow()
    report.decision, report.decided_at, report.decided_by_id = decision, now, user.id
    report.reason = comment if decision == "return" else None
    if task.claimed_by_id is None:
        task.claimed_by_id, task.claimed_at = user.id, now
    audit.record(f"periodic_report_{decision}", actor=user, subject=(SUBJECT, report.id), office_id=task.office_id,
                 step=task.step, comment=comment or None)
    instances.complete_task(task, user, {"decision": decision}, decision=decision)
    return report


def units_of(schedule: ReportSchedule) -> list[Office]:
    return [u.office for u in db.session.scalars(db.select(ReportScheduleUnit).where(
        ReportScheduleUnit.schedule_key == schedule.key).order_by(ReportScheduleUnit.id))]


def to_dict(report: PeriodicReport) -> dict[str, Any]:
    task = open_task(report)
    return {"id": report.id, "schedule": report.schedule_key, "schedule_name": report.schedule.name,
            "office": report.office.to_dict(), "recipient": report.schedule.recipient.to_dict(),
            "year": report.year, "frequency": report.frequency, "seq": report.seq,
            "period": periodic_schedules.label(report), "starts_on": report.starts_on.isoformat(),
            "ends_on": report.ends_on.isoformat(), "opens_on": report.opens_on.isoformat(),
            "due_on": report.due_on.isoformat(), "status": report.status, "overdue": overdue(report),
            "sections": {key: getattr(report, key) for key in SECTIONS}, "figures": report.figures,
            "figures_at": report.figures_at.isoformat() if report.figures_at else None,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "decision": report.decision, "reason": report.reason, "lock_version": report.lock_version,
            "waiting": None if task is None else {
                "task_id": task.id, "step": task.step, "step_name": task.step_name, "kind": task.kind,
                "office": task.office.to_dict() if task.office else None,
                "decisions": [d for d, _label in (task.actions or [])],
                "due_at": task.due_at.isoformat() if task.due_at else None}}


worker.add_pass("periodic_reports", open_due)
