"""Who sees a fund and who adds to its budget: the SME office that keeps it, the finance bureau of its region
(office sector `finance`) and the admin see it; the keeping office and the admin add to its budget."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.errors import NotFound
from app.extensions import db
from app.models import Fund, User

FINANCE = "finance"


def can_view(user: User | None, fund: Fund) -> bool:
    if user is None:
        return False
    if user.role == "admin":
        return True
    office = user.office if user.role == "reviewer" else None
    return office is not None and (office.id == fund.office_id or (
        office.sector == FINANCE and office.region_code == fund.region_code))


def can_budget(user: User | None, fund: Fund) -> bool:
    return user is not None and (user.role == "admin" or (
        user.role == "reviewer" and user.office_id is not None and user.office_id == fund.office_id))


def visible(user: User | None) -> list[Fund]:
    """The funds the caller may see, by region and key."""
    funds = db.session.scalars(db.select(Fund).order_by(Fund.region_code, Fund.key))
    return [f for f in funds if can_view(user, f)]


def get_for(user: User | None, fund_id: Any) -> Fund:
    """The fund, or 404 for a caller who may not see it (so that it does not leak)."""
    fund = db.session.get(Fund, fund_id) if isinstance(fund_id, int) else None
    if fund is None or not can_view(user, fund):
        raise NotFound(_("Fund not found."))
    return fund
