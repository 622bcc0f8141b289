"""Members' monitoring reports: the enterprise files its figures (web in 万元, API and import in yuan), which
completes the `填报运行数据` task of its `monitoring_report` process; the county office notes its follow-up of
an alert, which completes `跟踪了解`. Who sees what: an enterprise its own reports; an office the reports of
its jurisdiction; the admin all."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.core import audit
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.core.vocabulary import MonitoringStatus, StepKind
from app.extensions import db
from app.lifecycle import register
from app.models import Enterprise, HumanTask, MonitoringPeriod, MonitoringReport, ProcessInstance, Region, User
from app.models.base import utcnow
from app.monitoring import figures, periods
from app.workflow import instances

SUBJECT = "monitoring_report"
FILTERS = ("status", "region", "tier", "alert", "q")


def instance_of(report: MonitoringReport) -> ProcessInstance | None:
    return db.session.scalar(db.select(ProcessInstance).where(
        ProcessInstance.subject_type == SUBJECT, ProcessInstance.subject_id == report.id))


def open_task(report: MonitoringReport, kind: str) -> HumanTask | None:
    return db.session.scalar(db.select(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.subject_id == report.id, HumanTask.state == "open",
        HumanTask.kind == kind).order_by(HumanTask.id).limit(1))


def can_view(user: User, report: MonitoringReport) -> bool:
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.enterprise_id == report.enterprise_id
    if user.role in ("reviewer", "reporter") and user.office is not None:
        return report.region_code.startswith(register.region_prefix(user.office.region)) and \
            user.office.sector in (None, report.sector)
    if user.role == "leader" and user.region_code:
        region = db.session.get(Region, user.region_code)
        return region is not None and report.region_code.startswith(register.region_prefix(region))
    return False


def get_for(user: User, report_id: Any) -> MonitoringReport:
    report = db.session.get(MonitoringReport, report_id) if isinstance(report_id, int) else None
    if report is None or not can_view(user, report):
        raise NotFound(_("Monitoring report not found."))
    return report


def mine(user: User) -> list[MonitoringReport]:
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account can do this."))
    return list(db.session.scalars(db.select(MonitoringReport).join(MonitoringPeriod).where(
        MonitoringReport.enterprise_id == user.enterprise_id)
        .order_by(MonitoringPeriod.ends_on.desc(), MonitoringReport.id.desc())))


def waiting_count(user: User) -> int:
    """The enterprise's reports with a filing task open (waiting or missed)."""
    return db.session.scalar(db.select(db.func.count(HumanTask.id)).where(
        HumanTask.subject_type == SUBJECT, HumanTask.state == "open", HumanTask.kind == StepKind.MONITORING_DATA.value,
        HumanTask.subject_id.in_(db.select(MonitoringReport.id).where(
            MonitoringReport.enterprise_id == user.enterprise_id)))) or 0


def _apply(report: MonitoringReport, clean: dict[str, int | None], actor: User, source: str) -> None:
    """Store the figures and complete the filing task (the caller checked that it is open)."""
    current = instance_of(report)
    instance = instances.lock(current.id) if current is not None else None
    task = instances.open_task(instance, StepKind.MONITORING_DATA) if instance is not None else None
    if task is None:
        raise Conflict(_("This report is not open for filing."), code="not_open")
    late = report.status == MonitoringStatus.MISSED
    for key, value in clean.items():
        setattr(report, key, value)
    report.status, report.submitted_at = MonitoringStatus.SUBMITTED.value, utcnow()
    report.submitted_by_id, report.source = actor.id, source
    audit.record("monitoring_filed", actor=actor, subject=(SUBJECT, report.id), step=task.step,
                 details={"period_id": report.period_id, "source": source, "late": late})
    instances.complete_task(task, actor, {"late": late} | {k: v for k, v in clean.items()})


def file(user: User, report_id: Any, values: Any, *, source: str = "api") -> MonitoringReport:
    """The enterprise files its figures in yuan; 422 per field, 409 when the report is not open."""
    if user.role != "enterprise" or user.enterprise_id is None:
        raise Forbidden(_("Only an enterprise account can do this."))
    report = get_for(user, report_id)
    clean = figures.validate(values)
    if open_task(report, StepKind.MONITORING_DATA) is None:
        raise Conflict(_("This report is not open for filing."), code="not_open")
    _apply(report, clean, user, source)
    return report


