"""Read-only lists for the web pages: applications with where each one waits, paged."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from app.core import workdays
from app.core.errors import Forbidden, Invalid
from app.extensions import db
from app.models import STATUSES, TIERS, Application, Call, Enterprise, HumanTask, User


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


# --- searchable application lists: the admin's 全部申报, a reviewer's 已办 and 全部 (issue 17 item 6) -------------

SCOPES = ("handled", "all")  # a reviewer's lists: decided by my office / everything in my jurisdiction
TIER_LEVELS = {"seed": 0, "city": 1, "province": 2, "national": 3}
OFFICE_LEVELS = {"county": 0, "city": 1, "province": 2, "national": 3}
LIST_SORTS: dict[str, Any] = {
    "number": Application.number, "enterprise": Enterprise.name, "tier": Application.target_tier,
    "status": Application.status, "score": Application.score, "submitted": Application.submitted_at,
    "updated": Application.updated_at,
}


@dataclass
class ListFilter:
    q: str | None = None            # enterprise name (part), USCC, or application number (or its start)
    tier: str | None = None
    status: str | None = None
    region: str | None = None       # a region code: the enterprise's county or a prefix of it
    call: int | None = None         # the call (申报批次) id
    submitted_from: str | None = None  # ISO dates, China time, inclusive
    submitted_to: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ListFilter:
        """From query-string values; a bad value is a 422 naming the field."""
        out: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw in (None, ""):
                continue
            raw = str(raw).strip()
            try:
                if f.name == "call":
                    out[f.name] = int(raw)
                elif f.name in ("submitted_from", "submitted_to"):
                    out[f.name] = date.fromisoformat(raw).isoformat()
                elif f.name == "q":
                    out[f.name] = raw[:100]
                else:
                    out[f.name] = raw
            except ValueError:
                raise Invalid(_("Invalid filter value."), fields={f.name: _("invalid value")}) from None
        result = cls(**out)
        if result.tier and result.tier not in TIERS:
            raise Invalid(_("Unknown tier filter."), fields={"tier": _("unknown tier")})
        if result.status and result.status not in STATUSES:
            raise Invalid(_("Unknown status filter."), fields={"status": _("unknown status")})
        if result.region and not result.region.isdigit():
            raise Invalid(_("Invalid filter value."), fields={"region": _("invalid value")})
        return result

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


def _jurisdiction(user: User) -> Any:
    """The reviewer's 全部: submitted applications its office reviews by region and tier, and any it held a
    task of (a sector office, a reassignment)."""
    office = user.office
    level = OFFICE_LEVELS.get(office.region.level, 0)
    prefix = {0: office.region_code, 1: office.region_code[:4], 2: office.region_code[:2]}.get(level, "")
    tiers = [t for t, tier_level in TIER_LEVELS.items() if tier_level >= level]
    in_region = db.and_(Application.submitted_at.is_not(None), Application.target_tier.in_(tiers),
                        Enterprise.region_code.startswith(prefix))
    if office.sector:  # a sector's department (e.g. 农业农村厅) reviews its sector's enterprises
        in_region = db.and_(in_region, Enterprise.sector == office.sector)
    touched = Application.id.in_(db.select(HumanTask.application_id).where(HumanTask.office_id == office.id))
    return or_(in_region, touched)


def _filtered(query: Any, f: ListFilter) -> Any:
    if f.q:
        text = f.q.replace("%", "").replace("_", "")
        query = query.where(or_(Enterprise.name.like(f"%{text}%"), Enterprise.uscc == text.upper(),
                                Application.number.like(f"{text}%")))
    if f.tier:
        query = query.where(Application.target_tier == f.tier)
    if f.status:
        query = query.where(Application.status == f.status)
    if f.region:
        query = query.where(Enterprise.region_code.startswith(f.region.rstrip("0") or f.region))
    if f.call is not None:
        query = query.where(Application.call_id == f.call)
    if f.submitted_from:
        start = datetime.combine(date.fromisoformat(f.submitted_from), time(), workdays.CHINA)
        query = query.where(Application.submitted_at >= start)
    if f.submitted_to:
        end = datetime.combine(date.fromisoformat(f.submitted_to) + timedelta(days=1), time(), workdays.CHINA)
        query = query.where(Application.submitted_at < end)
    return query


def search_applications(user: User, scope: str, f: ListFilter, *, page: int = 1, per_page: int = 20,
                        sort: str = "-updated") -> tuple[list[tuple[Application, HumanTask | None]], int]:
    """One page of an application list and the total: `scope` "all" (an admin: every application; a reviewer:
    its jurisdiction) or "handled" (a reviewer: those its office decided a step of). `sort` is a key of
    LIST_SORTS, `-` first for descending."""
    query = db.select(Application).join(Enterprise, Enterprise.id == Application.enterprise_id)
    if user.role == "reviewer" and user.office_id is not None:
        if scope == "handled":
            query = query.where(Application.id.in_(db.select(HumanTask.application_id).where(
                HumanTask.office_id == user.office_id, HumanTask.state == "completed",
                HumanTask.completed_by_id.is_not(None))))
        else:
            query = query.where(_jurisdiction(user))
    elif user.role != "admin":
        raise Forbidden(_("Only an administrator or a reviewer of an office can do this."))
    query = _filtered(query, f)
    total = db.session.scalar(query.with_only_columns(db.func.count(Application.id)).order_by(None))
    key = sort.removeprefix("-")
    column = LIST_SORTS.get(key, Application.updated_at)
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    page = max(page, 1)
    items = list(db.session.scalars(query.order_by(order, Application.id.desc()).limit(per_page)
                                    .offset((page - 1) * per_page)
                                    .options(joinedload(Application.enterprise).joinedload(Enterprise.region))))
    return with_current(items), int(total or 0)


def calls_for_filter() -> list[tuple[int, str]]:
    """(id, name) of every call, newest first, for the lists' call filter."""
    return [(c.id, c.name) for c in db.session.scalars(db.select(Call).order_by(Call.opens_on.desc(), Call.id.desc()))]
