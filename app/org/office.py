"""A reviewer's own office as the workbench shows it: colleagues, the counties it oversees, its open tasks."""

from __future__ import annotations

from app.extensions import db
from app.models import HumanTask, Region, User
from app.org.regions import full_name
from app.workbench.inbox import require_reviewer


def colleagues(user: User) -> list[User]:
    """The other active reviewers of the user's office (to hand a task to, or to filter by)."""
    require_reviewer(user)
    return list(db.session.scalars(db.select(User).where(
        User.office_id == user.office_id, User.role == "reviewer", User.active.is_(True), User.id != user.id)
        .order_by(User.username)))


def counties(user: User) -> list[tuple[str, str]]:
    """(code, full name) of the county-level regions inside the office's region, for the inbox filter."""
    require_reviewer(user)
    region = user.office.region
    query = db.select(Region).where(Region.level == "county").order_by(Region.code)
    if region.level != "national":  # GB/T 2260: a county's code starts with its province's two digits
        query = query.where(Region.code.startswith(region.code[:2]))
    rows = db.session.scalars(query)
    if region.level == "national":
        return [(r.code, full_name(r)) for r in rows]
    return [(r.code, full_name(r)) for r in rows
            if (ancestor := r.ancestor(region.level)) is not None and ancestor.code == region.code]


def open_task_for(user: User, application_id: int) -> HumanTask | None:
    """The open task of the reviewer's office on this application, if there is one."""
    if user.role != "reviewer" or user.office_id is None:
        return None
    return db.session.scalar(db.select(HumanTask).where(
        HumanTask.application_id == application_id, HumanTask.office_id == user.office_id,
        HumanTask.state == "open").order_by(HumanTask.id).limit(1))
