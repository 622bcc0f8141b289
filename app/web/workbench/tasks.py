"""Workbench actions on tasks: claim, release, hand over, conflicts of interest, bulk decisions, saved filters."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import NotFound, ServiceError
from app.core.vocabulary import Decision
from app.recognition import meaning, numbers, review
from app.web.common import role_required, safe_next
from app.web.inbox import effects
from app.web.workbench import bp
from app.web.workbench.context import filter_args
from app.web.workbench.responses import back, refused
from app.workbench import claims, inbox

FILTER_KEYS = tuple(f.name for f in fields(inbox.InboxFilter))


def _holder_name(task: Any) -> str:
    user = task.claimed_by
    return (user.display_name or user.username) if user else ""


@bp.post("/tasks/<int:task_id>/claim")
@role_required("reviewer")
def claim(task_id: int) -> ResponseReturnValue:
    try:
        task = claims.claim(current_user, task_id)
    except ServiceError as exc:
        return refused(exc, url_for("inbox.task", task_id=task_id))
    flash(_("You claimed the task of %(enterprise)s; colleagues now see it as yours.",
            enterprise=task.application.enterprise.name), "success")
    return back(url_for("inbox.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/release")
@role_required("reviewer")
def release(task_id: int) -> ResponseReturnValue:
    try:
        task = claims.release(current_user, task_id)
    except ServiceError as exc:
        return refused(exc, url_for("inbox.task", task_id=task_id))
    flash(_("The task of %(enterprise)s was released; any reviewer of the office can claim it.",
            enterprise=task.application.enterprise.name), "success")
    return back(url_for("inbox.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/hand-over")
@role_required("reviewer")
def hand_over(task_id: int) -> ResponseReturnValue:
    try:
        task = claims.hand_over(current_user, task_id, request.form.get("to", ""))
    except ServiceError as exc:
        return refused(exc, url_for("inbox.task", task_id=task_id))
    flash(_("The task was handed over to %(name)s.", name=_holder_name(task)), "success")
    return back(url_for("inbox.task", task_id=task_id))


@bp.post("/tasks/<int:task_id>/conflict")
@role_required("reviewer")
def declare_conflict(task_id: int) -> ResponseReturnValue:
    """Declare a conflict of interest with the task's enterprise; a task the reviewer holds is released."""
    task = review.get_task(current_user, task_id)
    try:
        claims.declare_conflict(current_user, task.application.enterprise_id, request.form.get("reason", ""))
        released = task.state == "open" and task.claimed_by_id == current_user.id
        if released:
            claims.release(current_user, task.id)
    except ServiceError as exc:
        return refused(exc, url_for("inbox.task", task_id=task_id))
    message = _("Conflict of interest declared: you will not review applications of %(enterprise)s.",
                enterprise=task.application.enterprise.name)
    if released:
        message += " " + _("The task was released so that a colleague can take it.")
    flash(message, "success")
    return back(url_for("inbox.task", task_id=task_id))


def _task_id(raw: str) -> int | str:
    return int(raw) if raw.isdigit() else raw


@bp.post("/tasks/bulk-decision")
@role_required("reviewer")
def bulk_decision() -> ResponseReturnValue:
    """One decision and one comment on the selected tasks; answers with what happened to each."""
    inbox_url = safe_next(request.form.get("next"), url_for("inbox.index"))
    task_ids = [_task_id(raw) for raw in request.form.getlist("task_ids") if raw]
    if not task_ids:
        flash(_("Select at least one task in the list."), "warning")
        return redirect(inbox_url)
    decision, comment = request.form.get("decision", ""), request.form.get("comment", "")
    # the enterprises' names, read before deciding (a decided task leaves the inbox)
    names: dict[Any, str] = {}
    found = []
    for task_id in task_ids:
        try:
            task = review.get_task(current_user, task_id)
        except NotFound:
            continue
        names[task_id] = task.application.enterprise.name
        found.append(task)
    if request.form.get("confirmed") != decision:  # first what it will do, then the decision (issue 17 item 7)
        try:
            review.check_decision(decision, comment)
        except ServiceError as exc:
            return refused(exc, inbox_url)
        return _bulk_confirmation(found, task_ids, decision, comment, inbox_url)
    try:
        results = review.bulk_decide(current_user, task_ids, decision, comment)
    except ServiceError as exc:
        return refused(exc, inbox_url)
    labels = {t.id: numbers.label(t.application) for t in found}
    rows = [dict(r, enterprise=names.get(r["task_id"]), number=labels.get(r["task_id"])) for r in results]
    succeeded = sum(1 for r in rows if r["ok"])
    return render_template("workbench/bulk_results.html", rows=rows, decision=decision, comment=comment,
                           succeeded=succeeded, failed=len(rows) - succeeded, inbox_url=inbox_url)


def _bulk_confirmation(found: list[Any], task_ids: list[Any], decision: str, comment: str,
                       inbox_url: str) -> ResponseReturnValue:
    """The effect of the bulk decision per group ("将认定为创新型中小企业，共3家") and a confirm button."""
    labels = {code: str(label) for code, label in Decision.labels().items()}
    groups = [{"sentence": effects.counted(effect, tier, len(items), labels.get(decision, decision)),
               "effect": effect, "final": effect in meaning.FINAL_EFFECTS,
               "tasks": items} for effect, tier, items in meaning.group(found, decision)]
    held = [t for t in found if meaning.holds_tier(t)]
    return render_template("workbench/bulk_confirm.html", groups=groups, held=held, decision=decision,
                           decision_label=labels.get(decision, decision), comment=comment, task_ids=task_ids,
                           missing=len(task_ids) - len(found), inbox_url=inbox_url)


@bp.post("/inbox/filters")
@role_required("reviewer")
def save_filter() -> ResponseReturnValue:
    raw = {key: request.form.get(key, "") for key in FILTER_KEYS}
    try:
        saved = inbox.save_filter(current_user, request.form.get("name", ""), inbox.InboxFilter.from_params(raw),
                                  shared=request.form.get("shared") in ("1", "on", "true"))
    except ServiceError as exc:
        return refused(exc, url_for("inbox.index"))
    flash(_("The filter “%(name)s” was saved.", name=saved.name) + (
        " " + _("Your office sees it too.") if saved.shared else ""), "success")
    return redirect(url_for("inbox.index", sort=request.form.get("sort") or None, **filter_args(saved.params)))


@bp.post("/inbox/filters/<int:filter_id>/delete")
@role_required("reviewer")
def delete_filter(filter_id: int) -> ResponseReturnValue:
    try:
        inbox.delete_saved(current_user, filter_id)
    except ServiceError as exc:
        return refused(exc, url_for("inbox.index"))
    flash(_("The saved filter was deleted."), "success")
    return back(url_for("inbox.index"))
