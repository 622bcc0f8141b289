"""The enterprise's 运行监测 pages: its reports (period, due date, status) and the filing form in 万元."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.core.vocabulary import StepKind
from app.models import MonitoringReport
from app.monitoring import figures, reports
from app.web.common import form_invalid, role_required, service_failed
from app.web.monitoring import bp
from app.web.monitoring.forms import FiguresForm


@bp.get("/my/monitoring")
@role_required("enterprise")
def mine() -> ResponseReturnValue:
    rows = [(r, reports.open_task(r, StepKind.MONITORING_DATA)) for r in reports.mine(current_user)]
    return render_template("monitoring/mine.html", rows=rows)


def _render(report: MonitoringReport, form: FiguresForm, open_: bool, status: int = 200) -> ResponseReturnValue:
    changes = {"revenue_change": figures.change(report.revenue, report.revenue_prior),
               "rd_expense_change": figures.change(report.rd_expense, report.rd_expense_prior)}
    return render_template("monitoring/file.html", report=report, form=form, open_=open_,
                           changes=changes), status


@bp.route("/my/monitoring/<int:report_id>", methods=["GET", "POST"])
@role_required("enterprise")
def file(report_id: int) -> ResponseReturnValue:
    report = reports.get_for(current_user, report_id)
    open_ = reports.open_task(report, StepKind.MONITORING_DATA) is not None
    form = FiguresForm()
    if not form.is_submitted():
        form.fill(report)
    if open_ and form.validate_on_submit():
        try:
            reports.file(current_user, report.id, form.values(), source="web")
        except ServiceError as exc:
            return _render(reports.get_for(current_user, report_id), form, open_, service_failed(exc, form))
        flash(_("Your figures are filed. Thank you."), "success")
        return redirect(url_for("monitoring.mine"))
    if form.is_submitted():
        if not open_:
            flash(_("This report is not open for filing."), "warning")
            return _render(report, form, open_, 409)
        return _render(report, form, open_, form_invalid())
    return _render(report, form, open_)
