"""The office inbox: filters, sorting, paging and saved filters — indexed SQL on human_task, no engine work."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, or_
from sqlalchemy.orm import selectinload

from app.core.errors import Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import SECTORS, TIERS, Application, Enterprise, HumanTask, SavedFilter, User
from app.models.base import utcnow


@dataclass
class InboxFilter:
    tier: str | None = None
    step: str | None = None
    region: str | None = None          # the enterprise's region code (county) or a prefix of it
    sector: str | None = None
    claimed_by: str | None = None      # a username, "me", or "nobody"
    min_age_days: int | None = None    # waiting at least this many days
    due_before: str | None = None      # ISO date
    overdue: bool = False
    score_min: float | None = None
    score_max: float | None = None
    q: str | None = None               # enterprise name or USCC

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> InboxFilter:
        """Build from query-string or JSON values; a bad value is a 422 naming the field."""
        known = {f.name for f in fields(cls)}
        out: dict[str, Any] = {}
        for key, raw in params.items():
            if key not in known or raw in (None, ""):
                continue
            try:
                if key in ("min_age_days",):
                    out[key] = int(raw)
                    if not 0 <= out[key] <= 36500:
                        raise ValueError(key)
                elif key in ("score_min", "score_max"):
                    out[key] = float(raw)
                elif key == "overdue":
                    out[key] = raw in (True, "1", "true", "on", "yes")
                elif key == "due_before":
                    out[key] = datetime.fromisoformat(str(raw)).date().isoformat()
                else:
                    out[key] = str(raw).strip()
            except (TypeError, ValueError):
                raise Invalid(_("Invalid filter value."), fields={key: _("invalid value")}) from None
        result = cls(**out)
        if result.tier and result.tier not in TIERS:
            raise Invalid(_("Unknown tier filter."), fields={"tier": _("unknown tier")})
        if result.sector and result.sector not in SECTORS:
            raise Invalid(_("Unknown sector filter."), fields={"sector": _("unknown sector")})
        return result

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "", False)}


SORTS: dict[str, Any] = {
    "age": HumanTask.created_at,
    "due": HumanTask.due_at,
    "step": HumanTask.step,
    "tier": HumanTask.target_tier,
    "score": HumanTask.score,
    "region": HumanTask.region_code,
    "claimed": HumanTask.claimed_by_id,
    "enterprise": Enterprise.name_key,  # pinyin order (app.core.text.pinyin_key)
}
NOT_NULL = {"age", "step"}


def require_reviewer(user: User) -> None:
    if user.role != "reviewer" or user.office_id is None:
        raise Forbidden(_("Only a reviewer of an office can do this."))


def _query(user: User, f: InboxFilter, *, need_enterprise: bool = False) -> Select:
    """The filtered open tasks of the office; filters read the copies on human_task (no joins)."""
    query = db.select(HumanTask).where(HumanTask.office_id == user.office_id, HumanTask.state == "open",
                                       HumanTask.application_id.is_not(None))  # lifecycle tasks: app/lifecycle
    now = utcnow()
    if f.tier:
        query = query.where(HumanTask.target_tier == f.tier)
    if f.step:
        query = query.where(HumanTask.step == f.step)
    if f.region:
        query = query.where(HumanTask.region_code.startswith(f.region.rstrip("0") or f.region))
    if f.sector:
        query = query.where(HumanTask.sector == f.sector)
    if f.claimed_by == "nobody":
        query = query.where(HumanTask.claimed_by_id.is_(None))
    elif f.claimed_by == "me":
        query = query.where(HumanTask.claimed_by_id == user.id)
    elif f.claimed_by:
        holder = db.select(User.id).where(User.username == f.claimed_by).scalar_subquery()
        query = query.where(HumanTask.claimed_by_id == holder)
    if f.min_age_days is not None:
        query = query.where(HumanTask.created_at <= now - timedelta(days=f.min_age_days))
    if f.due_before:
        query = query.where(HumanTask.due_at < datetime.fromisoformat(f.due_before).replace(tzinfo=now.tzinfo))
    if f.overdue:
        query = query.where(HumanTask.due_at < now)
    if f.score_min is not None:
        query = query.where(HumanTask.score >= f.score_min)
    if f.score_max is not None:
        query = query.where(HumanTask.score <= f.score_max)
    if f.q:
        # match the (few) enterprises first, then their tasks by the application index
        pattern = f"%{f.q.replace('%', '').replace('_', '')}%"
        matching = (db.select(Application.id).join(Enterprise, Enterprise.id == Application.enterprise_id)
                    .where(or_(Enterprise.name.like(pattern), Enterprise.uscc == f.q.upper(),
                                  Application.number.like(f"{f.q.strip()}%"))))
        query = query.where(HumanTask.application_id.in_(matching))
    if need_enterprise:
        query = query.join(Application, Application.id == HumanTask.application_id).join(
            Enterprise, Enterprise.id == Application.enterprise_id)
    return query


def count(user: User, f: InboxFilter) -> int:
    query = _query(user, f)
    # count(*) lets PostgreSQL answer from the index alone (an index-only scan)
    return int(db.session.scalar(query.with_only_columns(db.func.count()).order_by(None)) or 0)


def search(user: User, f: InboxFilter, *, page: int = 1, per_page: int = 20, sort: str = "age",
           direction: str = "asc") -> tuple[list[HumanTask], int]:
    """One page of the office's open tasks matching `f`, and how many match in all."""
    require_reviewer(user)
    sort = sort if sort in SORTS else "age"
    column = SORTS[sort]
    if direction == "desc":
        order = [column.desc() if sort in NOT_NULL else column.desc().nulls_last(), HumanTask.id.desc()]
    else:
        order = [column.asc() if sort in NOT_NULL else column.asc().nulls_last(), HumanTask.id.asc()]
    query = _query(user, f, need_enterprise=sort == "enterprise")
    page = max(page, 1)
    rows = list(db.session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page)
                                   .options(selectinload(HumanTask.application)
                                            .joinedload(Application.enterprise))))
    return rows, count(user, f)


def save_filter(user: User, name: str, f: InboxFilter, shared: bool = False) -> SavedFilter:
    require_reviewer(user)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(_("Give the filter a name (at most 100 characters)."), fields={"name": _("required")})
    saved = SavedFilter(owner_id=user.id, office_id=user.office_id, name=name, params=f.params(), shared=shared)
    db.session.add(saved)
    db.session.flush()
    return saved


def saved_filters(user: User) -> list[SavedFilter]:
    """The reviewer's own filters and those shared in the office."""
    require_reviewer(user)
    return list(db.session.scalars(db.select(SavedFilter).where(
        SavedFilter.office_id == user.office_id,
        or_(SavedFilter.owner_id == user.id, SavedFilter.shared.is_(True))).order_by(SavedFilter.name)))


def get_saved(user: User, filter_id: int) -> SavedFilter:
    for saved in saved_filters(user):
        if saved.id == filter_id:
            return saved
    raise NotFound(_("Filter not found."))


def delete_saved(user: User, filter_id: int) -> None:
    saved = get_saved(user, filter_id)
    if saved.owner_id != user.id:
        raise Forbidden(_("Only the owner can delete a filter."))
    db.session.delete(saved)
    db.session.flush()


def sidebar(user: User) -> list[dict[str, Any]]:
    """Saved filters with the number of open tasks each matches."""
    return [{"id": s.id, "name": s.name, "shared": s.shared, "owner": s.owner.username,
             "params": s.params, "count": count(user, InboxFilter.from_params(s.params))}
            for s in saved_filters(user)]
