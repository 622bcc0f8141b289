"""API v1: expert scoring (专家评审), the on-site check (实地抽查), the public notice (公示) with its objections."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, json_body, token_required
from app.recognition import applications, experts, notices, review, spot_checks


def expert_task_to_dict(task) -> dict:
    """An expert's view of a panel task: no other expert, no other score."""
    return review.task_to_dict(task) | {"state": task.state, "result": task.result}


@bp.get("/tasks/<int:task_id>")
@token_required
def get_task(task_id: int):
    """One task with what its step shows: the expert panel's result on the province's second review,
    the objections on an objection review."""
    user = g.api_user
    if user.role == "expert":
        return jsonify(expert_task_to_dict(experts.get_task(user, task_id)))
    task = review.get_task(user, task_id)
    body = review.task_to_dict(task) | {"state": task.state, "expert_panel": experts.panel_summary(task)}
    if task.kind == notices.OBJECTION_KIND:
        body["objections"] = [notices.objection_to_dict(o) for o in notices.objections(task.application)]
    return jsonify(body)


@bp.post("/tasks/<int:task_id>/score")
@token_required
def score(task_id: int):
    body = json_body()
    task = experts.score(g.api_user, task_id, body.get("score"), body.get("comment"))
    return jsonify({"task": expert_task_to_dict(task)})


@bp.get("/notices")
def public_notices():
    """No login: the applications under public notice (enterprise name, region, tier only)."""
    page = max(request.args.get("page", 1, type=int), 1)
    items, total = notices.public_list(page=page)
    return jsonify({"items": items, "total": total})


@bp.post("/notices/<int:application_id>/objections")
def raise_objection(application_id: int):
    """No login: anyone may object to an application under public notice."""
    objection = notices.raise_objection(application_id, json_body())
    return jsonify({"id": objection.id, "state": objection.state}), 201


@bp.get("/applications/<int:application_id>/objections")
@token_required
def list_objections(application_id: int):
    application = applications.get_for(g.api_user, application_id)
    if notices.may_see_objectors(g.api_user, application):
        items = [notices.objection_to_dict(o) for o in notices.objections(application)]
    else:  # the objectors' names and contacts are for the office that reviews the objections
        items = [{"id": o.id, "text": o.text, "state": o.state} for o in notices.objections(application)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/tasks/<int:task_id>/spot-check")
@token_required
def record_spot_check(task_id: int):
    """The on-site check's result: `{"visited_on", "inspectors", "findings", "outcome"}`."""
    application = spot_checks.record(g.api_user, task_id, json_body())
    return jsonify({"application": applications.to_dict(application)})
