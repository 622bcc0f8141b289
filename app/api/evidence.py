"""API v1: evidence — an application's attachments, reviewers' comments and requested documents; a lifecycle
case's documents (a revocation's evidence, the enterprise's with its statement)."""

from __future__ import annotations

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, json_body, token_required
from app.core import abuse
from app.core.errors import BadRequest
from app.lifecycle import evidence as case_evidence
from app.web.common import file_download
from app.workbench import evidence


@bp.post("/applications/<int:application_id>/attachments")
@abuse.upload
@token_required
def upload_attachment(application_id: int):
    file = request.files.get("file")
    if file is None:
        raise BadRequest(_("Send the document as multipart form data in the field 'file'."))
    attachment = evidence.upload(g.api_user, application_id, request.form.get("doc_type", ""), file.filename,
                                 file.stream, current_app.config["UPLOAD_DIR"],
                                 current_app.config["UPLOAD_MAX_BYTES"])
    return jsonify(evidence.attachment_dict(attachment)), 201


@bp.delete("/attachments/<int:attachment_id>")
@token_required
def delete_attachment(attachment_id: int):
    """The owning enterprise deletes a document while its application is a draft (409 `not_a_draft` after)."""
    evidence.remove(g.api_user, attachment_id, current_app.config["UPLOAD_DIR"])
    return "", 204


@bp.get("/applications/<int:application_id>/attachments")
@token_required
def list_attachments(application_id: int):
    items = [evidence.attachment_dict(a) for a in evidence.attachments(g.api_user, application_id)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/cases/<int:case_id>/attachments")
@token_required
def upload_case_attachment(case_id: int):
    """A document on a lifecycle case: multipart form data, the file in the field `file`."""
    file = request.files.get("file")
    if file is None:
        raise BadRequest(_("Send the document as multipart form data in the field 'file'."))
    attachment = case_evidence.upload(g.api_user, case_id, file.filename, file.stream,
                                      current_app.config["UPLOAD_DIR"], current_app.config["UPLOAD_MAX_BYTES"])
    return jsonify(case_evidence.attachment_dict(attachment)), 201


@bp.get("/cases/<int:case_id>/attachments")
@token_required
def list_case_attachments(case_id: int):
    items = [case_evidence.attachment_dict(a) for a in case_evidence.attachments(g.api_user, case_id)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/attachments/<int:attachment_id>")
@token_required
def download_attachment(attachment_id: int):
    """An application's or a case's document, for those who may see it (404 for anyone else)."""
    attachment, path = case_evidence.download(g.api_user, attachment_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, attachment.content_type, attachment.original_name)


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
