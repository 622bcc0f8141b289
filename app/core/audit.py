"""Writing to the append-only audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload

from app.core import appends
from app.extensions import db
from app.models import Application, AuditEvent, Office, User
from app.models.base import utcnow


def record(action: str, *, application: Application | None = None, actor: User | None = None,
           office: Office | None = None, step: str | None = None, comment: str | None = None,
           details: dict[str, Any] | None = None, office_id: int | None = None,
           subject: tuple[str, int] | None = None) -> None:
    """Append an entry; `subject` ties it to something besides an application (("recognition", 7)…). The row is
    queued with the transaction's other appends (app/core/appends.py) and written before anything reads."""
    appends.insert(AuditEvent, [dict(
        action=action, application_id=application.id if application else None,
        subject_type=subject[0] if subject else None, subject_id=subject[1] if subject else None,
        actor_id=actor.id if actor else None, office_id=office.id if office else office_id,
        step=step, comment=comment or None, details=details, at=utcnow(),
    )])


def history(application_id: int) -> list[AuditEvent]:
    """The application's entries, oldest first, with their actors and offices (one statement)."""
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.application_id == application_id)
        .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.office))
        .order_by(AuditEvent.at, AuditEvent.id)
    ))


def history_select(parameter: str) -> Any:
    """The application's entries as plain rows, oldest first (step, action, comment, at, actor, office_code,
    office_name, office_region, and `id`), the application's id the parameter `parameter`: what an answer of the
    API shows, without loading an entry, its actor and its office as objects."""
    return (db.select(AuditEvent.step, AuditEvent.action, AuditEvent.comment, AuditEvent.at,
                      User.username.label("actor"), Office.code.label("office_code"),
                      Office.name.label("office_name"), Office.region_code.label("office_region"), AuditEvent.id)
            .outerjoin(User, User.id == AuditEvent.actor_id).outerjoin(Office, Office.id == AuditEvent.office_id)
            .where(AuditEvent.application_id == db.bindparam(parameter)))


def subject_history(subject_type: str, subject_ids: list[int]) -> list[AuditEvent]:
    """The entries about these subjects (a recognition, its cases…), oldest first."""
    if not subject_ids:
        return []
    return list(db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id.in_(subject_ids))
        .order_by(AuditEvent.at, AuditEvent.id)))
