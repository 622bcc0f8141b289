"""The metrics a ranking scheme may use (the registry): each is one SQL aggregate per ranked region for a year.

Regions are matched by their GB/T 2260 code prefix (22 a province, 2206 a city, 220602 a county): an
enterprise counts for the ranked region its own region lies in — never the region of the office that
recognized it (a provincial recognition of a 浑江区 firm counts for 白山市).

- `recognitions_<tier>`: enterprises recognized at the tier in the year (Recognition.valid_from in the year),
  revoked entries and the lower entries a downgrade writes left out (neither is a new recognition).
- `revenue_growth`, `rd_growth`: the recognized cohort's growth from monitoring, sum(figure) /
  sum(figure of the same period a year before) − 1, over the submitted reports of the last period of the
  year (per monitoring programme) that have both figures, one report per enterprise (the latest period);
  None when a region has no such report or the prior sum is 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.vocabulary import RankingMetric, RecognitionStatus, Tier
from app.extensions import db
from app.models import Enterprise, MonitoringPeriod, MonitoringReport, Recognition

PREFIX = {"province": 2, "city": 4, "county": 6}  # the code prefix length of a level


@dataclass(frozen=True)
class Value:
    value: float | int | None
    basis: dict[str, Any] | None = None  # what the value was computed from (sums, report counts)


@dataclass(frozen=True)
class Metric:
    key: str
    kind: str  # count, ratio
    compute: Callable[[Sequence[str], str, int], dict[str, Value]]  # (region codes, level, year) → per region


def _group(level: str, column: Any) -> Any:
    return db.func.substr(column, 1, PREFIX[level])


def _regions_by_prefix(codes: Sequence[str], level: str) -> dict[str, str]:
    return {code[:PREFIX[level]]: code for code in codes}


def recognized_count(tier: str, codes: Sequence[str], level: str, *, since: date | None,
                     until: date) -> dict[str, int]:
    """Enterprises of each ranked region recognized at `tier` from `since` (None: ever) to `until`."""
    regions = _regions_by_prefix(codes, level)
    group = _group(level, Enterprise.region_code).label("prefix")
    query = (db.select(group, db.func.count(db.distinct(Recognition.enterprise_id)))
             .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
             .where(Recognition.tier == tier, Recognition.valid_from <= until,
                    Recognition.status != RecognitionStatus.REVOKED.value, Recognition.source != "downgrade",
                    group.in_(list(regions)))
             .group_by(group))
    if since is not None:
        query = query.where(Recognition.valid_from >= since)
    counts = {code: 0 for code in codes}
    for prefix, count in db.session.execute(query):
        counts[regions[prefix]] = int(count)
    return counts


def _recognitions(tier: str) -> Callable[[Sequence[str], str, int], dict[str, Value]]:
    def compute(codes: Sequence[str], level: str, year: int) -> dict[str, Value]:
        counts = recognized_count(tier, codes, level, since=date(year, 1, 1), until=date(year, 12, 31))
        return {code: Value(count) for code, count in counts.items()}

    return compute


def _growth(figure: str, prior: str) -> Callable[[Sequence[str], str, int], dict[str, Value]]:
    def compute(codes: Sequence[str], level: str, year: int) -> dict[str, Value]:
        regions = _regions_by_prefix(codes, level)
        last = (db.select(MonitoringPeriod.programme_id, db.func.max(MonitoringPeriod.ends_on).label("ends_on"))
                .where(MonitoringPeriod.year == year).group_by(MonitoringPeriod.programme_id).subquery())
        current, before = getattr(MonitoringReport, figure), getattr(MonitoringReport, prior)
        order = db.func.row_number().over(partition_by=MonitoringReport.enterprise_id,
                                          order_by=(MonitoringPeriod.ends_on.desc(), MonitoringReport.id.desc()))
        reports = (db.select(_group(level, MonitoringReport.region_code).label("prefix"),
                             current.label("current"), before.label("before"), order.label("n"))
                   .join(MonitoringPeriod, MonitoringPeriod.id == MonitoringReport.period_id)
                   .join(last, (last.c.programme_id == MonitoringPeriod.programme_id)
                         & (last.c.ends_on == MonitoringPeriod.ends_on))
                   .where(MonitoringPeriod.year == year, MonitoringReport.status == "submitted",
                          MonitoringReport.tier.is_not(None), current.is_not(None), before.is_not(None))
                   .subquery())
        query = (db.select(reports.c.prefix, db.func.sum(reports.c.current), db.func.sum(reports.c.before),
                           db.func.count())
                 .where(reports.c.n == 1, reports.c.prefix.in_(list(regions))).group_by(reports.c.prefix))
        found = {code: Value(None, {figure: None, prior: None, "reports": 0}) for code in codes}
        for prefix, total, total_before, count in db.session.execute(query):
            total, total_before = int(total or 0), int(total_before or 0)
            growth = total / total_before - 1 if total_before > 0 else None
            found[regions[prefix]] = Value(growth, {figure: total, prior: total_before, "reports": int(count)})
        return found

    return compute


REGISTRY: dict[str, Metric] = {
    RankingMetric.RECOGNITIONS_NATIONAL: Metric(RankingMetric.RECOGNITIONS_NATIONAL, "count",
                                                _recognitions(Tier.NATIONAL)),
    RankingMetric.RECOGNITIONS_PROVINCE: Metric(RankingMetric.RECOGNITIONS_PROVINCE, "count",
                                                _recognitions(Tier.PROVINCE)),
    RankingMetric.RECOGNITIONS_CITY: Metric(RankingMetric.RECOGNITIONS_CITY, "count", _recognitions(Tier.CITY)),
    RankingMetric.RECOGNITIONS_SEED: Metric(RankingMetric.RECOGNITIONS_SEED, "count", _recognitions(Tier.SEED)),
    RankingMetric.REVENUE_GROWTH: Metric(RankingMetric.REVENUE_GROWTH, "ratio", _growth("revenue", "revenue_prior")),
    RankingMetric.RD_GROWTH: Metric(RankingMetric.RD_GROWTH, "ratio", _growth("rd_expense", "rd_expense_prior")),
}
