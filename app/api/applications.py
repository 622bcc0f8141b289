"""API v1: applications — drafts, submission, the self-check, reading them."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.recognition import applications


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
