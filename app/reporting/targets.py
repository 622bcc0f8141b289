"""Targets (发展目标) and their progress, computed, never typed.

Shipped from the seeds in workflows/targets.json (001 §一(三), 002 §二, 003 §一, 004 §二(二) and §三), each
with its clause; stored idempotently (`ensure_shipped`, as reward policies are); the admin edits the value,
range and note, or adds targets (audited; bad input stores nothing).

Where progress comes from:
- `tier_*`: the register. `stock` targets ("到2025年底…培育…户") count the firms of the region recognized at the
  tier by the end of the year and not revoked or exited (in force, under review or expired: 累计培育, see
  stats.py); `new` targets ("每年新增", Baishan's 2022 figures) count the entries recognized in that year.
  Each is exactly the drill-down list `/dashboard/recognitions?tier=&region=&until=` (or `&year=`).
- `library_members`: the memberships of the region's cultivation libraries (entries, any status: 累计入库).
- `rd_intensity`, `rd_staff_share`: the monitored provincial cohort of the latest period with data
  (cohort.py), in per cent.
- anything else (champions, listings, platforms, trainees, R&D institutions…) has no source in Tierflow yet:
  `actual` is None and the status `no_source` ("暂无数据来源"), never a number; a monitored metric before any
  report is filed is `no_data`.

Traffic light: the expected progress is pro rata — the target times the share of the plan elapsed (from
1 January of `base_year`, or of the target year for `new` targets, to 31 December of the year; the whole
target once the year is over; a `level` target expects its level at once). Green: actual ≥ expected;
amber: ≥ 70 % of it; red: below."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, true

from app.core import audit, permissions, workdays
from app.core.errors import Conflict, Invalid, NotFound
from app.core.vocabulary import TargetMetric, TargetStatus
from app.extensions import db
from app.lifecycle.register import region_prefix
from app.models import Enterprise, Library, LibraryMembership, Recognition, Region, Target, User
from app.reporting import cohort, stats
from app.reporting import scope as scopes

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "targets.json"
TIER_METRICS = {"tier_seed": "seed", "tier_city": "city", "tier_province": "province", "tier_national": "national"}
MONITORED = {"rd_intensity": "rd_intensity", "rd_staff_share": "rd_staff_share"}
SOURCED = set(TIER_METRICS) | set(MONITORED) | {"library_members"}
BASES = ("stock", "new", "level")
AMBER = 0.7


def ensure_shipped() -> int:
    """Store the shipped targets whose region exists and that are not stored yet; how many were added."""
    added = 0
    for item in json.loads(SHIPPED.read_text(encoding="utf-8"))["targets"]:
        if db.session.get(Region, item["region_code"]) is None:
            continue
        if db.session.scalar(db.select(Target.id).where(
                Target.region_code == item["region_code"], Target.metric == item["metric"],
                Target.year == item["year"])) is None:
            db.session.add(Target(**item))
            added += 1
    db.session.flush()
    return added


def expected(target: Target, today: date) -> float:
    if target.basis == "level":
        return float(target.value)
    start = date(target.base_year if target.basis == "stock" and target.base_year else target.year, 1, 1)
    end = date(target.year, 12, 31)
    if today >= end:
        share = 1.0
    elif today < start:
        share = 0.0
    else:
        share = (today - start).days / (end - start).days
    return float(target.value) * share


def light(actual: float | None, wanted: float, sourced: bool = True) -> str:
    if actual is None:
        return TargetStatus.NO_DATA.value if sourced else TargetStatus.NO_SOURCE.value
    if actual >= wanted:
        return TargetStatus.GREEN.value
    return TargetStatus.AMBER.value if actual >= AMBER * wanted else TargetStatus.RED.value


class Actuals:
    """Progress of several targets with one GROUP BY per region, basis and year (cached for one listing)."""

    def __init__(self, breakdown: stats.Breakdown | None = None,
                 cohort_of: tuple[str, dict[str, Any]] | None = None) -> None:
        self._tiers: dict[tuple[str, str, int], dict[str, int]] = {}
        self._cohorts: dict[str, dict[str, Any]] = dict([cohort_of]) if cohort_of else {}
        self._breakdown = breakdown  # the page's own counts of the register (no sector-limited scope)

    def tiers(self, region: Region, basis: str, year: int) -> dict[str, int]:
        key = (region.code, basis, year)
        known = self._breakdown
        if key not in self._tiers and known is not None and known.scope.region.code == region.code \
                and known.scope.sector is None:
            self._tiers[key] = known.tiers(year, basis)
        if key not in self._tiers:
            scope = scopes.Scope(region, region_prefix(region))
            query = stats.filtered(scope, columns=[Recognition.tier, func.count(Recognition.id)],
                                   **({"year": year} if basis == "new" else {"until": year}))
            query = query.group_by(Recognition.tier)
            self._tiers[key] = {tier: int(n) for tier, n in db.session.execute(query).all()}
        return self._tiers[key]

    def monitored(self, region: Region) -> dict[str, Any]:
        if region.code not in self._cohorts:
            # the target's own region, whoever reads it (the caller's scope was checked)
            self._cohorts[region.code] = cohort.of_scope(scopes.Scope(region, region_prefix(region)))["provincial"]
        return self._cohorts[region.code]

    def of(self, target: Target) -> float | None:
        region = target.region
        if target.metric in TIER_METRICS:
            return self.tiers(region, "new" if target.basis == "new" else "stock", target.year).get(
                TIER_METRICS[target.metric], 0)
        if target.metric in MONITORED:
            ratio = self.monitored(region).get(MONITORED[target.metric])
            return None if ratio is None else round(ratio * 100, 2)
        if target.metric == "library_members":
            query = db.select(func.count(func.distinct(LibraryMembership.enterprise_id))).join(
                Library, Library.key == LibraryMembership.library_key).join(
                Enterprise, Enterprise.id == LibraryMembership.enterprise_id).where(
                scopes.within(Enterprise.region_code, region_prefix(region)) if region_prefix(region) else true(),
                LibraryMembership.entered_on <= date(target.year, 12, 31))
            if target.basis == "new":
                query = query.where(LibraryMembership.entered_on >= date(target.year, 1, 1))
            return int(db.session.scalar(query) or 0)
        return None


def to_dict(target: Target, actuals: Actuals | None = None, today: date | None = None) -> dict[str, Any]:
    today = today or workdays.china_date()
    actual = (actuals or Actuals()).of(target)
    wanted = expected(target, today)
    return {"id": target.id, "region_code": target.region_code, "region": target.region.name,
            "metric": target.metric, "label": TargetMetric(target.metric).label
            if target.metric in TargetMetric.values() else target.metric,
            "year": target.year, "basis": target.basis, "base_year": target.base_year, "value": target.value,
            "value_max": target.value_max, "clause": target.clause, "note": target.note,
            "source": ("register" if target.metric in TIER_METRICS else "monitoring" if target.metric in MONITORED
                       else "library" if target.metric == "library_members" else None),
            "actual": actual, "expected": round(wanted, 2), "status": light(actual, wanted, target.metric in SOURCED),
            "progress": round(actual / target.value, 4) if actual is not None and target.value else None,
            "drill": drill_args(target),
            "updated_at": target.updated_at.isoformat() if target.updated_at else None}


def drill_args(target: Target) -> dict[str, Any] | None:
    """The filters of the register list behind a tier target's figure (None for other metrics)."""
    if target.metric not in TIER_METRICS:
        return None
    return {"tier": TIER_METRICS[target.metric], "region": target.region_code,
            ("year" if target.basis == "new" else "until"): target.year}


