"""API v1 endpoints (DESIGN.md "JSON API v1")."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, config, json_body, token_required
from app.api.panels import expert_task_to_dict
from app.org import accounts
from app.recognition import applications, experts, review


@bp.post("/auth/token")
def issue_token():
    body = json_body()
    user = accounts.authenticate(body.get("username"), body.get("password"))
    token = accounts.issue_token(user, config("API_TOKEN_DAYS"))
    return jsonify({"token": token, "user": {
        "username": user.username, "role": user.role, "office": user.office.code if user.office else None}})


@bp.get("/me")
@token_required
def me():
    user = g.api_user
    return jsonify({
        "username": user.username,
        "role": user.role,
        "office": user.office.to_dict() if user.office else None,
        "enterprise": user.enterprise.summary() if user.enterprise else None,
    })


@bp.post("/enterprises")
def register_enterprise():
    body = json_body()
    enterprise = accounts.register_enterprise(
        username=body.get("username"), password=body.get("password"), name=body.get("name"),
        uscc=body.get("uscc"), region_code=body.get("region_code"), sector=body.get("sector"))
    return jsonify(enterprise.to_dict()), 201


@bp.post("/applications")
@token_required
def create_application():
    body = json_body()
    application = applications.create(g.api_user, body.get("target_tier"), body.get("data"))
    return jsonify(applications.to_dict(application)), 201


@bp.put("/applications/<int:application_id>")
@token_required
def update_application(application_id: int):
    body = json_body()
    application = applications.update(g.api_user, application_id, body.get("data"), body.get("target_tier"))
    return jsonify(applications.to_dict(application))


@bp.post("/applications/<int:application_id>/submit")
@token_required
def submit_application(application_id: int):
    application = applications.submit(g.api_user, application_id)
    return jsonify(applications.to_dict(application))


@bp.post("/applications/<int:application_id>/evaluate")
@token_required
def evaluate_application(application_id: int):
    return jsonify(applications.self_check(g.api_user, application_id))


@bp.get("/applications/<int:application_id>")
@token_required
def get_application(application_id: int):
    return jsonify(applications.to_dict(applications.get_for(g.api_user, application_id)))


@bp.get("/applications")
@token_required
def list_applications():
    items = applications.list_for(g.api_user)
    return jsonify({"items": [applications.to_dict(a) for a in items], "total": len(items)})


@bp.get("/tasks")
@token_required
def list_tasks():
    page = request.args.get("page", 1, type=int)
    per_page = min(max(request.args.get("per_page", 1000, type=int), 1), 1000)
    if g.api_user.role == "expert":  # an expert's own panel tasks
        tasks, total = experts.inbox(g.api_user, page=page, per_page=per_page,
                                     state=request.args.get("state", "open"))
        return jsonify({"items": [expert_task_to_dict(t) for t in tasks], "total": total})
    filters = {k: v for k, v in request.args.items() if k not in ("page", "per_page", "sort")}
    tasks, total = review.inbox(g.api_user, page=page, per_page=per_page,
                                sort=request.args.get("sort", "oldest"), filters=filters)
    return jsonify({"items": [review.task_to_dict(t) for t in tasks], "total": total})


@bp.post("/tasks/<int:task_id>/decision")
@token_required
def decide(task_id: int):
    body = json_body()
    application = review.decide(g.api_user, task_id, body.get("decision"), body.get("comment"),
                                body.get("requested_documents"))
    return jsonify({"application": applications.to_dict(application)})
