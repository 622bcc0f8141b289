"""Lane → office: routing rules (data an admin edits) pick the office for a subject's jurisdiction and
sector at every level; without a rule the lane goes to the general office of its level."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import gettext as _

from app.core import appends, audit, permissions, txcache
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import Lane
from app.extensions import db
from app.models import SECTORS, Office, Region, RoutingRule, User

NATIONAL_REGION = "100000"
# the level of the region whose office works each lane (expert panels and the sector service teams are
# organised by the province, 001 §三(二); the SME authority is the province's general office)
LANE_LEVELS: dict[str, str] = {
    Lane.COUNTY: "county", Lane.CITY: "city", Lane.PROVINCE: "province", Lane.NATIONAL: "national",
    Lane.EXPERT: "province", Lane.SERVICE_TEAM: "province", Lane.SME_AUTHORITY: "province",
}  # Lane.ENTERPRISE is worked by the subject itself: no office


def forget() -> None:
    txcache.forget("routing_offices")


def office_for_lane(lane: str | None, region: Region, sector: str | None) -> Office | None:
    """The office that works `lane` for a subject in `region` and `sector`; None for the subject's own lane."""
    level = LANE_LEVELS.get(lane or "")
    if level is None:
        return None
    # the same lane asked again in one transaction (the new task's office, then the enterprise's notice of it)
    routed_offices: dict[tuple, Office | None] = txcache.cached("routing_offices", dict)
    key = (lane, region.code, sector)
    if key not in routed_offices:
        routed_offices[key] = _route(lane, level, region, sector)
    return routed_offices[key]


def _route(lane: str, level: str, region: Region, sector: str | None) -> Office | None:
    """`office_for_lane` as one query: the best rule's office (the nearest region of the subject's chain, a
    sector's rule before a general one, the newest), else the general office at the lane's level."""
    chain = region.lineage()
    if level == "national":
        level_code: str | None = NATIONAL_REGION
    else:
        at_level = region.ancestor(level)
        level_code = at_level.code if at_level is not None else None
    values: dict[str, Any] = {"route_lane": lane, "route_sector": sector, "route_chain": chain,
                              "route_level_code": level_code}
    values |= {f"route_region_{index}": code for index, code in enumerate(chain)}
    return db.session.scalar(_route_statement(len(chain), level_code is None), values,
                             execution_options=appends.UNAFFECTED)  # rules and offices: queued writes wait


@cache
def _route_statement(chain_length: int, no_level_office: bool) -> Any:
    """The routing query for a region chain of `chain_length` codes, built once (values at execution)."""
    rank = db.case(*[(RoutingRule.region_code == db.bindparam(f"route_region_{index}"), index)
                     for index in range(chain_length)], else_=chain_length)
    sector = db.bindparam("route_sector", type_=RoutingRule.sector.type)
    rule = (db.select(RoutingRule.office_id).where(
        RoutingRule.lane == db.bindparam("route_lane"),
        db.or_(RoutingRule.region_code.is_(None),
               RoutingRule.region_code.in_(db.bindparam("route_chain", expanding=True))),
        db.or_(RoutingRule.sector.is_(None), RoutingRule.sector == sector))
        .order_by(rank, db.case((RoutingRule.sector.is_(None), 1), else_=0), RoutingRule.id.desc())
        .limit(1).scalar_subquery())
    general = db.null() if no_level_office else db.select(Office.id).where(
        Office.region_code == db.bindparam("route_level_code"), Office.sector.is_(None)) \
        .order_by(Office.id).limit(1).scalar_subquery()
    return db.select(Office).where(Office.id == db.func.coalesce(rule, general))


# --- administration --------------------------------------------------------------------------------

def rules() -> list[RoutingRule]:
    return list(db.session.scalars(db.select(RoutingRule).order_by(RoutingRule.lane, RoutingRule.region_code,
                                                                  RoutingRule.sector, RoutingRule.id)))


def to_dict(rule: RoutingRule) -> dict[str, Any]:
    return {"id": rule.id, "lane": rule.lane, "region_code": rule.region_code, "sector": rule.sector,
            "office_code": rule.office.code}


def _optional(values: dict[str, Any], key: str) -> Any:
    value = values.get(key)
    return None if value in (None, "") else value


def add(user: User | None, values: dict[str, Any]) -> RoutingRule:
    """Add a rule (`user` None is the system: demo data); 422 per field, nothing stored on any problem."""
    if user is not None:
        permissions.require_admin(user)
    errors: dict[str, str] = {}
    lane, region_code, sector = values.get("lane"), _optional(values, "region_code"), _optional(values, "sector")
    office_code = values.get("office_code")
    if not isinstance(lane, str) or lane not in LANE_LEVELS:
        errors["lane"] = _("unknown lane; use one of %(lanes)s", lanes=", ".join(LANE_LEVELS))
    if region_code is not None and (not isinstance(region_code, str) or db.session.get(Region, region_code) is None):
        errors["region_code"] = _("unknown region code")
    if sector is not None and sector not in SECTORS:
        errors["sector"] = _("unknown sector")
    office = db.session.scalar(db.select(Office).where(Office.code == office_code)) \
        if isinstance(office_code, str) else None
    if office is None:
        errors["office_code"] = _("unknown office code")
    elif lane in LANE_LEVELS and office.region.level != LANE_LEVELS[lane]:
        errors["office_code"] = _("the office is not at the level of this lane (%(level)s)", level=LANE_LEVELS[lane])
    if errors:
        raise Invalid(_("The routing rule cannot be saved; check the marked fields."), fields=errors)
    duplicate = db.session.scalar(db.select(RoutingRule.id).where(
        RoutingRule.lane == lane, RoutingRule.region_code.is_(None) if region_code is None
        else RoutingRule.region_code == region_code,
        RoutingRule.sector.is_(None) if sector is None else RoutingRule.sector == sector))
    if duplicate is not None:
        raise Invalid(_("A rule for this lane, region and sector exists already; delete it first."),
                      code="duplicate", fields={"lane": _("taken")})
    rule = RoutingRule(lane=lane, region_code=region_code, sector=sector, office_id=office.id)
    db.session.add(rule)
    db.session.flush()
    forget()
    if user is not None:
        audit.record("routing_rule_added", actor=user, details=to_dict(rule))
    return rule


def delete(user: User, rule_id: Any) -> None:
    permissions.require_admin(user)
    rule = db.session.get(RoutingRule, rule_id) if isinstance(rule_id, int) else None
    if rule is None:
        raise NotFound(_("Routing rule not found."))
    details = to_dict(rule)
    db.session.delete(rule)
    db.session.flush()
    forget()
    audit.record("routing_rule_deleted", actor=user, details=details)