def file_for(actor: User, report: MonitoringReport, clean: dict[str, int | None], source: str) -> None:
    """An office files figures it collected for a member (the Excel import); the caller validated them."""
    _apply(report, clean, actor, source)


def record_follow_up(user: User, report_id: Any, note: Any) -> MonitoringReport:
    """The county office that holds the follow-up notes what it found; the note is required."""
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))
    report = get_for(user, report_id)
    task = open_task(report, StepKind.FOLLOW_UP)
    if task is None or task.office_id != user.office_id:
        raise Conflict(_("No follow-up of this report waits for your office."), code="not_open")
    text = note.strip() if isinstance(note, str) else ""
    if not text:
        raise Invalid(_("Note what the follow-up found."), fields={"note": _("required")})
    if len(text) > 4000:
        raise Invalid(_("The note is too long."), fields={"note": _("at most 4000 characters")})
    instance = instances.lock(task.instance_id)
    task = instances.open_task(instance, StepKind.FOLLOW_UP)
    if task is None or task.office_id != user.office_id:
        raise Conflict(_("No follow-up of this report waits for your office."), code="not_open")
    report.follow_up_note = text
    audit.record("monitoring_followed_up", actor=user, subject=(SUBJECT, report.id), step=task.step,
                 details={"alerts": report.alerts or []})
    instances.complete_task(task, user, {"follow_up_note": text})
    return report


def follow_up_tasks(user: User) -> list[HumanTask]:
    """The open follow-ups of the reviewer's office, oldest first."""
    if user.role != "reviewer" or user.office_id is None:
        return []
    return list(db.session.scalars(db.select(HumanTask).where(
        HumanTask.subject_type == SUBJECT, HumanTask.state == "open", HumanTask.office_id == user.office_id)
        .order_by(HumanTask.created_at, HumanTask.id)))


def follow_up_count(user: User) -> int:
    """How many follow-ups wait for the reviewer's office (one indexed count, for the navigation bar)."""
    if user.role != "reviewer" or user.office_id is None:
        return 0
    return db.session.scalar(db.select(db.func.count(HumanTask.id)).where(
        HumanTask.subject_type == SUBJECT, HumanTask.state == "open", HumanTask.office_id == user.office_id)) or 0


def search(period: MonitoringPeriod, params: dict[str, str], within: str = "",
           sector: str | None = None) -> list[MonitoringReport]:
    """The period's reports (of regions under `within`, of `sector` for a sector department), filtered: status,
    region (code prefix), tier, alert (any), q (name or USCC); each with its enterprise and region (one query)."""
    query = db.select(MonitoringReport).join(Enterprise).where(MonitoringReport.period_id == period.id,
                                                               MonitoringReport.region_code.startswith(within)) \
        .options(contains_eager(MonitoringReport.enterprise).joinedload(Enterprise.region))
    if sector:
        query = query.where(MonitoringReport.sector == sector)
    if params.get("status"):
        query = query.where(MonitoringReport.status == params["status"])
    if params.get("region"):
        region = db.session.get(Region, params["region"])
        if region is not None:
            query = query.where(MonitoringReport.region_code.startswith(register.region_prefix(region)))
    if params.get("tier"):
        query = query.where(MonitoringReport.tier == params["tier"])
    if params.get("alert"):
        query = query.where(MonitoringReport.follow_up.is_not(None))
    if params.get("q"):
        needle = f"%{params['q'].strip()}%"
        query = query.where(Enterprise.name.ilike(needle) | Enterprise.uscc.ilike(needle))
    return list(db.session.scalars(query.order_by(MonitoringReport.region_code, Enterprise.name_key,
                                                  MonitoringReport.id)))


def to_dict(report: MonitoringReport) -> dict[str, Any]:
    period = report.period
    body = {"id": report.id, "period": {"id": period.id, "label": periods.label(period),
                                        "due_on": period.due_on.isoformat()},
            "enterprise": report.enterprise.summary(), "region_code": report.region_code, "sector": report.sector,
            "tier": report.tier, "library": report.library_key, "status": report.status,
            "figures": {f.key: getattr(report, f.key) for f in figures.FIGURE_LIST},
            "changes": {"revenue_change": figures.change(report.revenue, report.revenue_prior),
                        "rd_expense_change": figures.change(report.rd_expense, report.rd_expense_prior)},
            "alerts": report.alerts or [], "follow_up": report.follow_up, "follow_up_note": report.follow_up_note,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "source": report.source}
    return body
