"""Template helpers for the workbench partials: each partial fetches what it shows for the current user."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import request
from flask_babel import format_datetime
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.core import workdays
from app.core.errors import Forbidden, NotFound
from app.models import DOC_TYPES, Application, HumanTask
from app.models.base import utcnow
from app.org import office
from app.web.labels import DOC_TYPE_LABELS, NOTICE_LABELS, label
from app.web.workbench import bp
from app.workbench import claims, evidence, notifications


def here() -> str:
    """The current page's path and query, to come back to after a POST."""
    return request.full_path.rstrip("?")


def filter_args(params: dict[str, Any]) -> dict[str, Any]:
    """Inbox filter values as query-string arguments (a set flag reads as "1")."""
    return {key: ("1" if value is True else value) for key, value in params.items()
            if value not in (None, "", False)}


def unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    try:
        return notifications.unread_count(current_user)
    except SQLAlchemyError:  # e.g. on the error page of a failed request: no badge rather than no page
        return 0


def evidence_of(application: Application) -> dict[str, Any]:
    """Uploaded documents and requested documents of an application; whether the user may upload."""
    try:
        attachments = evidence.attachments(current_user, application.id)
        checklist = evidence.checklist(current_user, application.id)
    except NotFound:
        attachments, checklist = [], []
    owner = current_user.role == "enterprise" and current_user.enterprise_id == application.enterprise_id
    return {"attachments": attachments, "checklist": checklist, "may_upload": owner and application.editable,
            "may_delete": owner and application.status == "draft",
            "open_requests": [item for item in checklist if not item["fulfilled"]]}


def comments_of(application: Application) -> list | None:
    """Reviewers' comments, or None for anyone who may not read them (enterprises)."""
    if current_user.role not in ("reviewer", "admin"):
        return None
    try:
        return evidence.comments(current_user, application.id)
    except NotFound:
        return None


def claim_state(task: HumanTask) -> dict[str, Any]:
    """Who holds the task and what the current reviewer may do with it."""
    holder = task.claimed_by
    mine = holder is not None and holder.id == current_user.id
    head = bool(current_user.is_office_head)
    is_open = task.state == "open"
    try:
        claims.check_may_decide(current_user, task)
        refusal = None
    except Forbidden as exc:
        refusal = exc
    return {
        "holder": holder, "mine": mine, "open": is_open, "head": head, "refusal": refusal,
        "may_claim": is_open and holder is None and refusal is None,
        "may_release": is_open and holder is not None and (mine or head),
        "may_hand_over": is_open and (holder is None or mine or head),
        "colleagues": [c for c in office.colleagues(current_user) if holder is None or c.id != holder.id],
        "conflict_declared": refusal is not None and refusal.code == "conflict_of_interest",
    }


def date_cn(value: datetime | None) -> str:
    """A date in the configured zone, e.g. 2025-03-01 (the time is in the title)."""
    return format_datetime(value, "yyyy-MM-dd") if value else ""


bp.add_app_template_filter(date_cn, "date_cn")


def is_overdue(due_at: datetime | None) -> bool:
    return due_at is not None and due_at < utcnow()


def days_left(due_at: datetime | None) -> int | None:
    """Working days until the due day (negative once overdue)."""
    return workdays.working_days_left(utcnow(), due_at) if due_at is not None else None


def file_size(size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


@bp.app_context_processor
def workbench_helpers() -> dict[str, Any]:
    return {
        "here": here, "filter_args": filter_args, "unread_notifications": unread_notifications,
        "evidence_of": evidence_of, "comments_of": comments_of, "claim_state": claim_state,
        "file_size": file_size, "doc_types": DOC_TYPES, "is_overdue": is_overdue, "days_left": days_left,
        "doc_type_label": lambda code: label(DOC_TYPE_LABELS, code),
        "notice_label": lambda code: label(NOTICE_LABELS, code),
        "notice_text": notifications.render,
    }
