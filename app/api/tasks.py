"""API v1: tasks — the office inbox, one task with what its step shows, decisions, the on-site check's
result, expert scores, claims and bulk decisions."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, int_arg, json_body, token_required
from app.recognition import applications, experts, notices, review, spot_checks
from app.workbench import claims, inbox


def expert_task_to_dict(task) -> dict:
    """An expert's view of a panel task: no other expert, no other score."""
    return review.task_to_dict(task) | {"state": task.state, "result": task.result}


@bp.get("/tasks")
@token_required
def list_tasks():
    page = int_arg("page", 1)
    per_page = min(max(request.args.get("per_page", 1000, type=int), 1), 1000)
    if g.api_user.role == "expert":  # an expert's own panel tasks
        tasks, total = experts.inbox(g.api_user, page=page, per_page=per_page,
                                     state=request.args.get("state", "open"))
        return jsonify({"items": [expert_task_to_dict(t) for t in tasks], "total": total})
    filters = {k: v for k, v in request.args.items() if k not in ("page", "per_page", "sort")}
    tasks, total = review.inbox(g.api_user, page=page, per_page=per_page,
                                sort=request.args.get("sort", "oldest"), filters=filters)
    return jsonify({"items": [review.task_to_dict(t) for t in tasks], "total": total})


@bp.get("/tasks/<int:task_id>")
@token_required
def get_task(task_id: int):
    """One task with what its step shows: the expert panel's result on the province's second review,
    the objections on an objection review."""
    user = g.api_user
    if user.role == "expert":
        return jsonify(expert_task_to_dict(experts.get_task(user, task_id)))
    task = review.get_task(user, task_id)
    body = review.task_to_dict(task) | {"state": task.state, "expert_panel": experts.panel_summary(task),
                                        "prerequisites": applications.ladder(task.application)}
    if task.kind == notices.OBJECTION_KIND:
        body["objections"] = [notices.objection_to_dict(o) for o in notices.objections(task.application)]
    return jsonify(body)


@bp.post("/tasks/<int:task_id>/decision")
@token_required
def decide(task_id: int):
    body = json_body()
    application = review.decide(g.api_user, task_id, body.get("decision"), body.get("comment"),
                                body.get("requested_documents"), checklist=body.get("checklist"))
    return jsonify({"application": applications.to_dict(application)})


@bp.post("/tasks/<int:task_id>/spot-check")
@token_required
def record_spot_check(task_id: int):
    """The on-site check's result: `{"visited_on", "inspectors", "findings", "outcome"}`."""
    application = spot_checks.record(g.api_user, task_id, json_body())
    return jsonify({"application": applications.to_dict(application)})


@bp.post("/tasks/<int:task_id>/score")
@token_required
def score(task_id: int):
    body = json_body()
    task = experts.score(g.api_user, task_id, body.get("score"), body.get("comment"))
    return jsonify({"task": expert_task_to_dict(task)})


@bp.post("/tasks/<int:task_id>/claim")
@token_required
def claim(task_id: int):
    return jsonify(review.task_to_dict(claims.claim(g.api_user, task_id)))


@bp.post("/tasks/<int:task_id>/release")
@token_required
def release(task_id: int):
    return jsonify(review.task_to_dict(claims.release(g.api_user, task_id)))


@bp.post("/tasks/<int:task_id>/hand-over")
@token_required
def hand_over(task_id: int):
    return jsonify(review.task_to_dict(claims.hand_over(g.api_user, task_id, json_body().get("to"))))


@bp.post("/tasks/bulk-decision")
@token_required
def bulk_decision():
    body = json_body()
    inbox.require_reviewer(g.api_user)
    results = review.bulk_decide(g.api_user, body.get("task_ids"), body.get("decision"), body.get("comment"))
    ok = sum(1 for r in results if r["ok"])
    return jsonify({"results": results, "succeeded": ok, "failed": len(results) - ok})
