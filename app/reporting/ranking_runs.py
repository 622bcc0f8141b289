"""Running a ranking scheme for a year, and reading the runs.

The method (the same for every scheme; workflows/rankings.json says why the shipped weights are what they are):
1. every metric of the scheme is computed for each ranked region (app/reporting/ranking_metrics.py);
2. each metric is scaled to 0–100 against the best region: 100 × (value − floor) / (best − floor) with
   floor = min(0, worst value) — counts and non-negative growth scale by the maximum (value / best × 100), a
   negative growth scores below a zero one; a region without data on a metric scores 0 on it; when every
   region has the same value (or none) they all score 0 on it;
3. the score is the weighted mean of the scaled values, Σ weight × scaled / Σ weight, rounded to 2 decimals;
4. regions are ranked by score, ties by the first metric's value; equal on both, they share the rank;
5. the first `top_n` ranks with a score above 0 are commended (通报表彰);
6. 零突破 (001 §二(一)6) at the scheme's key tier (national 小巨人): `breakthroughs` are the ranked regions whose
   first ever recognition at that tier came in the year (首次实现零突破, commended), `zero_breakthrough` those
   that have none at that tier by the end of the year (尚未实现零突破).

A run stores the scheme as it was, every input and result; running again adds a run and keeps the earlier
ones (the latest is the one shown)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core import audit, workdays
from app.core.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.models import RankingRun, RankingScheme, User
from app.reporting import rankings
from app.reporting.ranking_metrics import REGISTRY, recognized_count

FIRST_YEAR = 2000


def scale(values: dict[str, float | int | None]) -> dict[str, float]:
    """Each region's value on 0–100 against the best (see the module's method, step 2)."""
    known = [v for v in values.values() if v is not None]
    if not known:
        return {code: 0.0 for code in values}
    best, floor = max(known), min(0, min(known))
    if best == floor:
        return {code: 0.0 for code in values}
    return {code: 0.0 if v is None else 100.0 * (v - floor) / (best - floor) for code, v in values.items()}


def compute(scheme: RankingScheme, year: int) -> dict[str, Any]:
    """Results, zero-breakthrough lists and the scheme's settings for `year` (nothing stored)."""
    regions = rankings.ranked_regions(scheme)
    codes = [r.code for r in regions]
    metrics = [dict(m) for m in scheme.metrics]
    values = {m["metric"]: REGISTRY[m["metric"]].compute(codes, scheme.level, year) for m in metrics}
    scaled = {name: scale({code: found[code].value for code in codes}) for name, found in values.items()}
    total_weight = sum(m["weight"] for m in metrics) or 1
    before = recognized_count(scheme.key_tier, codes, scheme.level, since=None, until=date(year - 1, 12, 31))
    in_year = recognized_count(scheme.key_tier, codes, scheme.level, since=date(year, 1, 1),
                               until=date(year, 12, 31))
    items = []
    for region in regions:
        code = region.code
        score = sum(m["weight"] * scaled[m["metric"]][code] for m in metrics) / total_weight
        items.append({
            "region_code": code, "region": region.name, "score": round(score, 2),
            "inputs": {m["metric"]: values[m["metric"]][code].value for m in metrics},
            "scaled": {m["metric"]: round(scaled[m["metric"]][code], 4) for m in metrics},
            "basis": {m["metric"]: values[m["metric"]][code].basis for m in metrics
                      if values[m["metric"]][code].basis is not None},
            "key_tier": {"in_year": in_year[code], "before": before[code]},
        })
    first = metrics[0]["metric"] if metrics else None

    def order(item: dict[str, Any]) -> tuple:
        value = item["inputs"].get(first) if first else None
        return (-item["score"], -(value if value is not None else float("-inf")))

    items.sort(key=lambda item: (*order(item), item["region_code"]))
    for position, item in enumerate(items, start=1):
        previous = items[position - 2] if position > 1 else None
        item["rank"] = previous["rank"] if previous is not None and order(previous) == order(item) else position
        item["commended"] = item["rank"] <= scheme.top_n and item["score"] > 0
    names = {r.code: r.name for r in regions}
    return {
        "level": scheme.level, "metrics": metrics, "top_n": scheme.top_n, "key_tier": scheme.key_tier,
        "results": items,
        "zero_breakthrough": [{"region_code": c, "region": names[c]} for c in codes
                              if before[c] == 0 and in_year[c] == 0],
        "breakthroughs": [{"region_code": c, "region": names[c]} for c in codes if before[c] == 0 and in_year[c] > 0],
    }


