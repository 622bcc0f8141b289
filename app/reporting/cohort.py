"""The monitored cohort (运行监测, 001 §二(一)7) within the caller's scope, from the members' reports of the
latest period with data: the period whose `ends_on` is the latest among those with a submitted report in
scope (reports of every programme ending that day are read together).

- totals of the submitted figures (yuan, people);
- revenue growth on the same sample: Σrevenue / Σrevenue_prior − 1 over reports that give both;
- 001 §一(三) for the provincial cohort (reports whose cohort tier is province or national: national firms
  hold the provincial tier below theirs): the share of firms with R&D ≥ 2 % of revenue and with R&D staff
  ≥ 10 % of employees, and the cohort's aggregate ratios (Σrd / Σrevenue, Σrd_staff / Σemployees) that the
  targets `rd_intensity` and `rd_staff_share` compare with;
- the response rate: submitted / all reports of those periods in scope (waiting, submitted, missed);
- the same per tier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, true

from app.extensions import db
from app.models import MonitoringPeriod, MonitoringReport, User
from app.reporting import scope as scopes

PROVINCIAL = ("province", "national")


def _in_scope(scope: scopes.Scope) -> list[Any]:
    conditions = []
    if scope.prefix:
        conditions.append(scopes.within(MonitoringReport.region_code, scope.prefix))
    if scope.sector:
        conditions.append(MonitoringReport.sector == scope.sector)
    return conditions


def latest_period_end(scope: scopes.Scope) -> Any:
    """The latest `ends_on` of a period with a submitted report in scope. Candidates are the periods of the
    programmes of the scope's region, its ancestors (a province's programme covers its cities) and the regions
    below it, latest first; each is checked with one indexed EXISTS (usually the first one answers)."""
    candidates = db.select(MonitoringPeriod.ends_on).where(
        MonitoringPeriod.region_code.in_(scope.region.lineage()) if scope.region.code != "100000" else true())
    if scope.prefix:
        candidates = candidates.union(db.select(MonitoringPeriod.ends_on).where(
            scopes.within(MonitoringPeriod.region_code, scope.prefix)))
    ends = sorted({row for row in db.session.scalars(candidates)}, reverse=True)
    for ends_on in ends:
        found = db.session.scalar(db.select(MonitoringReport.id).where(
            MonitoringReport.period_id.in_(db.select(MonitoringPeriod.id).where(MonitoringPeriod.ends_on == ends_on)),
            MonitoringReport.status == "submitted", *_in_scope(scope)).limit(1))
        if found is not None:
            return ends_on
    return None


def _ratio(part: Any, whole: Any) -> float | None:
    return round(float(part) / float(whole), 4) if whole else None


def cohort(user: User | None, region: str | None = None) -> dict[str, Any]:
    return of_scope(scopes.narrowed(scopes.of(user), region))


def of_scope(scope: scopes.Scope) -> dict[str, Any]:
    ends_on = latest_period_end(scope)
    empty = {"scope": {"region_code": scope.region.code, "region": scope.region.name}, "period_end": None,
             "reports": 0, "submitted": 0, "response_rate": None, "totals": {}, "revenue_growth": None,
             "provincial": {}, "tiers": []}
    if ends_on is None:
        return empty
    R = MonitoringReport
    periods = db.select(MonitoringPeriod.id).where(MonitoringPeriod.ends_on == ends_on)
    base = (R.period_id.in_(periods), *_in_scope(scope))
    sub = R.status == "submitted"
    both = and_(sub, R.revenue.is_not(None), R.revenue_prior.is_not(None), R.revenue_prior > 0)
    provincial = and_(sub, R.tier.in_(PROVINCIAL))
    p_rev, p_emp = and_(provincial, R.revenue > 0), and_(provincial, R.employees > 0)
    rd_ok = and_(p_rev, R.rd_expense * 100 >= R.revenue * 2)
    staff_ok = and_(p_emp, R.rd_staff * 10 >= R.employees)

    def n(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    def total(column: Any, condition: Any = sub) -> Any:
        return func.sum(case((condition, column), else_=None))

    columns = [R.tier, func.count(R.id), n(sub), total(R.revenue), total(R.revenue_prior, both),
               total(R.revenue, both), total(R.main_revenue), total(R.total_profit), total(R.tax_paid),
               total(R.rd_expense), total(R.exports), total(R.financing), total(R.employees), total(R.rd_staff),
               total(R.patents), n(provincial), n(rd_ok), n(staff_ok),
               total(R.rd_expense, p_rev), total(R.revenue, p_rev), total(R.rd_staff, p_emp), total(R.employees, p_emp)]
    rows = db.session.execute(db.select(*columns).where(*base).group_by(R.tier)).all()
    names = ("tier", "reports", "submitted", "revenue", "prior_same", "revenue_same", "main_revenue", "total_profit",
             "tax_paid", "rd_expense", "exports", "financing", "employees", "rd_staff", "patents", "provincial",
             "rd_ok", "staff_ok", "p_rd", "p_revenue", "p_rd_staff", "p_employees")
    tiers = [dict(zip(names, [row[0]] + [int(v or 0) for v in row[1:]], strict=True)) for row in rows]
    sums = {name: sum(t[name] for t in tiers) for name in names[1:]}
    for t in tiers:
        t["revenue_growth"] = _ratio(t["revenue_same"] - t["prior_same"], t["prior_same"])
        t["response_rate"] = _ratio(t["submitted"], t["reports"])
    return empty | {
        "period_end": ends_on.isoformat(), "reports": sums["reports"], "submitted": sums["submitted"],
        "response_rate": _ratio(sums["submitted"], sums["reports"]),
        "totals": {k: sums[k] for k in ("revenue", "main_revenue", "total_profit", "tax_paid", "rd_expense",
                                         "exports", "financing", "employees", "rd_staff", "patents")},
        "revenue_growth": _ratio(sums["revenue_same"] - sums["prior_same"], sums["prior_same"]),
        "provincial": {"firms": sums["provincial"], "rd_2pct": sums["rd_ok"], "rd_staff_10pct": sums["staff_ok"],
                       "rd_2pct_share": _ratio(sums["rd_ok"], sums["provincial"]),
                       "rd_staff_10pct_share": _ratio(sums["staff_ok"], sums["provincial"]),
                       "rd_intensity": _ratio(sums["p_rd"], sums["p_revenue"]),
                       "rd_staff_share": _ratio(sums["p_rd_staff"], sums["p_employees"])},
        "tiers": sorted(tiers, key=lambda t: ("seed", "city", "province", "national", None).index(t["tier"])
                        if t["tier"] in ("seed", "city", "province", "national", None) else 9),
    }
