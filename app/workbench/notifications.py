"""In-app notices (and e-mail when a mail server is configured): arrivals, returns, decisions, digests."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from typing import Any

from flask_babel import gettext as _

from app.core import appends
from app.extensions import db
from app.models import Application, HumanTask, Notification, User
from app.models.base import utcnow


def _notify(users: list[int], kind: str, message: str, application: Application | None = None,
            details: dict[str, Any] | None = None) -> None:
    """Rows queued with the transaction's other appends (app/core/appends.py): one INSERT with the others."""
    users = list(users)
    if users:
        now = utcnow()
        appends.insert(Notification, [
            {"user_id": uid, "kind": kind, "message": message, "details": details, "created_at": now,
             "application_id": application.id if application else None} for uid in users])


def _notify_where(condition: Any, kind: str, message: str, application: Application | None) -> None:
    """One INSERT … SELECT for every active user matching `condition` (no read round trip), queued with the
    transaction's other appends."""
    recipients = db.select(User.id, db.literal(kind), db.literal(message),
                           db.literal(application.id if application else None, type_=Notification.application_id.type),
                           db.literal(utcnow(), type_=Notification.created_at.type)) \
        .where(condition, User.active.is_(True))
    appends.add(db.insert(Notification).from_select(
        ["user_id", "kind", "message", "application_id", "created_at"], recipients))


def notify_office(office_id: int, kind: str, message: str, application: Application | None) -> None:
    """Every active reviewer of an office."""
    _notify_where((User.office_id == office_id) & (User.role == "reviewer"), kind, message, application)


def notify_users(user_ids: list[int], kind: str, message: str, application: Application | None = None) -> None:
    _notify(user_ids, kind, message, application)


def _office_reviewers(office_id: int) -> list[int]:
    return list(db.session.scalars(db.select(User.id).where(
        User.office_id == office_id, User.role == "reviewer", User.active.is_(True))))


def task_arrived(office_id: int, application: Application, step_name: str | None) -> None:
    notify_office(office_id, "task_arrived", _("New task: %(enterprise)s, %(step)s",
                                               enterprise=application.enterprise.name, step=step_name or ""),
                  application)


def status_changed(application: Application) -> None:
    """Tell the enterprise when its application is returned, recognized or rejected."""
    messages = {
        "returned": _("Your application no. %(id)s was returned for amendment.", id=application.id),
        "recognized": _("Your application no. %(id)s was recognized.", id=application.id),
        "rejected": _("Your application no. %(id)s was not approved.", id=application.id),
    }
    if application.status in messages:
        _notify_where(User.enterprise_id == application.enterprise_id, application.status,
                      messages[application.status], application)


def digest() -> int:
    """A daily digest per reviewer: open tasks of the office. Returns the number of notices written."""
    counts = dict(db.session.execute(db.select(HumanTask.office_id, db.func.count(HumanTask.id))
                                     .where(HumanTask.state == "open").group_by(HumanTask.office_id)).all())
    written = 0
    for office_id, open_tasks in counts.items():
        if office_id is None:
            continue
        reviewers = _office_reviewers(office_id)
        _notify(reviewers, "digest", _("Daily digest: %(n)s open tasks in your office.", n=open_tasks),
                details={"open_tasks": open_tasks})
        written += len(reviewers)
    db.session.flush()
    return written


def unread_count(user: User) -> int:
    return int(db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0)


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_read(user: User, ids: list[int] | None = None) -> int:
    query = db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def notification_dict(n: Notification) -> dict[str, Any]:
    return {"id": n.id, "kind": n.kind, "message": n.message, "application_id": n.application_id,
            "created_at": n.created_at.isoformat(), "read": n.read_at is not None}


def send_mail(server: str | None, sender: str, port: int = 25) -> int:
    """E-mail the notices not mailed yet to users with an address; nothing when no server is configured."""
    if not server:
        return 0
    pending = db.session.execute(db.select(Notification, User.email).join(User, User.id == Notification.user_id)
                                 .where(Notification.mailed_at.is_(None), User.email.is_not(None))).all()
    if not pending:
        return 0
    with smtplib.SMTP(server, port, timeout=30) as smtp:
        for notification, address in pending:
            mail = EmailMessage()
            mail["From"], mail["To"], mail["Subject"] = sender, address, "Tierflow"
            mail.set_content(notification.message)
            smtp.send_message(mail)
            notification.mailed_at = utcnow()
    db.session.flush()
    return len(pending)
