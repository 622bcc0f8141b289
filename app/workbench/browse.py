"""Read-only lists for the web pages: applications with where each one waits, paged."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import Forbidden
from app.extensions import db
from app.models import STATUSES, Application, HumanTask, User


def current_tasks(applications: list[Application]) -> dict[int, HumanTask]:
    """The open task of each application (one query); applications that wait nowhere are absent."""
    ids = [a.id for a in applications]
    if not ids:
        return {}
    rows = db.session.scalars(db.select(HumanTask).where(
        HumanTask.application_id.in_(ids), HumanTask.state == "open").order_by(HumanTask.id.desc()))
    return {t.application_id: t for t in rows}


def with_current(applications: list[Application]) -> list[tuple[Application, HumanTask | None]]:
    tasks = current_tasks(applications)
    return [(a, tasks.get(a.id)) for a in applications]


def all_applications(user: User, *, page: int = 1, per_page: int = 20,
                     status: str | None = None) -> tuple[list[tuple[Application, HumanTask | None]], int]:
    """Every application, newest activity first, for an administrator; (rows of this page, total)."""
    if user.role != "admin":
        raise Forbidden(_("Only an administrator can do this."))
    query = db.select(Application)
    if status in STATUSES:
        query = query.where(Application.status == status)
    total = db.session.scalar(query.with_only_columns(db.func.count(Application.id)).order_by(None))
    page = max(page, 1)
    items = list(db.session.scalars(query.order_by(Application.updated_at.desc(), Application.id.desc())
                                    .limit(per_page).offset((page - 1) * per_page)))
    return with_current(items), int(total or 0)
