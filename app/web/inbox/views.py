"""Views of the inbox blueprint: thin wrappers around app.recognition.review."""

from __future__ import annotations

from dataclasses import fields
from math import ceil
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core import workdays
from app.core.errors import ServiceError
from app.models import SECTORS, TIERS, HumanTask
from app.org import office
from app.recognition import applications, checklist, experts, meaning, notices, review, spot_checks, timeline
from app.web import lists, xlsx
from app.web.common import form_invalid, page_arg, role_required, service_failed
from app.web.inbox import bp, effects
from app.web.inbox.forms import DecisionForm, SpotCheckForm, decision_form
from app.web.labels import step_label, tier_label
from app.web.workbench.context import filter_args
from app.workbench import inbox
from app.workflow import definitions

FILTER_KEYS = tuple(f.name for f in fields(inbox.InboxFilter))
LEGACY_SORTS = {"oldest": "age", "newest": "-age"}  # the inbox's first two orders, still understood


def _sort_arg() -> str:
    """`age`, `-score`, …: a column of inbox.SORTS, `-` for descending; oldest first by default."""
    raw = request.args.get("sort") or "age"
    raw = LEGACY_SORTS.get(raw, raw)
    return raw if raw.removeprefix("-") in inbox.SORTS else "age"


def _filter_args() -> tuple[inbox.InboxFilter, dict[str, str]]:
    """The filter of the query string; a value the filter refuses is dropped and reported per field."""
    return lists.parsed_filter(inbox.InboxFilter.from_params, FILTER_KEYS, inbox.InboxFilter())


def _quick_views() -> list[dict[str, Any]]:
    """Ready-made views with their counts: everything, mine, nobody's, overdue."""
    views = [(_("All open tasks"), {}), (_("Claimed by me"), {"claimed_by": "me"}),
             (_("Not claimed"), {"claimed_by": "nobody"}), (_("Overdue"), {"overdue": True})]
    return [{"name": name, "params": params,
             "count": inbox.count(current_user, inbox.InboxFilter(**params))} for name, params in views]


@bp.get("/inbox")
@role_required("reviewer")
def index() -> ResponseReturnValue:
    per_page = current_app.config["INBOX_PAGE_SIZE"]
    page = page_arg()
    sort = _sort_arg()
    f, errors = _filter_args()
    params = f.params()
    tasks, total = review.inbox(current_user, page=page, per_page=per_page, sort=sort, filters=params)
    for message in dict.fromkeys(errors.values()):
        flash(message, "danger")
    context = {
        "tasks": tasks, "total": total, "page": page, "pages": max(ceil(total / per_page), 1),
        "sort": sort, "f": f, "params": params, "link_params": filter_args(params), "errors": errors,
        "saved_filters": inbox.sidebar(current_user), "quick_views": _quick_views(),
        "tiers": TIERS, "steps": definitions.office_steps(), "sectors": SECTORS,
        "counties": office.counties(current_user),
        "colleagues": office.colleagues(current_user), "sorts": inbox.SORTS,
    }
    return render_template("inbox/index.html", **context), 422 if errors else 200


@bp.get("/inbox.xlsx")
@role_required("reviewer")
def export() -> ResponseReturnValue:
    """The inbox as Excel, with the page's filters and order (every matching task, not one page)."""
    f, _errors = _filter_args()
    tasks, _total = review.inbox(current_user, page=1, per_page=xlsx.EXPORT_MAX, sort=_sort_arg(),
                                 filters=f.params())
    columns = [xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22), xlsx.Column(_("Target tier"), 16),
               xlsx.Column(_("Step"), 18), xlsx.Column(_("Region"), 14), xlsx.Column(_("Score"), 8, "0.0"),
               xlsx.Column(_("Waiting since"), 18, "yyyy-mm-dd hh:mm"), xlsx.Column(_("Due"), 18, "yyyy-mm-dd hh:mm"),
               xlsx.Column(_("Claimed by"), 16)]
    rows = ([t.application.enterprise.name, t.application.enterprise.uscc, tier_label(t.application.target_tier),
             step_label(t.step, t.step_name), t.application.enterprise.region.name, t.score, t.created_at, t.due_at,
             (t.claimed_by.display_name or t.claimed_by.username) if t.claimed_by else ""] for t in tasks)
    return xlsx.send(f"inbox-{workdays.china_date().isoformat()}", _("Inbox"), columns, rows)




def _list_title(scope: str) -> str:
    return _("Handled by my office") if scope == "handled" else _("All applications in my jurisdiction")


@bp.get("/inbox/<any(handled, all):scope>")
@role_required("reviewer")
def application_list(scope: str) -> ResponseReturnValue:
    """已办 (applications the office decided a step of) and 全部 (its jurisdiction): app/web/lists.py."""
    return lists.render(scope, _list_title(scope), "inbox.application_list", {"scope": scope},
                        "inbox.application_list_export", office.counties(current_user))


@bp.get("/inbox/<any(handled, all):scope>.xlsx")
@role_required("reviewer")
def application_list_export(scope: str) -> ResponseReturnValue:
    return lists.export(scope, f"applications-{scope}", _list_title(scope))


def _render_task(task: HumanTask, form: DecisionForm | SpotCheckForm, status: int = 200, *,
                 confirm: str | None = None) -> ResponseReturnValue:
    """The task page; `confirm` (a decision) shows what it will do and asks to confirm it first."""
    application = task.application
    objections = notices.objections(application) if task.kind == notices.OBJECTION_KIND else None
    sentences = effects.for_task(task) if task.kind != spot_checks.KIND else {}
    return render_template("inbox/task.html", task=task, application=application, form=form,
                           timeline=timeline.build(application), panel=experts.panel_summary(task),
                           objections=objections, ladder=applications.ladder(application),
                           effects=sentences, holds_tier=meaning.holds_tier(task), confirm=confirm,
                           confirm_sentence=sentences.get(confirm or "")), status


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@role_required("reviewer")
def task(task_id: int) -> ResponseReturnValue:
    task = review.get_task(current_user, task_id)
    if task.kind == spot_checks.KIND:
        return _spot_check(task)
    form = decision_form(task.actions, checklist.items(task.application) if checklist.applies(task) else None)
    if form.validate_on_submit():
        decision = form.decision.data
        if task.state == "open" and meaning.needs_confirmation(task, decision) \
                and request.form.get("confirmed") != decision:
            return _render_task(task, form, confirm=decision)  # a final decision: show its effect, confirm first
        try:
            review.decide(current_user, task.id, decision, form.comment.data,
                          requested_documents=form.document_requests(), checklist=form.checklist())
        except ServiceError as exc:
            status = service_failed(exc, form)
            return _render_task(review.get_task(current_user, task_id), form, status)
        messages = {
            "approve": _("Approved. The application moves on."),
            "return": _("Returned to the enterprise for amendment."),
            "reject": _("Rejected. The enterprise will see your reason."),
        }
        flash(messages[decision], "success")
        return redirect(url_for("inbox.index"))
    return _render_task(task, form, form_invalid() if form.is_submitted() else 200)


def _spot_check(task: HumanTask) -> ResponseReturnValue:
    """The on-site check has its own result form (date, inspectors, findings, outcome)."""
    form = SpotCheckForm()
    if form.validate_on_submit():
        try:
            spot_checks.record(current_user, task.id, form.values())
        except ServiceError as exc:
            status = service_failed(exc, form)
            return _render_task(review.get_task(current_user, task.id), form, status)
        flash(_("The on-site check was recorded."), "success")
        return redirect(url_for("inbox.index"))
    return _render_task(task, form, form_invalid() if form.is_submitted() else 200)
