"""Views of problems: parse the form, call app.services_desk.problems, render or redirect."""

from __future__ import annotations

from math import ceil

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.core.vocabulary import ProblemCategory, ProblemLevel, ProblemStatus, Sector
from app.models import Problem
from app.services_desk import problems
from app.web import xlsx
from app.web.common import file_download, form_invalid, page_arg, role_required, service_failed
from app.web.problems import bp
from app.web.problems.forms import ActionForm, RaiseForm

STAFF = ("reviewer", "admin", "leader", "secretary")
FILTERS = ("category", "sector", "level", "status", "overdue", "waiting")


@bp.route("/my/problems", methods=["GET", "POST"])
@role_required("enterprise")
def mine() -> ResponseReturnValue:
    """我的诉求: the enterprise's problems and the form to raise one."""
    form = RaiseForm()
    status = 200
    if form.is_submitted():
        if form.validate_on_submit():
            try:
                sent = request.files.get("file")
                upload = problems.Upload(sent.filename, sent.stream, current_app.config["UPLOAD_DIR"],
                                         current_app.config["UPLOAD_MAX_BYTES"]) if sent and sent.filename else None
                problem = problems.raise_problem(current_user, form.values(), upload)
            except ServiceError as exc:
                status = service_failed(exc, form)
            else:
                flash(_("Your problem was raised; the service team of your sector handles it."), "success")
                return redirect(url_for("problems.problem", problem_id=problem.id))
        else:
            status = form_invalid()
    rows, total = problems.search(current_user, {}, per_page=200)
    return render_template("problems/mine.html", form=form, rows=rows, total=total,
                           waiting={p.id: problems.open_task(p) for p in rows}), status


def _filters() -> dict[str, str]:
    return {key: request.args.get(key, "") for key in FILTERS if request.args.get(key)}


def _checked(filters: dict[str, str]) -> dict[str, str]:
    """Unknown values in the address are dropped (the page shows everything else)."""
    known = {"category": ProblemCategory.values(), "level": ProblemLevel.values(),
             "status": ProblemStatus.values(), "sector": Sector.values()}
    return {k: v for k, v in filters.items() if k not in known or v in known[k]}


@bp.get("/problems")
@role_required(*STAFF)
def index() -> ResponseReturnValue:
    """The problem inbox: the caller's jurisdiction, filtered by category, sector, level, status, overdue."""
    filters = _checked(_filters())
    per_page, page = current_app.config["INBOX_PAGE_SIZE"], page_arg()
    rows, total = problems.search(current_user, filters, page=page, per_page=per_page)
    return render_template("problems/index.html", rows=rows, total=total, page=page, filters=filters,
                           pages=max(ceil(total / per_page), 1),
                           waiting={p.id: problems.open_task(p) for p in rows})


@bp.get("/problems/export.xlsx")
@role_required(*STAFF)
def export() -> ResponseReturnValue:
    filters = _checked(_filters())
    rows, _total = problems.search(current_user, filters, per_page=xlsx.EXPORT_MAX)
    columns = [xlsx.Column(_("No."), 8), xlsx.Column(_("Enterprise"), 32), xlsx.Column(_("Region"), 12),
               xlsx.Column(_("Sector"), 12), xlsx.Column(_("Category"), 12), xlsx.Column(_("Problem"), 48),
               xlsx.Column(_("Status"), 18), xlsx.Column(_("Level"), 20), xlsx.Column(_("Held by"), 28),
               xlsx.Column(_("Overdue"), 8), xlsx.Column(_("Escalations"), 10),
               xlsx.Column(_("Raised at"), 18, "yyyy-mm-dd hh:mm"), xlsx.Column(_("Closed at"), 18, "yyyy-mm-dd hh:mm")]

    def line(p: Problem) -> list:
        task = problems.open_task(p)
        return [p.id, p.enterprise.name, p.enterprise.region.name, Sector(p.sector).label if p.sector else "",
                ProblemCategory(p.category).label, p.text, ProblemStatus(p.status).label,
                ProblemLevel(p.level).label, task.office.name if task is not None and task.office else "",
                _("yes") if task is not None and task.escalated_at else "", p.escalations, p.created_at,
                p.closed_at]

    return xlsx.send(_("Problems"), _("Problems"), columns, (line(p) for p in rows))


def _render(problem: Problem, form: ActionForm | None, status: int = 200) -> ResponseReturnValue:
    return render_template("problems/problem.html", problem=problem, form=form, waiting=problems.open_task(problem),
                           history=problems.history(problem)), status


@bp.get("/problems/<int:problem_id>/document")
@role_required("enterprise", *STAFF)
def document(problem_id: int) -> ResponseReturnValue:
    """The problem's document, always as a download, for whoever may see the problem (404 for anyone else)."""
    found, path = problems.attachment(current_user, problem_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, found.attachment_type, found.attachment_name)


@bp.route("/problems/<int:problem_id>", methods=["GET", "POST"])
@role_required("enterprise", *STAFF)
def problem(problem_id: int) -> ResponseReturnValue:
    found = problems.get_for(current_user, problem_id)
    task = problems.open_task(found)
    form = None
    if problems.may_act(current_user, task, found):
        form = ActionForm()
        form.set_task(task)
    if request.method == "GET":
        return _render(found, form)
    if form is None:
        flash(_("This problem is not waiting for you."), "warning")
        return _render(found, None, 409)
    if not form.validate_on_submit():
        return _render(found, form, form_invalid())
    try:
        problems.act(current_user, found.id, form.values())
    except ServiceError as exc:
        status = service_failed(exc, form)
        return _render(problems.get_for(current_user, problem_id), form, status)
    flash(_("Done."), "success")
    return redirect(url_for("problems.problem", problem_id=problem_id))
