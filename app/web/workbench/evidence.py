"""Evidence on the web: uploads from the status and edit pages, downloads, reviewers' comments."""

from __future__ import annotations

from flask import current_app, flash, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from app.core import abuse
from app.core.errors import ServiceError
from app.lifecycle import evidence as case_evidence
from app.web.common import file_download, role_required
from app.web.labels import DOC_TYPE_LABELS, label
from app.web.pages import error_page
from app.web.workbench import bp
from app.web.workbench.context import file_size
from app.web.workbench.responses import back, refused
from app.workbench import evidence


@bp.post("/applications/<int:application_id>/attachments")
@abuse.upload
@role_required("enterprise")
def upload(application_id: int) -> ResponseReturnValue:
    default = url_for("applications.detail", application_id=application_id, _anchor="evidence")
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a file to upload."), "danger")
        return back(default)
    try:
        attachment = evidence.upload(current_user, application_id, request.form.get("doc_type", ""), file.filename,
                                     file.stream, current_app.config["UPLOAD_DIR"],
                                     current_app.config["UPLOAD_MAX_BYTES"])
    except ServiceError as exc:
        return refused(exc, default)
    flash(_("Uploaded “%(name)s” as %(doc_type)s.", name=attachment.original_name,
            doc_type=label(DOC_TYPE_LABELS, attachment.doc_type)), "success")
    return back(default)


@bp.post("/attachments/<int:attachment_id>/delete")
@role_required("enterprise")
def delete(attachment_id: int) -> ResponseReturnValue:
    """Delete a document of a draft application (its owner only)."""
    default = url_for("applications.dashboard")
    try:
        attachment = evidence.remove(current_user, attachment_id, current_app.config["UPLOAD_DIR"])
    except ServiceError as exc:
        return refused(exc, default)
    flash(_("Deleted “%(name)s”.", name=attachment.original_name), "success")
    return back(url_for("applications.detail", application_id=attachment.application_id, _anchor="evidence"))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body beyond MAX_CONTENT_LENGTH is cut off before the view runs: say why, not just "413"."""
    return error_page(413, _("The file is larger than the limit of %(size)s.",
                             size=file_size(current_app.config["UPLOAD_MAX_BYTES"])))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> ResponseReturnValue:
    """The file, for those who may see its application or lifecycle case (404 for anyone else), always as a
    download."""
    attachment, path = case_evidence.download(current_user, attachment_id, current_app.config["UPLOAD_DIR"])
    return file_download(path, attachment.content_type, attachment.original_name)


@bp.post("/applications/<int:application_id>/comments")
@role_required("reviewer", "admin")
def add_comment(application_id: int) -> ResponseReturnValue:
    default = url_for("applications.detail", application_id=application_id, _anchor="comments")
    try:
        evidence.add_comment(current_user, application_id, request.form.get("body", ""))
    except ServiceError as exc:
        return refused(exc, default)
    flash(_("Your comment was added; reviewers and administrators can read it."), "success")
    return back(default)
