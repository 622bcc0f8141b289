"""In-app notices (and e-mail when a mail server is configured): arrivals, returns, decisions, digests."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import date
from email.message import EmailMessage
from functools import cache, lru_cache
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from app.core import appends
from app.extensions import db
from app.models import Application, HumanTask, Notification, User
from app.models.base import utcnow


def N_(msgid: str) -> str:
    """Marks a message for the catalogue; it is translated when the notice is read (render), not written."""
    return msgid


WITHDRAWN_BY_ENTERPRISE = N_("%(enterprise)s withdrew application no. %(id)s before any decision.")
RETURNED = N_("Your application no. %(id)s was returned for amendment.")
RECOGNIZED = N_("Your application no. %(id)s was recognized.")
REJECTED = N_("Your application no. %(id)s was not approved.")
STATUS_NOTICES = {"returned": RETURNED, "recognized": RECOGNIZED, "rejected": REJECTED}


def text(msgid: str, **params: Any) -> tuple[str, dict[str, Any]]:
    """A notice as (its text in the writer's language, for e-mail and old readers; the msgid and parameters that
    render it in each reader's language). A parameter named `…_on` is an ISO date, formatted when read."""
    return _render(msgid, params), {"msgid": msgid, "params": params}


def _render(msgid: str, params: dict[str, Any]) -> str:
    shown = {k: format_date(date.fromisoformat(v), "long") if k.endswith("_on") and isinstance(v, str) else v
             for k, v in params.items()}
    return _(msgid, **shown)


def render(n: Notification) -> str:
    """The notice in the reader's language (a notice written before msgids were kept: as written)."""
    details = n.details if isinstance(n.details, dict) else {}
    msgid, params = details.get("msgid"), details.get("params")
    if isinstance(msgid, str) and isinstance(params, dict):
        try:
            return _render(msgid, params)
        except (KeyError, ValueError, TypeError):
            return n.message
    return n.message


def enterprise_users(application: Application) -> list[int]:
    return list(db.session.scalars(db.select(User.id).where(
        User.enterprise_id == application.enterprise_id, User.active.is_(True))))


def notify_enterprise(application: Application, kind: str, msgid: str, *, extra: dict[str, Any] | None = None,
                      once: str | None = None, round_from: str | None = None, **params: Any) -> None:
    """Tell the applying enterprise's users, rendered in each reader's language when read: one INSERT … SELECT
    queued with the transaction's other appends (no read). `once`: a milestone (`details.milestone`) told only
    once since the latest notice of this kind marked `round_from` (a round), a condition of the INSERT itself."""
    message, details = text(msgid, **params)
    ids = {"enterprise_id": application.enterprise_id}
    if once is not None:
        ids |= {"once": once, "round_from": round_from}
    _notify_where("enterprise_once" if once is not None else "enterprise", ids, kind, message[:500], application,
                  {**details, **(extra or {})})


def _notify(users: list[int], kind: str, message: str, application: Application | None = None,
            details: dict[str, Any] | None = None) -> None:
    """Rows queued with the transaction's other appends (app/core/appends.py): one INSERT with the others."""
    users = list(users)
    if users:
        now = utcnow()
        appends.insert(Notification, [
            {"user_id": uid, "kind": kind, "message": message, "details": details, "created_at": now,
             "application_id": application.id if application else None} for uid in users])


NOTICE_COLUMNS = ["user_id", "kind", "message", "application_id", "created_at", "details"]


def _notify_where(who: str, ids: dict[str, Any], kind: str, message: str, application: Application | None,
                  details: dict[str, Any] | None = None) -> None:
    """One INSERT … SELECT for every active user `who` names (`_recipients`; `ids`: its values), no read round
    trip, queued with the transaction's other appends; built once per process and prefix, the values given at
    execution."""
    values = {"kind": kind, "message": message, "application_id": application.id if application else None,
              "created_at": utcnow(), **ids}
    if details is not None:
        values["details"] = details
    appends.insert_select(Notification, NOTICE_COLUMNS, _recipients(who, details is not None), values)


@cache
def _recipients(who: str, with_details: bool) -> Callable[[str], Any]:
    """The select of a notice's rows for `who` (an office's reviewers, an enterprise's users, those not yet told a
    milestone in this round), as a function of the prefix naming its parameters (built once per prefix)."""

    @lru_cache(maxsize=64)
    def build(prefix: str) -> Any:
        def p(name: str, column: Any) -> Any:
            return db.bindparam(prefix + name, type_=column.type)

        kind, application_id = p("kind", Notification.kind), p("application_id", Notification.application_id)
        if who == "office":
            condition = (User.office_id == p("office_id", User.office_id)) & (User.role == "reviewer")
        else:
            condition = User.enterprise_id == p("enterprise_id", User.enterprise_id)
        if who == "enterprise_once":
            said = Notification.details["milestone"].as_string()
            same = (Notification.application_id == application_id) & (Notification.kind == kind)
            latest_round = db.select(db.func.max(Notification.id)).where(
                same, said == p("round_from", Notification.kind)).scalar_subquery()
            condition = condition & ~db.exists(db.select(Notification.id).where(
                same, said == p("once", Notification.kind), Notification.id > db.func.coalesce(latest_round, 0)))
        details = p("details", Notification.details) if with_details \
            else db.cast(db.null(), Notification.details.type)
        return db.select(User.id, kind, p("message", Notification.message), application_id,
                         p("created_at", Notification.created_at), details).where(condition, User.active.is_(True))

    return build


def notify_office(office_id: int, kind: str, message: str, application: Application | None,
                  details: dict[str, Any] | None = None) -> None:
    """Every active reviewer of an office (`details` with a msgid: rendered in the reader's language)."""
    if details is not None:
        _notify(_office_reviewers(office_id), kind, message[:500], application, details)
        return
    _notify_where("office", {"office_id": office_id}, kind, message, application)


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
    if application.status in STATUS_NOTICES:
        notify_enterprise(application, application.status, STATUS_NOTICES[application.status], id=application.id)


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


# notices that only ask for work on an application's task: once the task is done they no longer count as unread
TASK_KINDS = ("task_arrived", "reminder", "overdue")


def unread_count(user: User) -> int:
    """Unread notices, leaving out those about an application's task that the user's office (or the user) no
    longer has open: the badge clears when the task is done, whoever did it."""
    query = db.select(db.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
    mine = HumanTask.assignee_id == user.id
    if user.office_id is not None:
        mine = mine | (HumanTask.office_id == user.office_id)
    still_open = db.select(HumanTask.id).where(
        HumanTask.application_id == Notification.application_id, HumanTask.state == "open", mine).exists()
    done = Notification.kind.in_(TASK_KINDS) & Notification.application_id.is_not(None) & ~still_open
    return int(db.session.scalar(query.where(~done)) or 0)


def recent(user: User, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_read(user: User, ids: list[int] | None = None) -> int:
    query = db.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def notification_dict(n: Notification) -> dict[str, Any]:
    return {"id": n.id, "kind": n.kind, "message": render(n), "application_id": n.application_id,
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
            mail.set_content(render(notification))
            smtp.send_message(mail)
            notification.mailed_at = utcnow()
    db.session.flush()
    return len(pending)
