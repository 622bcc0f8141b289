"""The offices' 运行监测 pages: periods of the programmes in the jurisdiction (open one), a period's response
rate overall and per area with its reports (filtered; Excel export, template, import), a report with the
county's follow-up form, and the follow-ups waiting for the office."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import Invalid, ServiceError
from app.core.vocabulary import MonitoringStatus, StepKind, Tier
from app.extensions import db
from app.models import MonitoringPeriod, MonitoringReport
from app.monitoring import figures, periods, programmes, reports, sheet
from app.web import xlsx
from app.web.common import form_invalid, role_required, service_failed
from app.web.monitoring import bp
from app.web.monitoring.forms import FollowUpForm, ImportForm, OpenPeriodForm

OFFICE_ROLES = ("reviewer", "admin", "leader", "reporter")


def _running_programme():
    return next((p for p in programmes.active_programmes() if programmes.runs(current_user, p)), None)


@bp.route("/monitoring", methods=["GET", "POST"])
@role_required(*OFFICE_ROLES)
def index() -> ResponseReturnValue:
    programme = _running_programme()
    form = OpenPeriodForm()
    status = 200
    if programme is not None and form.validate_on_submit():
        try:
            period = periods.open_by_office(current_user, {"year": form.year.data, "seq": form.seq.data})
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The period is open: every member has a filing task."), "success")
            return redirect(url_for("monitoring.period", period_id=period.id))
    elif form.is_submitted() and programme is not None:
        status = form_invalid()
    sector = programmes.sector_of(current_user)
    rows = [(p, periods.rate(p, programmes.scope(current_user, p.programme), sector))
            for p in periods.visible_periods(current_user)]
    return render_template("monitoring/index.html", rows=rows, form=form, programme=programme,
                           visible=programmes.visible_to(current_user),
                           follow_ups=reports.follow_up_tasks(current_user)), status


def _params() -> dict[str, str]:
    raw = {key: (request.args.get(key) or "").strip()[:100] for key in reports.FILTERS}
    if raw["status"] not in MonitoringStatus.values():
        raw["status"] = ""
    if raw["tier"] not in Tier.values():
        raw["tier"] = ""
    raw["alert"] = "1" if raw["alert"] else ""
    return {k: v for k, v in raw.items() if v}


def _render_period(period: MonitoringPeriod, import_form: ImportForm, status: int = 200,
                   problems: list[dict[str, Any]] | None = None) -> ResponseReturnValue:
    params = _params()
    within, sector = programmes.scope(current_user, period.programme), programmes.sector_of(current_user)
    return render_template("monitoring/period.html", period=period, rate=periods.rate(period, within, sector),
                           params=params, found=reports.search(period, params, within, sector),
                           import_form=import_form,
                           runs=programmes.runs(current_user, period.programme), problems=problems or [],
                           tiers=Tier.labels(), statuses=MonitoringStatus.labels()), status


@bp.get("/monitoring/periods/<int:period_id>")
@role_required(*OFFICE_ROLES)
def period(period_id: int) -> ResponseReturnValue:
    return _render_period(periods.get_for(current_user, period_id), ImportForm())


def _columns() -> list[xlsx.Column]:
    formats = {"money": "#,##0.00", "count": "0", "datetime": "yyyy-mm-dd hh:mm"}
    widths = {"uscc": 22, "name": 34, "follow_up_note": 40}
    return [xlsx.Column(sheet.header(c), widths.get(c.key, 16), formats.get(c.kind)) for c in sheet.layout()]


@bp.get("/monitoring/periods/<int:period_id>/export")
@role_required(*OFFICE_ROLES)
def export(period_id: int) -> ResponseReturnValue:
    found = periods.get_for(current_user, period_id)
    name = _("Monitoring %(period)s %(region)s", period=periods.label(found), region=found.region.name)
    within, sector = programmes.scope(current_user, found.programme), programmes.sector_of(current_user)
    return xlsx.send(name, periods.label(found), _columns(),
                     sheet.rows(reports.search(found, _params(), within, sector)))


@bp.get("/monitoring/periods/<int:period_id>/template")
@role_required(*OFFICE_ROLES)
def template(period_id: int) -> ResponseReturnValue:
    found = periods.get_for(current_user, period_id)
    name = _("Monitoring template %(period)s %(region)s", period=periods.label(found), region=found.region.name)
    within, sector = programmes.scope(current_user, found.programme), programmes.sector_of(current_user)
    return xlsx.send(name, periods.label(found), _columns(), sheet.rows(reports.search(found, {}, within, sector)))


@bp.post("/monitoring/periods/<int:period_id>/import")
@role_required("reviewer", "admin")
def import_(period_id: int) -> ResponseReturnValue:
    found = periods.get_for(current_user, period_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_period(found, form, form_invalid())
    try:
        done = sheet.import_rows(current_user, found, sheet.read(form.file.data.stream))
    except ServiceError as exc:
        problems = exc.extra.get("rows") if isinstance(exc, Invalid) else None
        status = service_failed(exc, form)
        return _render_period(periods.get_for(current_user, period_id), form, status, problems)
    flash(_("Imported: %(filed)s report(s) filed, %(skipped)s row(s) left as they were.", **done), "success")
    return redirect(url_for("monitoring.period", period_id=found.id))


@bp.route("/monitoring/reports/<int:report_id>", methods=["GET", "POST"])
@role_required(*OFFICE_ROLES)
def report(report_id: int) -> ResponseReturnValue:
    found = reports.get_for(current_user, report_id)
    task = reports.open_task(found, StepKind.FOLLOW_UP)
    mine = task is not None and current_user.role == "reviewer" and task.office_id == current_user.office_id
    form = FollowUpForm()
    status = 200
    if mine and form.validate_on_submit():
        try:
            reports.record_follow_up(current_user, found.id, form.note.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
        else:
            flash(_("The follow-up is recorded."), "success")
            return redirect(url_for("monitoring.follow_ups"))
    elif form.is_submitted():
        status = form_invalid() if mine else 409
    changes = {"revenue_change": figures.change(found.revenue, found.revenue_prior),
               "rd_expense_change": figures.change(found.rd_expense, found.rd_expense_prior)}
    return render_template("monitoring/report.html", report=found, task=task, mine=mine, form=form,
                           changes=changes), status


@bp.get("/monitoring/follow-ups")
@role_required("reviewer")
def follow_ups() -> ResponseReturnValue:
    tasks = reports.follow_up_tasks(current_user)
    rows = [(t, db.session.get(MonitoringReport, t.subject_id)) for t in tasks]
    return render_template("monitoring/follow_ups.html", rows=rows)
