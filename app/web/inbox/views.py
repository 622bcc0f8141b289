"""Views of the inbox blueprint: thin wrappers around app.services.review."""

from __future__ import annotations

from math import ceil

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.models import TIERS, HumanTask
from app.services import review, timeline
from app.services.errors import ServiceError
from app.web.common import form_invalid, page_arg, role_required, service_failed
from app.web.inbox import bp
from forms.review import DecisionForm


@bp.get("/inbox")
@role_required("reviewer")
def index() -> ResponseReturnValue:
    per_page = current_app.config["INBOX_PAGE_SIZE"]
    page = page_arg()
    sort = request.args.get("sort") if request.args.get("sort") in review.SORTS else "oldest"
    tier = request.args.get("tier") if request.args.get("tier") in TIERS else None
    tasks, total = review.inbox(current_user, page=page, per_page=per_page, sort=sort, tier=tier)
    pages = max(ceil(total / per_page), 1)
    return render_template("inbox/index.html", tasks=tasks, total=total, page=page, pages=pages,
                           sort=sort, tier=tier, tiers=TIERS)


def _render_task(task: HumanTask, form: DecisionForm, status: int = 200) -> ResponseReturnValue:
    application = task.application
    return render_template("inbox/task.html", task=task, application=application, form=form,
                           timeline=timeline.build(application)), status


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@role_required("reviewer")
def task(task_id: int) -> ResponseReturnValue:
    task = review.get_task(current_user, task_id)
    form = DecisionForm()
    if form.validate_on_submit():
        decision = form.decision.data
        try:
            review.decide(current_user, task.id, decision, form.comment.data)
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
