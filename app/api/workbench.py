"""API v1 for the reviewer's workbench: claims, bulk decisions, saved filters, evidence, notices."""

from __future__ import annotations

from flask import current_app, g, jsonify, request, send_file
from flask_babel import gettext as _

from app.api import bp, json_body, token_required
from app.core.errors import BadRequest
from app.recognition import review
from app.workbench import claims, evidence, inbox, notifications


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


@bp.get("/filters")
@token_required
def list_filters():
    items = inbox.sidebar(g.api_user)
    return jsonify({"items": items, "total": len(items)})


@bp.post("/filters")
@token_required
def save_filter():
    body = json_body()
    saved = inbox.save_filter(g.api_user, body.get("name"), inbox.InboxFilter.from_params(body.get("params") or {}),
                              bool(body.get("shared")))
    return jsonify({"id": saved.id, "name": saved.name, "params": saved.params, "shared": saved.shared}), 201


@bp.delete("/filters/<int:filter_id>")
@token_required
def delete_filter(filter_id: int):
    inbox.delete_saved(g.api_user, filter_id)
    return "", 204


@bp.post("/conflicts")
@token_required
def declare_conflict():
    body = json_body()
    declared = claims.declare_conflict(g.api_user, body.get("enterprise_id"), body.get("reason"))
    return jsonify({"id": declared.id, "enterprise_id": declared.enterprise_id, "reason": declared.reason}), 201


@bp.post("/applications/<int:application_id>/attachments")
@token_required
def upload_attachment(application_id: int):
    file = request.files.get("file")
    if file is None:
        raise BadRequest(_("Send the document as multipart form data in the field 'file'."))
    attachment = evidence.upload(g.api_user, application_id, request.form.get("doc_type", ""), file.filename,
                                 file.stream, current_app.config["UPLOAD_DIR"],
                                 current_app.config["UPLOAD_MAX_BYTES"])
    return jsonify(evidence.attachment_dict(attachment)), 201


@bp.get("/applications/<int:application_id>/attachments")
@token_required
def list_attachments(application_id: int):
    items = [evidence.attachment_dict(a) for a in evidence.attachments(g.api_user, application_id)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/attachments/<int:attachment_id>")
@token_required
def download_attachment(attachment_id: int):
    attachment, path = evidence.download(g.api_user, attachment_id, current_app.config["UPLOAD_DIR"])
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/applications/<int:application_id>/comments")
@token_required
def list_comments(application_id: int):
    items = [evidence.comment_dict(c) for c in evidence.comments(g.api_user, application_id)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/applications/<int:application_id>/comments")
@token_required
def add_comment(application_id: int):
    comment = evidence.add_comment(g.api_user, application_id, json_body().get("body"))
    return jsonify(evidence.comment_dict(comment)), 201


@bp.get("/applications/<int:application_id>/document-requests")
@token_required
def document_requests(application_id: int):
    items = evidence.checklist(g.api_user, application_id)
    return jsonify({"items": items, "total": len(items)})


@bp.get("/notifications")
@token_required
def list_notifications():
    items = [notifications.notification_dict(n) for n in notifications.recent(g.api_user)]
    return jsonify({"items": items, "unread": notifications.unread_count(g.api_user)})


@bp.post("/notifications/read")
@token_required
def read_notifications():
    body = request.get_json(silent=True) or {}
    ids = body.get("ids") if isinstance(body, dict) else None
    count = notifications.mark_read(g.api_user, ids if isinstance(ids, list) else None)
    return jsonify({"marked": count, "unread": notifications.unread_count(g.api_user)})
