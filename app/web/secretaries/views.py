"""Views of the secretaries blueprint: the secretary workbench, a firm's visits, the office's assignments."""

from __future__ import annotations

from datetime import date
from math import ceil
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.core.vocabulary import AssignmentStatus
from app.services_desk import assignments, visits
from app.web import xlsx
from app.web.common import form_invalid, page_arg, role_required, service_failed
from app.web.secretaries import bp
from app.web.secretaries.forms import AssignForm, EndForm, VisitForm

PER_PAGE = 50


# --- the secretary workbench ------------------------------------------------------------------------------

@bp.get("/secretary")
@role_required("secretary")
def workbench() -> ResponseReturnValue:
    """服务秘书工作台: the firms it serves (tier held, last visit, next due, overdue), visits due."""
    firms = visits.firms(current_user)
    return render_template("secretaries/workbench.html", firms=firms, due=visits.due(current_user),
                           tier_label=visits.tier_label)


@bp.get("/secretary/firms.xlsx")
@role_required("secretary")
def workbench_export() -> ResponseReturnValue:
    """The workbench's firms as Excel, the same rows as the page."""
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Tier held"), 24),
               xlsx.Column(_("Linked leader"), 20), xlsx.Column(_("Last visit"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Next visit due"), 12, "yyyy-mm-dd"), xlsx.Column(_("Overdue"), 10)]
    return xlsx.send(f"my-firms-{date.today().isoformat()}", _("My firms"), columns, (
        [f.enterprise.name, f.enterprise.uscc, visits.tier_label(f) or "", _leader(f.assignment),
         f.last_visit.visited_on if f.last_visit else None, f.next_due, _("Overdue") if f.overdue else ""]
        for f in visits.firms(current_user)))


def _leader(assignment: Any) -> str:
    if not assignment.leader_name:
        return ""
    return f"{assignment.leader_name}（{assignment.leader_post}）" if assignment.leader_post else assignment.leader_name


# --- a firm's visits ------------------------------------------------------------------------------------

def _visits_page(enterprise_id: int, form: VisitForm, status: int = 200) -> ResponseReturnValue:
    enterprise = assignments.enterprise_for(current_user, enterprise_id)
    return render_template("secretaries/visits.html", enterprise=enterprise, form=form,
                           assignments=assignments.of_enterprise(enterprise.id),
                           visits=visits.of_enterprise(enterprise.id), leader=_leader), status


@bp.route("/services/enterprises/<int:enterprise_id>/visits", methods=["GET", "POST"])
@role_required("secretary", "reviewer")
def firm_visits(enterprise_id: int) -> ResponseReturnValue:
    """A firm's secretaries and visits, and the form to log one (the secretary, or its office)."""
    form = VisitForm()
    if request.method == "GET":
        form.prefill(current_user.display_name or current_user.username)
        return _visits_page(enterprise_id, form)
    assignments.enterprise_for(current_user, enterprise_id)  # 404 before anything else
    if not form.validate_on_submit():
        return _visits_page(enterprise_id, form, form_invalid())
    try:
        visits.log(current_user, enterprise_id, form.values())
    except ServiceError as exc:
        status = service_failed(exc, form)
        return _visits_page(enterprise_id, form, status)
    flash(_("The visit is logged."), "success")
    return redirect(url_for("secretaries.firm_visits", enterprise_id=enterprise_id))


# --- the office's assignments ---------------------------------------------------------------------------

def _filters() -> dict[str, Any]:
    args = request.args
    secretary = args.get("secretary", type=int)
    return {"status": args.get("status") if args.get("status") in AssignmentStatus.values() else None,
            "secretary_id": secretary if secretary and 0 < secretary < 2**31 else None,
            "q": (args.get("q") or "").strip()[:100] or None}


def _assignments_page(form: AssignForm, status: int = 200) -> ResponseReturnValue:
    chosen = _filters()
    page = page_arg()
    rows, total = assignments.search(current_user, page=page, per_page=PER_PAGE, **chosen)
    args = {k: v for k, v in chosen.items() if v}
    return render_template("secretaries/assignments.html", form=form, end_form=EndForm(), rows=rows, total=total,
                           schedules={a.id: visits.schedule(a) for a in rows},
                           page=page, pages=max(ceil(total / PER_PAGE), 1), chosen=chosen, args=args,
                           statuses=AssignmentStatus.labels(),
                           secretaries=assignments.secretaries_of(current_user.office_id), leader=_leader), status


def _assign_form() -> AssignForm:
    form = AssignForm()
    form.secretary.choices = [("", _("Choose…"))] + [
        (u.username, u.display_name or u.username) for u in assignments.secretaries_of(current_user.office_id)]
    form.prefill()
    return form


@bp.get("/services/assignments")
@role_required("reviewer")
def office_assignments() -> ResponseReturnValue:
    """服务秘书分派: the assignments of the office's jurisdiction, and the form to assign one."""
    return _assignments_page(_assign_form())


@bp.post("/services/assignments")
@role_required("reviewer")
def assign() -> ResponseReturnValue:
    form = _assign_form()
    if not form.validate_on_submit():
        return _assignments_page(form, form_invalid())
    try:
        enterprise = assignments.by_uscc(current_user, form.uscc.data)
        assignments.assign(current_user, enterprise.id, form.values())
    except ServiceError as exc:
        status = service_failed(exc, form)
        return _assignments_page(form, status)
    flash(_("%(name)s now has a service secretary.", name=enterprise.name), "success")
    return redirect(url_for("secretaries.office_assignments"))


@bp.post("/services/assignments/<int:assignment_id>/end")
@role_required("reviewer")
def end(assignment_id: int) -> ResponseReturnValue:
    form = EndForm()
    if not form.validate_on_submit():
        return _assignments_page(_assign_form(), form_invalid())
    try:
        assignments.end(current_user, assignment_id, form.reason.data or None)
    except ServiceError as exc:
        status = service_failed(exc)
        return _assignments_page(_assign_form(), status)
    flash(_("The assignment has ended; it stays in the history."), "success")
    return redirect(url_for("secretaries.office_assignments"))


@bp.get("/services/assignments.xlsx")
@role_required("reviewer")
def assignments_export() -> ResponseReturnValue:
    """The filtered list as Excel (the same rows as the page, all pages)."""
    rows, _total = assignments.search(current_user, page=1, per_page=xlsx.EXPORT_MAX, **_filters())
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Office"), 28),
               xlsx.Column(_("Service secretary"), 16), xlsx.Column(_("Linked leader"), 24),
               xlsx.Column(_("Start date"), 12, "yyyy-mm-dd"), xlsx.Column(_("End date"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Status"), 10), xlsx.Column(_("Last visit"), 12, "yyyy-mm-dd"),
               xlsx.Column(_("Next visit due"), 12, "yyyy-mm-dd"), xlsx.Column(_("Overdue"), 10)]

    def row(a: Any) -> list[Any]:
        last, due, overdue = visits.schedule(a)
        return [a.enterprise.name, a.enterprise.uscc, a.office.name, a.secretary.display_name or a.secretary.username,
                _leader(a), a.starts_on, a.ends_on, AssignmentStatus(a.status).label,
                last.visited_on if last else None, due, _("Overdue") if overdue else ""]

    return xlsx.send(f"service-secretaries-{date.today().isoformat()}", _("Service secretaries"), columns,
                     (row(a) for a in rows))
