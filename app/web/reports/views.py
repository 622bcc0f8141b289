"""Views of the periodic report screens. A reporter's home is its office's reports (open ones first); the
receiving province (its reviewers), its leading group and the admin see the reports per period, export them,
and read the compiled report. City reviewers never get the reporter's task in their inbox: the report belongs
to the city's 信息报送员 (000 §四(三)), and the application inbox lists application tasks only."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays
from app.core.errors import ServiceError
from app.core.vocabulary import ReportFrequency, ReportStatus
from app.models import SECTIONS, PeriodicReport
from app.reporting import periodic, periodic_compiled, periodic_schedules
from app.web import xlsx
from app.web.common import form_invalid, role_required, service_failed
from app.web.reports import bp
from app.web.reports.forms import HELP, OpenPeriodForm, ReportDecisionForm, ReportForm

READERS = ("reporter", "reviewer", "leader", "admin")


def _period_choices() -> list[tuple[str, str]]:
    return [(f"{frequency}-{seq}", periodic_schedules.period_name(frequency, seq))
            for frequency, ends in periodic_schedules.ENDS.items() for seq, _first, _last in ends]


def _filters() -> dict[str, Any]:
    args = request.args
    period = args.get("period") or ""
    frequency, _sep, seq = period.partition("-")
    year = args.get("year", type=int)
    return {"schedule": args.get("schedule") or None,
            "year": year if year and 2000 <= year <= 2100 else None,
            "frequency": frequency if frequency in ReportFrequency.values() else None,
            "seq": int(seq) if seq.isdigit() and frequency in ReportFrequency.values() else None,
            "status": args.get("status") if args.get("status") in ReportStatus.values() else None}


def _open_form() -> OpenPeriodForm | None:
    schedules = periodic.managed_schedules(current_user)
    if not schedules:
        return None
    form = OpenPeriodForm()
    form.schedule.choices = [(s.key, s.name) for s in schedules]
    form.period.choices = _period_choices()
    if not form.is_submitted():
        form.year.data = workdays.china_date().year
    return form


@bp.get("")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    chosen = _filters()
    rows = periodic.search(current_user, **chosen)
    compiled_links = periodic_compiled.readable_schedules(current_user)
    return render_template("reports/index.html", rows=rows, chosen=chosen, args=request.args.to_dict(),
                           statuses=ReportStatus.labels(), periods=_period_choices(),
                           schedules=periodic_schedules.schedules(active_only=False), compiled=compiled_links,
                           overdue={r.id: periodic.overdue(r) for r in rows}, open_form=_open_form(),
                           label=periodic_schedules.label)


@bp.post("/open")
@role_required("reviewer", "admin")
def open_now() -> ResponseReturnValue:
    form = _open_form()
    if form is None:
        abort(404)
    if not form.validate_on_submit():
        form_invalid()
        return redirect(url_for("reports.index"))
    frequency, _sep, seq = (form.period.data or "").partition("-")
    try:
        opened = periodic.open_now(current_user, form.schedule.data, form.year.data, frequency, seq)
    except ServiceError as exc:
        service_failed(exc)
        return redirect(url_for("reports.index"))
    flash(_("%(n)s report(s) opened.", n=len(opened)), "success")
    return redirect(url_for("reports.index", schedule=form.schedule.data, year=form.year.data,
                            period=form.period.data))


@bp.get("/export.xlsx")
@role_required(*READERS)
def export() -> ResponseReturnValue:
    rows = periodic.search(current_user, **_filters())
    columns = [xlsx.Column(_("Report schedule"), 28), xlsx.Column(_("Reporting office"), 26),
               xlsx.Column(_("Reporting period"), 16), xlsx.Column(_("Due on"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Status"), 18), xlsx.Column(_("Overdue"), 8), xlsx.Column(_("Submitted at"), 18),
               xlsx.Column(_("Reason for return"), 30)]
    columns += [xlsx.Column(header, 14) for _key, header in periodic_compiled.figure_columns()]
    data = [[r.schedule.name, r.office.name, periodic_schedules.label(r), r.due_on, ReportStatus(r.status).label,
             _("Yes") if periodic.overdue(r) else "", r.submitted_at, r.reason or ""]
            + [periodic_compiled.figure(r.figures, key) for key, _h in periodic_compiled.figure_columns()]
            for r in rows]
    return xlsx.send(f"periodic-reports-{date.today().isoformat()}", _("Periodic reports"), columns, data)


# --- one report ---------------------------------------------------------------------------------------

def _render(report: PeriodicReport, form: ReportForm | None, decision: ReportDecisionForm | None,
            status: int = 200) -> ResponseReturnValue:
    from app.core import audit

    return render_template("reports/report.html", report=report, form=form, decision=decision, help=HELP,
                           sections=SECTIONS, labels=periodic.section_labels(), waiting=periodic.open_task(report),
                           overdue=periodic.overdue(report), period=periodic_schedules.label(report),
                           status_label=ReportStatus(report.status).label,
                           columns=periodic_compiled.figure_columns(), figure=periodic_compiled.figure,
                           history=audit.subject_history("periodic_report", [report.id]),
                           history_label=periodic.history_label), status


def _forms(report: PeriodicReport) -> tuple[ReportForm | None, ReportDecisionForm | None]:
    form = decision = None
    if periodic.reporter_task(current_user, report) is not None:
        form = ReportForm(obj=None if request.method == "POST" else report)
        if request.method != "POST":
            form.lock_version.data = str(report.lock_version)
    task = periodic.review_task(current_user, report)
    if task is not None:
        decision = ReportDecisionForm()
        decision.set_task(task)
    return form, decision


@bp.route("/<int:report_id>", methods=["GET", "POST"])
@role_required(*READERS)
def report(report_id: int) -> ResponseReturnValue:
    found = periodic.get_for(current_user, report_id)
    form, decision = _forms(found)
    if request.method == "GET":
        return _render(found, form, decision)
    if form is not None and (form.save.data or form.submit.data):
        if not form.validate_on_submit():
            return _render(found, form, decision, form_invalid())
        try:
            if form.submit.data:
                periodic.submit(current_user, found.id, form.values())
                flash(_("The report was submitted to the province."), "success")
            else:
                periodic.save(current_user, found.id, form.values())
                flash(_("The draft was saved."), "success")
        except ServiceError as exc:
            status = service_failed(exc, form)
            return _render(periodic.get_for(current_user, report_id), form, decision, status)
        return redirect(url_for("reports.report", report_id=report_id))
    if decision is not None and decision.decide.data:
        if not decision.validate_on_submit():
            return _render(found, form, decision, form_invalid())
        try:
            periodic.decide(current_user, found.id, decision.decision.data, decision.comment.data)
        except ServiceError as exc:
            status = service_failed(exc, decision)
            return _render(periodic.get_for(current_user, report_id), form, decision, status)
        flash(_("The report was accepted.") if decision.decision.data == "approve"
              else _("The report was returned to the city."), "success")
        return redirect(url_for("reports.report", report_id=report_id))
    flash(_("This report is not waiting for you."), "warning")
    return _render(found, form, decision, 409)


# --- the compiled provincial report ---------------------------------------------------------------------

def _compiled() -> periodic_compiled.Compiled:
    chosen = _filters()
    return periodic_compiled.compile_for(current_user, chosen["schedule"], chosen["year"], chosen["frequency"],
                                         chosen["seq"])


@bp.get("/compiled")
@role_required("reviewer", "leader", "admin")
def compiled() -> ResponseReturnValue:
    found = _compiled()
    return render_template("reports/compiled.html", compiled=found, period=periodic_schedules.label(found.period),
                           columns=periodic_compiled.figure_columns(), figure=periodic_compiled.figure,
                           state_label=periodic_compiled.state_label, args=request.args.to_dict())


@bp.get("/compiled.pdf")
@role_required("reviewer", "leader", "admin")
def compiled_pdf() -> ResponseReturnValue:
    from flask import Response

    found = _compiled()
    body = periodic_compiled.render_pdf(found)
    name = f"compiled-{found.schedule.key}-{found.period.year}-{found.period.frequency}-{found.period.seq}.pdf"
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})
