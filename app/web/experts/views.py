"""Views of the experts blueprint: thin wrappers around app.recognition.experts.

Blind review: the task page shows the application's own data and the expert's own score only, never
the other panel members, their scores, the review history or the reviewers' comments.
"""

from __future__ import annotations

from math import ceil

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.models import HumanTask
from app.recognition import experts
from app.web.common import file_download, form_invalid, page_arg, role_required, service_failed
from app.web.experts import bp
from app.web.experts.forms import RecuseForm, ScoreForm

PER_PAGE = 20
STATES = ("open", "done")


@bp.get("/tasks")
@role_required("expert")
def index() -> ResponseReturnValue:
    state = request.args.get("state", "open")
    state = state if state in STATES else "open"
    page = page_arg()
    tasks, total = experts.inbox(current_user, page=page, per_page=PER_PAGE, state=state)
    counts = {state: total}
    for other in STATES:
        if other != state:
            counts[other] = experts.inbox(current_user, page=1, per_page=1, state=other)[1]
    return render_template("experts/index.html", tasks=tasks, total=total, page=page, state=state,
                           counts=counts, pages=max(ceil(total / PER_PAGE), 1))


def _render_task(task: HumanTask, form: ScoreForm, status: int = 200,
                 recuse_form: RecuseForm | None = None) -> ResponseReturnValue:
    return render_template("experts/task.html", task=task, application=task.application, form=form,
                           documents=experts.documents(current_user, task.id),
                           rubric=experts.rubric(task.application.target_tier),
                           recuse_form=recuse_form or RecuseForm()), status


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@role_required("expert")
def task(task_id: int) -> ResponseReturnValue:
    task = experts.get_task(current_user, task_id)
    form = ScoreForm()
    if form.validate_on_submit():
        try:
            experts.score(current_user, task.id, form.score.data, form.comment.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
            return _render_task(experts.get_task(current_user, task_id), form, status)
        flash(_("Thank you: your score for %(enterprise)s was recorded.",
                enterprise=task.application.enterprise.name), "success")
        return redirect(url_for("experts.index"))
    return _render_task(task, form, form_invalid() if form.is_submitted() else 200)


@bp.get("/tasks/<int:task_id>/documents/<int:attachment_id>")
@role_required("expert")
def document(task_id: int, attachment_id: int) -> ResponseReturnValue:
    """A document of the application under review, for the expert holding the panel task; always a download."""
    attachment, path = experts.document(current_user, task_id, attachment_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, attachment.content_type, attachment.original_name)


@bp.post("/tasks/<int:task_id>/recuse")
@role_required("expert")
def recuse(task_id: int) -> ResponseReturnValue:
    """回避: the expert steps back with a reason; another expert of the pool takes the task over."""
    task = experts.get_task(current_user, task_id)
    form = RecuseForm()
    if form.validate_on_submit():
        try:
            experts.recuse(current_user, task.id, form.reason.data)
        except ServiceError as exc:
            status = service_failed(exc, form)
            return _render_task(experts.get_task(current_user, task_id), ScoreForm(formdata=None), status, form)
        flash(_("You stepped back from the review of %(enterprise)s; another expert takes it over.",
                enterprise=task.application.enterprise.name), "success")
        return redirect(url_for("experts.index"))
    return _render_task(task, ScoreForm(formdata=None), form_invalid(), form)
