"""Evidence documents on a lifecycle case (issue 11 item 5: a revocation is opened with evidence, and the
enterprise is heard before the decision): the opener's documents while the case is open, the enterprise's with
its statement (陈述申辩) while it is asked for one. Files are checked and stored as an application's are
(app/workbench/evidence.py); whoever may see the case may download them, anyone else gets 404."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from flask_babel import gettext as _

from app.core import audit
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.vocabulary import StepKind
from app.extensions import db
from app.lifecycle import cases
from app.models import Attachment, LifecycleCase, User
from app.workbench import evidence as files

DOC_TYPE = "other"  # a case's documents are not of an application's checklist types


def _may_upload(user: User, case: LifecycleCase) -> None:
    """A reviewer who may see the open case (the opener's evidence); the case's enterprise while its statement
    is asked for (its own evidence). 409 when the case no longer takes documents."""
    if user.role == "reviewer" and user.office is not None:
        if case.status != "open":
            raise Conflict(_("This case is closed; no more documents can be attached."), code="case_closed")
        return
    if user.role == "enterprise" and user.enterprise_id == case.enterprise_id:
        if not any(t.kind == StepKind.RESPONSE and t.office_id is None for t in cases.open_tasks(case)):
            raise Conflict(_("Documents can be attached while your statement is asked for."),
                           code="not_waiting")
        return
    raise Forbidden(_("Only a reviewer of an office or the enterprise of the case can attach documents."))


def upload(user: User, case_id: Any, filename: str | None, stream: IO[bytes], upload_dir: Path,
           max_bytes: int = files.MAX_BYTES) -> Attachment:
    """Attach a document (PDF, PNG or JPEG by content) to the case; 404 for a case the user may not see, 409
    when it takes no documents from the user now, 422 for an empty, too large or unsupported file."""
    case = cases.get_for(user, case_id)
    _may_upload(user, case)
    attachment = Attachment(case_id=case.id, doc_type=DOC_TYPE, uploaded_by_id=user.id,
                            **files.store(filename, stream, upload_dir, max_bytes))
    db.session.add(attachment)
    db.session.flush()
    audit.record("attach", actor=user, office_id=user.office_id, subject=("case", case.id),
                 details={"attachment_id": attachment.id, "name": attachment.original_name,
                          "size": attachment.size})
    return attachment


def attachments(user: User, case_id: Any) -> list[Attachment]:
    return cases.documents(cases.get_for(user, case_id))


def download(user: User, attachment_id: Any, upload_dir: Path) -> tuple[Attachment, Path]:
    """A document and its file: a case's for those who may see the case, an application's for those who may
    see the application (app/workbench/evidence.py); 404 for anyone else."""
    attachment = db.session.get(Attachment, attachment_id) if isinstance(attachment_id, int) else None
    if attachment is None or attachment.case_id is None:
        return files.download(user, attachment_id, upload_dir)
    cases.get_for(user, attachment.case_id)  # 404 outside the caller's cases
    path = upload_dir / attachment.stored_name
    if not path.is_file():
        raise NotFound(_("Document not found."))
    return attachment, path


discard = files.discard
attachment_dict = cases.document_dict
