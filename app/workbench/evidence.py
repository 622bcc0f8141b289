"""Evidence on an application: uploaded documents, reviewers' comments, requests for missing documents."""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from app.core import audit
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import DOC_TYPES, Application, Attachment, DocumentRequest, ReviewComment, User
from app.recognition import applications

MAX_BYTES = 20 * 1024 * 1024
# Types are decided by content (magic numbers), never by the file name.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


def sniff(head: bytes) -> str | None:
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def clean_name(name: str | None) -> str:
    """A display name only: no directories, no control characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").split("/")[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return (name or "document")[:120]


def store(filename: str | None, stream: IO[bytes], upload_dir: Path, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """Check an uploaded file (size, not empty, type by content) and keep it in `upload_dir` under a generated
    name; the Attachment columns describing it. 422 (too_large, unsupported_type) before anything is written."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Invalid(_("The file is larger than %(mb)s MB.", mb=f"{max_bytes / (1024 * 1024):g}"),
                      fields={"file": _("too large")}, code="too_large")
    if not data:
        raise Invalid(_("The file is empty."), fields={"file": _("empty")})
    content_type = sniff(data[:16])
    if content_type is None:
        raise Invalid(_("Only PDF, PNG and JPEG files are accepted (checked by their content)."),
                      fields={"file": _("type not allowed")}, code="unsupported_type")
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16)
    path = upload_dir / stored
    tmp = upload_dir / f".{stored}.part"
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return {"original_name": clean_name(filename), "stored_name": stored, "content_type": content_type,
            "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def discard(attachment: Attachment, upload_dir: Path) -> None:
    """Remove the file of an attachment whose row is rolled back (the request failed after the upload)."""
    (upload_dir / attachment.stored_name).unlink(missing_ok=True)


def upload(user: User, application_id: int, doc_type: str, filename: str | None, stream: IO[bytes],
           upload_dir: Path, max_bytes: int = MAX_BYTES) -> Attachment:
    application = applications.get_for(user, application_id)
    if user.role != "enterprise" or application.enterprise_id != user.enterprise_id:
        raise Forbidden(_("Only the applying enterprise can attach documents."))
    if not application.editable:
        raise Invalid(_("Documents can be attached while the application is a draft or returned."))
    if doc_type not in DOC_TYPES:
        raise Invalid(_("Unknown document type."), fields={"doc_type": _("unknown")})
    _check_quota(application)
    attachment = Attachment(application_id=application.id, doc_type=doc_type, uploaded_by_id=user.id,
                            **store(filename, stream, upload_dir, max_bytes))
    db.session.add(attachment)
    db.session.flush()
    open_request = db.session.scalar(db.select(DocumentRequest).where(
        DocumentRequest.application_id == application.id, DocumentRequest.doc_type == doc_type,
        DocumentRequest.fulfilled_by_id.is_(None)).order_by(DocumentRequest.id))
    if open_request is not None:
        open_request.fulfilled_by_id = attachment.id
    audit.record("attach", application=application, actor=user,
                 details={"attachment_id": attachment.id, "doc_type": doc_type, "size": attachment.size})
    return attachment


# Upload quotas (issue 16 §7): far above what an application needs, low enough that nobody fills the disk.
QUOTA_APPLICATION = (40, 200 * 1024 * 1024)  # files, bytes per application
QUOTA_ENTERPRISE = (400, 2 * 1024 * 1024 * 1024)  # files, bytes per enterprise, all its applications


def _usage(condition: Any) -> tuple[int, int]:
    count, size = db.session.execute(db.select(db.func.count(Attachment.id), db.func.coalesce(
        db.func.sum(Attachment.size), 0)).where(condition)).one()
    return int(count), int(size)


def _check_quota(application: Application) -> None:
    files, size = _usage(Attachment.application_id == application.id)
    if files >= QUOTA_APPLICATION[0] or size >= QUOTA_APPLICATION[1]:
        raise Invalid(_("This application holds the most documents it may (%(files)s files or %(mb)s MB); "
                        "delete one first.", files=QUOTA_APPLICATION[0], mb=QUOTA_APPLICATION[1] >> 20),
                      code="quota_exceeded")
    files, size = _usage(Attachment.application_id.in_(db.select(Application.id).where(
        Application.enterprise_id == application.enterprise_id)))
    if files >= QUOTA_ENTERPRISE[0] or size >= QUOTA_ENTERPRISE[1]:
        raise Invalid(_("Your enterprise holds the most documents it may (%(files)s files or %(mb)s MB).",
                        files=QUOTA_ENTERPRISE[0], mb=QUOTA_ENTERPRISE[1] >> 20), code="quota_exceeded")


def remove(user: User, attachment_id: Any, upload_dir: Path) -> Attachment:
    """The owning enterprise deletes a document of its draft (once submitted, documents are evidence and stay)."""
    attachment = db.session.get(Attachment, attachment_id) if isinstance(attachment_id, int) else None
    if attachment is None or attachment.application_id is None:
        raise NotFound(_("Document not found."))
    application = applications.get_for(user, attachment.application_id)  # 404 outside the caller's view
    if user.role != "enterprise" or application.enterprise_id != user.enterprise_id:
        raise Forbidden(_("Only the applying enterprise can delete its documents."))
    if application.status != "draft":
        raise Conflict(_("Documents can be deleted only while the application is a draft."), code="not_a_draft")
    db.session.execute(db.update(DocumentRequest).where(DocumentRequest.fulfilled_by_id == attachment.id)
                       .values(fulfilled_by_id=None))
    db.session.delete(attachment)
    db.session.flush()
    audit.record("detach", application=application, actor=user,
                 details={"attachment_id": attachment.id, "doc_type": attachment.doc_type})
    (upload_dir / attachment.stored_name).unlink(missing_ok=True)
    return attachment


def attachments(user: User, application_id: int) -> list[Attachment]:
    application = applications.get_for(user, application_id)
    return list(db.session.scalars(db.select(Attachment).where(Attachment.application_id == application.id)
                                   .order_by(Attachment.id)))


def download(user: User, attachment_id: int, upload_dir: Path) -> tuple[Attachment, Path]:
    """The attachment and its file, for those who may see the application; 404 for anyone else."""
    attachment = db.session.get(Attachment, attachment_id) if isinstance(attachment_id, int) else None
    if attachment is None or attachment.application_id is None:  # a case's document: app.lifecycle.evidence
        raise NotFound(_("Document not found."))
    applications.get_for(user, attachment.application_id)  # 404 outside the caller's jurisdiction
    path = upload_dir / attachment.stored_name
    if not path.is_file():
        raise NotFound(_("Document not found."))
    return attachment, path


def attachment_dict(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "application_id": a.application_id, "doc_type": a.doc_type, "name": a.original_name,
            "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
            "uploaded_at": a.uploaded_at.isoformat()}


def _staff_application(user: User, application_id: int) -> Application:
    if user.role not in ("reviewer", "admin"):
        raise NotFound(_("Application not found."))
    return applications.get_for(user, application_id)


def add_comment(user: User, application_id: int, body: str) -> ReviewComment:
    application = _staff_application(user, application_id)
    body = (body or "").strip()
    if not body or len(body) > 4000:
        raise Invalid(_("Write a comment (at most 4000 characters)."), fields={"body": _("required")})
    comment = ReviewComment(application_id=application.id, author_id=user.id, office_id=user.office_id, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def comments(user: User, application_id: int) -> list[ReviewComment]:
    """Reviewers' comments: visible to reviewers and administrators only."""
    application = _staff_application(user, application_id)
    return list(db.session.scalars(db.select(ReviewComment).where(ReviewComment.application_id == application.id)
                                   .order_by(ReviewComment.id)))


def comment_dict(c: ReviewComment) -> dict[str, Any]:
    return {"id": c.id, "author": c.author.username, "office": c.office.code if c.office else None,
            "body": c.body, "created_at": c.created_at.isoformat()}


NOTE_MAX = 500


def request_documents(user: User, application: Application, requested: Any) -> list[DocumentRequest]:
    """Record the documents a reviewer asks for when returning an application."""
    if requested in (None, []):
        return []
    if not isinstance(requested, list) or len(requested) > 20:
        raise Invalid(_("List the requested documents."), fields={"requested_documents": _("invalid")})
    rows = []
    for item in requested:
        doc_type = item.get("doc_type") if isinstance(item, dict) else item
        note = item.get("note") if isinstance(item, dict) else None
        if note is not None and (not isinstance(note, str) or len(note.strip()) > NOTE_MAX):
            raise Invalid(_("A note on a requested document is text of at most %(n)s characters.", n=NOTE_MAX),
                          fields={"requested_documents": _("note too long")})
        note = note.strip() if note else None
        if not isinstance(doc_type, str) or doc_type not in DOC_TYPES:
            raise Invalid(_("Unknown document type."), fields={"requested_documents": _("unknown document type")})
        rows.append(DocumentRequest(application_id=application.id, doc_type=doc_type, note=note or None,
                                    requested_by_id=user.id))
    db.session.add_all(rows)
    return rows


def checklist(user: User, application_id: int) -> list[dict[str, Any]]:
    """The documents reviewers asked for, and whether each has been uploaded since."""
    application = applications.get_for(user, application_id)
    return [{"id": r.id, "doc_type": r.doc_type, "note": r.note, "requested_at": r.requested_at.isoformat(),
             "fulfilled": r.fulfilled_by_id is not None}
            for r in db.session.scalars(db.select(DocumentRequest).where(
                DocumentRequest.application_id == application.id).order_by(DocumentRequest.id))]