def listing(user: User | None, region: str | None = None, year: int | None = None,
            actuals: Actuals | None = None) -> list[dict[str, Any]]:
    """The targets of the caller's region (or one below it, `region`), of `year` if given, with progress."""
    scope = scopes.narrowed(scopes.of(user), region)
    query = db.select(Target)
    if region or scope.region.level != "national":
        query = query.where(Target.region_code == scope.region.code)
    if year:
        query = query.where(Target.year == year)
    actuals = actuals or Actuals()
    today = workdays.china_date()
    order = {m: i for i, m in enumerate(TargetMetric.values())}
    rows = sorted(db.session.scalars(query), key=lambda t: (t.region_code, t.year, order.get(t.metric, 99)))
    items = [to_dict(t, actuals, today) for t in rows]
    if scope.sector:  # a target is the whole jurisdiction's; the sector office's lists hold its sector only
        for item in items:
            item["drill"] = None
    return items


def years(region_code: str) -> list[int]:
    return list(db.session.scalars(db.select(Target.year).where(Target.region_code == region_code)
                                   .distinct().order_by(Target.year)))


def default_year(region_code: str, today: date | None = None) -> int | None:
    """The first target year not yet over, else the latest."""
    found = years(region_code)
    this = (today or workdays.china_date()).year
    return next((y for y in found if y >= this), found[-1] if found else None)


