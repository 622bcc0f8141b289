"""Statistics of the register (认定名录): recognitions counted by tier, region (rolled up to a level), sector
and year of `valid_from`, with filters, within the caller's scope — and the entries behind any figure
(the drill-down list counts exactly what the figure counts).

Which entries count (`status`): `stock` (default) — in force, under review or expired: every firm the
jurisdiction has cultivated at the tier and not revoked or exited (累计培育, the reading of the seeds' "by 2025"
targets); `held` — in force or under review (held now); `all`; or one status. An entry counts at the region
of its enterprise (where the firm is), not of the recognizing office, so a provincial recognition of a
Baishan firm counts for Baishan."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import aliased, joinedload

from app.core.errors import Invalid
from app.core.vocabulary import RecognitionStatus, Sector, Tier
from app.extensions import db
from app.models import Enterprise, Recognition, Region, User
from app.reporting import scope as scopes

GROUP_KEYS = ("tier", "region", "year", "sector")
STOCK = (RecognitionStatus.ACTIVE.value, RecognitionStatus.UNDER_REVIEW.value, RecognitionStatus.EXPIRED.value)
HELD = (RecognitionStatus.ACTIVE.value, RecognitionStatus.UNDER_REVIEW.value)
STATUS_SETS = {"stock": STOCK, "held": HELD, "all": RecognitionStatus.values()}
SORTS = {"valid_from": Recognition.valid_from, "tier": Recognition.tier, "enterprise": Enterprise.name_key,
         "region": Enterprise.region_code, "status": Recognition.status, "certificate_no": Recognition.certificate_no}


def region_expr(level: str) -> Any:
    """The enterprise's region code rolled up to `level` (GB/T 2260: 22 0000, 2206 00, 220602)."""
    if level == "province":
        return func.substr(Enterprise.region_code, 1, 2).concat("0000")
    if level == "city":
        return func.substr(Enterprise.region_code, 1, 4).concat("00")
    return Enterprise.region_code


def year_expr() -> Any:
    return func.cast(func.extract("year", Recognition.valid_from), db.Integer)


def parse_filters(args: dict[str, Any]) -> dict[str, Any]:
    """tier, region, year, sector, status, level from query arguments; 422 naming a bad one."""
    errors: dict[str, str] = {}
    tier = args.get("tier") or None
    if tier and tier not in Tier.values():
        errors["tier"] = _("unknown tier")
    sector = args.get("sector") or None
    if sector and sector not in Sector.values():
        errors["sector"] = _("unknown sector")
    status = args.get("status") or "stock"
    if status not in STATUS_SETS and status not in RecognitionStatus.values():
        errors["status"] = _("unknown status")
    years = {}
    for name in ("year", "until"):
        value = args.get(name) or None
        if value is not None:
            try:
                value = int(value)
                if not 1990 <= value <= 2100:
                    raise ValueError
            except (TypeError, ValueError):
                errors[name] = _("a year such as 2026")
        years[name] = value
    if errors:
        raise Invalid(_("Check the filters."), fields=errors)
    return {"tier": tier, "region": args.get("region") or None, "year": years["year"], "until": years["until"],
            "sector": sector, "status": status, "level": args.get("level") or None}


def _statuses(status: str) -> tuple[str, ...]:
    return STATUS_SETS.get(status, (status,))


def filtered(scope: scopes.Scope, *, tier: str | None = None, year: int | None = None, until: int | None = None,
             sector: str | None = None, status: str = "stock", columns: Any = None) -> Any:
    """SELECT … FROM recognition JOIN enterprise, limited to the scope and the filters (`year`: recognized in
    that year; `until`: recognized by the end of that year — a stock target's count). Firms, not entries: an
    expired entry whose firm was recognized again at the tier is left out (its latest entry counts)."""
    statuses = _statuses(status)
    query = db.select(*(columns or [Recognition])).select_from(Recognition).join(
        Enterprise, Enterprise.id == Recognition.enterprise_id).where(Recognition.status.in_(statuses))
    if RecognitionStatus.EXPIRED.value in statuses:
        later = aliased(Recognition)
        query = query.where(or_(Recognition.status != RecognitionStatus.EXPIRED.value, ~db.select(later.id).where(
            later.enterprise_id == Recognition.enterprise_id, later.tier == Recognition.tier,
            later.id > Recognition.id, later.status.in_(statuses)).exists()))
    if scope.prefix:
        query = query.where(scopes.within(Enterprise.region_code, scope.prefix))
    if scope.sector:
        query = query.where(Enterprise.sector == scope.sector)
    if tier:
        query = query.where(Recognition.tier == tier)
    if sector:
        query = query.where(Enterprise.sector == sector)
    if year:
        query = query.where(Recognition.valid_from >= date(year, 1, 1), Recognition.valid_from <= date(year, 12, 31))
    if until:
        query = query.where(Recognition.valid_from <= date(until, 12, 31))
    return query


def region_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(db.session.execute(db.select(Region.code, Region.name).where(Region.code.in_(codes))).all())