def check_year(year: Any) -> int:
    last = workdays.china_date().year
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= last:
        raise Invalid(_("The year must be a whole number from %(first)s to %(last)s.", first=FIRST_YEAR, last=last),
                      fields={"year": _("a year from %(first)s to %(last)s", first=FIRST_YEAR, last=last)})
    return year


def run(user: User, key: Any, year: Any) -> RankingRun:
    """Run the scheme for the year and store the run (the admin or the jurisdiction's general office)."""
    scheme = rankings.get_for(user, key)
    if not rankings.can_run(user, scheme):
        raise Forbidden(_("Only the jurisdiction's general office or an administrator runs this ranking."))
    year = check_year(year)
    if not scheme.active:
        raise Conflict(_("This ranking scheme is not active."))
    found = compute(scheme, year)
    entry = RankingRun(scheme_id=scheme.id, year=year, created_by_id=user.id, **found)
    db.session.add(entry)
    db.session.flush()
    audit.record("ranking_run", actor=user, subject=("ranking_run", entry.id),
                 details={"scheme": scheme.key, "year": year, "regions": len(found["results"])})
    return entry


def latest(user: User | None, key: Any, year: int) -> RankingRun:
    """The latest run of the scheme for the year; 404 when there is none or the scheme is not the caller's."""
    scheme = rankings.get_for(user, key)
    entry = db.session.scalar(db.select(RankingRun).where(RankingRun.scheme_id == scheme.id, RankingRun.year == year)
                              .order_by(RankingRun.id.desc()).limit(1))
    if entry is None:
        raise NotFound(_("This ranking has not been run for %(year)s.", year=year))
    return entry


def history(scheme: RankingScheme, year: int | None = None) -> list[RankingRun]:
    """The scheme's runs, newest first (of one year when given)."""
    query = db.select(RankingRun).where(RankingRun.scheme_id == scheme.id)
    if year is not None:
        query = query.where(RankingRun.year == year)
    return list(db.session.scalars(query.order_by(RankingRun.id.desc())))


def latest_by_year(scheme: RankingScheme) -> list[RankingRun]:
    """The latest run of each year, newest year first."""
    seen: dict[int, RankingRun] = {}
    for entry in history(scheme):
        seen.setdefault(entry.year, entry)
    return sorted(seen.values(), key=lambda r: -r.year)


def get_for(user: User | None, run_id: Any) -> RankingRun:
    entry = db.session.get(RankingRun, run_id) if isinstance(run_id, int) else None
    if entry is None or not rankings.can_read(user, entry.scheme):
        raise NotFound(_("Ranking run not found."))
    return entry


def is_latest(entry: RankingRun) -> bool:
    return db.session.scalar(db.select(db.func.max(RankingRun.id)).where(
        RankingRun.scheme_id == entry.scheme_id, RankingRun.year == entry.year)) == entry.id


def to_dict(entry: RankingRun) -> dict[str, Any]:
    return {
        "id": entry.id, "scheme": entry.scheme.key, "scheme_name": entry.scheme.name, "year": entry.year,
        "level": entry.level, "region_code": entry.scheme.region_code,
        "metrics": [{"metric": m["metric"], "weight": m["weight"], "label": m.get("label")} for m in entry.metrics],
        "top_n": entry.top_n, "key_tier": entry.key_tier,
        "items": [{k: item[k] for k in ("rank", "region_code", "region", "score", "inputs", "scaled", "basis",
                                        "key_tier", "commended")} for item in entry.results],
        "commended": [{"rank": i["rank"], "region_code": i["region_code"], "region": i["region"]}
                      for i in entry.results if i["commended"]],
        "zero_breakthrough": entry.zero_breakthrough, "breakthroughs": entry.breakthroughs,
        "run_at": entry.created_at.isoformat(), "run_by": entry.created_by.username if entry.created_by else None,
        "clause": entry.scheme.clause,
    }
