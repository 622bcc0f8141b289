"""API v1: applications — drafts, submission, the self-check, reading them."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from app.api import bp, json_body, token_required
from app.recognition import applications, materials


@bp.post("/applications")
@token_required
def create_application():
    body = json_body()
    application = applications.create(g.api_user, body.get("target_tier"), body.get("data"))
    return jsonify(applications.to_dict(application, g.api_user)), 201


@bp.put("/applications/<int:application_id>")
@token_required
def update_application(application_id: int):
    body = json_body()
    application = applications.update(g.api_user, application_id, body.get("data"), body.get("target_tier"))
    return jsonify(applications.to_dict(application, g.api_user))


@bp.post("/applications/<int:application_id>/submit")
@token_required
def submit_application(application_id: int):
    body = json_body() if request.get_data() else {}  # optional: {"declaration": true}
    application = applications.submit(g.api_user, application_id, declared=body.get("declaration") is True,
                                      require_materials=current_app.config["API_REQUIRE_MATERIALS"])
    return jsonify(applications.to_dict(application, g.api_user))


@bp.get("/applications/<int:application_id>/materials")
@token_required
def application_materials(application_id: int):
    """The materials of the application (workflows/materials.json and the documents reviewers asked for):
    `{"items": [{"doc_type", "required", "template", "uploaded", "requested", "note", "missing"}], "missing"}`."""
    application = applications.get_for(g.api_user, application_id)
    items = materials.for_application(application)
    return jsonify({"items": [m.to_dict() for m in items], "missing": [m.doc_type for m in items if m.missing],
                    "editable": application.editable})


@bp.post("/applications/<int:application_id>/evaluate")
@token_required
def evaluate_application(application_id: int):
    return jsonify(applications.self_check(g.api_user, application_id))


@bp.get("/applications/<int:application_id>")
@token_required
def get_application(application_id: int):
    return jsonify(applications.to_dict(applications.get_for(g.api_user, application_id), g.api_user))


@bp.get("/applications")
@token_required
def list_applications():
    items = applications.list_for(g.api_user)
    return jsonify({"items": [applications.to_dict(a, g.api_user) for a in items], "total": len(items)})


@bp.post("/applications/<int:application_id>/withdraw")
@token_required
def withdraw_application(application_id: int):
    """The owning enterprise withdraws a submitted application nobody has decided on yet: `{"reason"?}` →
    200 application (`withdrawn`); 409 `already_decided` or `not_withdrawable`."""
    body = json_body() if request.get_data() else {}  # the body is optional
    application = applications.withdraw(g.api_user, application_id, body.get("reason"))
    return jsonify(applications.to_dict(application, g.api_user))


@bp.delete("/applications/<int:application_id>")
@token_required
def delete_application(application_id: int):
    """The owning enterprise deletes a draft never submitted: 204; 409 `not_a_draft`."""
    applications.delete_draft(g.api_user, application_id, current_app.config["UPLOAD_DIR"])
    return "", 204