def recognitions(user: User | None, group_by: list[str] | str | None, **filters: Any) -> dict[str, Any]:
    """Counts grouped by any of tier, region, year, sector (one GROUP BY); `{"group_by", "level", "items":
    [{"tier", "region_code", "region", "year", "sector", "count"}], "total"}`."""
    keys = [k.strip() for k in group_by.split(",") if k.strip()] if isinstance(group_by, str) else list(group_by or [])
    unknown = [k for k in keys if k not in GROUP_KEYS]
    if unknown:
        raise Invalid(_("group_by takes tier, region, year, sector; unknown: %(keys)s", keys=", ".join(unknown)),
                      fields={"group_by": _("unknown key")})
    keys = list(dict.fromkeys(keys))
    scope = scopes.narrowed(scopes.of(user), filters.get("region"))
    level = scopes.level_of(scope, filters.get("level"))
    exprs = {"tier": Recognition.tier, "region": region_expr(level), "year": year_expr(),
             "sector": Enterprise.sector}
    chosen = [exprs[k].label(k) for k in keys]
    query = filtered(scope, tier=filters.get("tier"), year=filters.get("year"), until=filters.get("until"),
                     sector=filters.get("sector"), status=filters.get("status") or "stock",
                     columns=[*chosen, func.count(Recognition.id)])
    if chosen:  # no ORDER BY: PostgreSQL then hashes the groups rather than sorting every row; a few rows are
        query = query.group_by(*chosen)  # sorted here
    rows = sorted(db.session.execute(query).all(), key=lambda row: tuple((v is None, v) for v in row[:-1]))
    names = region_names({row[keys.index("region")] for row in rows}) if "region" in keys else {}
    items = []
    for row in rows:
        values = dict(zip(keys, row[:-1], strict=True))
        item = {"tier": values.get("tier"), "region_code": values.get("region"),
                "region": names.get(values.get("region"), values.get("region")) if "region" in keys else None,
                "year": int(values["year"]) if values.get("year") is not None else None,
                "sector": values.get("sector"), "count": int(row[-1])}
        items.append(item)
    return {"group_by": keys, "level": level if "region" in keys else None, "items": items,
            "total": sum(i["count"] for i in items), "scope": {"region_code": scope.region.code,
                                                               "region": scope.region.name}}


class Breakdown:
    """Every recognition count of a scope in ONE query, grouped by tier × region (at `level`) × year × sector
    (a few thousand rows at most); the dashboard's figures and the scope's tier targets are sums of its rows,
    so the page reads the register once."""

    def __init__(self, user: User | None, region: str | None = None, level: str | None = None,
                 status: str = "stock") -> None:
        self.scope = scopes.narrowed(scopes.of(user), region)
        self.level = scopes.level_of(self.scope, level)
        keys = [Recognition.tier, region_expr(self.level).label("region"), year_expr().label("year"),
                Enterprise.sector]
        query = filtered(self.scope, status=status, columns=[*keys, func.count(Recognition.id)]).group_by(*keys)
        self.rows = [(tier, code, int(year), sector, int(n)) for tier, code, year, sector, n
                     in db.session.execute(query).all()]
        self.names = region_names({row[1] for row in self.rows})

    def by(self, key: str) -> list[dict[str, Any]]:
        """Counts by one of tier, region, year, sector, as `recognitions` gives them (ordered by the key)."""
        index = ("tier", "region", "year", "sector").index(key)
        sums: dict[Any, int] = {}
        for row in self.rows:
            sums[row[index]] = sums.get(row[index], 0) + row[4]
        items = []
        for value in sorted(sums, key=lambda v: (v is None, v)):
            item = {"tier": None, "region_code": None, "region": None, "year": None, "sector": None,
                    "count": sums[value]}
            if key == "region":
                item |= {"region_code": value, "region": self.names.get(value, value)}
            else:
                item[key] = value
            items.append(item)
        return items

    def ranked(self) -> list[dict[str, Any]]:
        return sorted(self.by("region"), key=lambda i: (-i["count"], i["region_code"] or ""))

    def tiers(self, year: int, basis: str) -> dict[str, int]:
        """Per tier: recognized by the end of `year` (stock), or in `year` (new)."""
        sums: dict[str, int] = {}
        for tier, _region, row_year, _sector, n in self.rows:
            if row_year == year or (basis != "new" and row_year < year):
                sums[tier] = sums.get(tier, 0) + n
        return sums


def ranked_regions(user: User | None, **filters: Any) -> list[dict[str, Any]]:
    """Regions one level below the scope, most recognitions first (ties by code)."""
    items = recognitions(user, ["region"], **filters)["items"]
    return sorted(items, key=lambda i: (-i["count"], i["region_code"] or ""))


def entries(user: User | None, *, tier: str | None = None, region: str | None = None, year: int | None = None,
            until: int | None = None, sector: str | None = None, status: str = "stock", sort: str = "valid_from",
            descending: bool = True, page: int = 1, per_page: int | None = 50,
            **_ignored: Any) -> tuple[list[Recognition], int]:
    """The register entries behind a figure: same scope and filters, so the total equals the figure."""
    scope = scopes.narrowed(scopes.of(user), region)
    where = {"tier": tier, "year": year, "until": until, "sector": sector, "status": status or "stock"}
    query = filtered(scope, **where)
    total = db.session.scalar(db.select(func.count()).select_from(
        filtered(scope, columns=[Recognition.id], **where).subquery())) or 0
    column = SORTS.get(sort, Recognition.valid_from)
    order = [column.desc() if descending else column.asc(), Recognition.id.desc() if descending else Recognition.id]
    query = query.order_by(*order).options(joinedload(Recognition.enterprise), joinedload(Recognition.office))
    if per_page:
        query = query.limit(per_page).offset((max(page, 1) - 1) * per_page)
    return list(db.session.scalars(query).unique()), int(total)