def get(target_id: Any) -> Target:
    target = db.session.get(Target, target_id) if isinstance(target_id, int) else None
    if target is None:
        raise NotFound(_("Target not found."))
    return target


def all_targets() -> list[Target]:
    return list(db.session.scalars(db.select(Target).order_by(Target.region_code, Target.year, Target.metric)))


def _number(values: dict[str, Any], name: str, errors: dict[str, str], required: bool) -> int | None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            errors[name] = _("required")
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**9:
        errors[name] = _("a whole number from 0 to 1,000,000,000")
        return None
    return value


def _checked(values: dict[str, Any], errors: dict[str, str], current: Target | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "value" in values or current is None:
        out["value"] = _number(values, "value", errors, required=True)
    if "value_max" in values:
        out["value_max"] = _number(values, "value_max", errors, required=False)
    low = out.get("value", current.value if current else None)
    high = out.get("value_max", current.value_max if current else None)
    if low is not None and high is not None and high < low and "value_max" not in errors:
        errors["value_max"] = _("not below the value")
    if "note" in values:
        note = values["note"]
        if note is not None and (not isinstance(note, str) or len(note) > 1000):
            errors["note"] = _("text of at most %(n)s characters", n=1000)
        out["note"] = note.strip() or None if isinstance(note, str) else None
    if "clause" in values or current is None:
        clause = values.get("clause")
        if not isinstance(clause, str) or not clause.strip() or len(clause) > 300:
            errors["clause"] = _("text of at most %(n)s characters", n=300)
        else:
            out["clause"] = clause.strip()
    return out


EDITABLE = ("value", "value_max", "note", "clause")


def update(user: User, target_id: Any, values: dict[str, Any]) -> Target:
    permissions.require_admin(user)
    target = get(target_id)
    errors = {name: _("not editable") for name in sorted(set(values) - set(EDITABLE))}
    changes = _checked(values, errors, target)
    if errors:
        raise Invalid(_("The target cannot be saved; check the marked fields."), fields=errors)
    before = {k: getattr(target, k) for k in changes}
    for name, value in changes.items():
        setattr(target, name, value)
    target.updated_by_id = user.id
    db.session.flush()
    audit.record("target_changed", actor=user, subject=("target", target.id), details={
        "region_code": target.region_code, "metric": target.metric, "year": target.year, "before": before,
        "after": {k: getattr(target, k) for k in changes}})
    return target


def create(user: User, values: dict[str, Any]) -> Target:
    permissions.require_admin(user)
    errors: dict[str, str] = {}
    region = values.get("region_code")
    if not isinstance(region, str) or db.session.get(Region, region) is None:
        errors["region_code"] = _("unknown region code")
    if values.get("metric") not in TargetMetric.values():
        errors["metric"] = _("unknown metric")
    year = values.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("a year such as 2026")
    basis = values.get("basis") or "stock"
    if basis not in BASES:
        errors["basis"] = _("stock, new or level")
    base_year = values.get("base_year")
    if base_year is not None and (not isinstance(base_year, int) or isinstance(base_year, bool)
                                  or not 2000 <= base_year <= 2100
                                  or (isinstance(year, int) and base_year > year)):
        errors["base_year"] = _("a year not after the target year")
    checked = _checked({k: values.get(k) for k in ("value", "value_max", "note", "clause")}, errors, None)
    if not errors and db.session.scalar(db.select(Target.id).where(
            Target.region_code == region, Target.metric == values["metric"], Target.year == year)) is not None:
        raise Conflict(_("This region already has a target for this metric and year."),
                       fields={"metric": _("already set for this year")})
    if errors:
        raise Invalid(_("The target cannot be saved; check the marked fields."), fields=errors)
    target = Target(region_code=region, metric=values["metric"], year=year, basis=basis, base_year=base_year,
                    updated_by_id=user.id, **checked)
    db.session.add(target)
    db.session.flush()
    audit.record("target_added", actor=user, subject=("target", target.id), details={
        "region_code": region, "metric": target.metric, "year": year, "value": target.value,
        "value_max": target.value_max})
    return target
