"""Ranking schemes (考评) as data: shipped from workflows/rankings.json (001 §二(一)6: Jilin ranks its cities;
002 §四(五): Baishan ranks its counties), edited by an admin (weights, top_n, active), read by the offices and
leading groups of the jurisdiction and above. Runs and scoring: app/reporting/ranking_runs.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core import audit, permissions
from app.core.errors import Invalid, NotFound
from app.core.vocabulary import RankingMetric, Tier
from app.extensions import db
from app.models import RankingScheme, Region, User
from app.models.base import utcnow
from app.reporting.ranking_metrics import PREFIX, REGISTRY

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "rankings.json"
LEVELS = ("city", "county")
MAX_WEIGHT, MAX_TOP_N = 100, 50


def ensure_shipped() -> int:
    """Store the shipped schemes whose jurisdiction exists (idempotent); how many were added."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    added = 0
    for item in data["schemes"]:
        known = db.session.scalar(db.select(RankingScheme.id).where(RankingScheme.key == item["key"]))
        if known is None and db.session.get(Region, item["region_code"]) is not None:
            unknown = [m["metric"] for m in item["metrics"] if m["metric"] not in REGISTRY]
            if unknown or item["level"] not in LEVELS or item["key_tier"] not in Tier.values():
                raise ValueError(f"ranking scheme {item['key']}: unknown metric, level or tier")
            db.session.add(RankingScheme(**item))
            added += 1
    db.session.flush()
    return added


def user_region(user: User | None) -> str | None:
    """The region a user reads rankings for: an office's region, a leading group's; None for anyone else."""
    if user is None:
        return None
    if user.role == "reviewer" and user.office is not None:
        return user.office.region_code
    if user.role == "leader":
        return user.region_code
    return None


def can_read(user: User | None, scheme: RankingScheme) -> bool:
    """The admin; an office or a leading group (领导小组) of the scheme's jurisdiction or above it."""
    if user is not None and user.role == "admin":
        return True
    region = user_region(user)
    return region is not None and region in scheme.region.lineage()


def can_run(user: User | None, scheme: RankingScheme) -> bool:
    """The admin and the reviewers of the jurisdiction's general office (工信 of the province or city)."""
    if user is not None and user.role == "admin":
        return True
    return bool(user is not None and user.role == "reviewer" and user.office is not None
                and user.office.sector is None and user.office.region_code == scheme.region_code)


def visible(user: User | None) -> list[RankingScheme]:
    schemes = db.session.scalars(db.select(RankingScheme).order_by(RankingScheme.region_code, RankingScheme.id))
    return [s for s in schemes if can_read(user, s)]


def get_for(user: User | None, key: Any) -> RankingScheme:
    """The scheme, or 404 when unknown or outside the caller's jurisdiction."""
    scheme = db.session.scalar(db.select(RankingScheme).where(RankingScheme.key == key)) \
        if isinstance(key, str) else None
    if scheme is None or not can_read(user, scheme):
        raise NotFound(_("Ranking scheme not found."))
    return scheme


def ranked_regions(scheme: RankingScheme) -> list[Region]:
    """The regions the scheme ranks: those of its level inside its jurisdiction, by code."""
    prefix = scheme.region.code[:PREFIX.get(scheme.region.level, 0)]
    return list(db.session.scalars(db.select(Region).where(
        Region.level == scheme.level, Region.code.startswith(prefix), Region.code != scheme.region_code)
        .order_by(Region.code)))


def metric_label(metric: str) -> str:
    return RankingMetric(metric).label if metric in RankingMetric.values() else metric


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def update(user: User, key: Any, values: dict[str, Any]) -> RankingScheme:
    """The admin changes a scheme: `{"weights": {metric: 0–100}, "top_n": 1–50, "active": bool}` (any of
    them). 422 per field and nothing stored on any problem; audited. Earlier runs keep the weights they used."""
    permissions.require_admin(user)
    scheme = get_for(user, key)
    errors: dict[str, str] = {}
    unknown = sorted(set(values) - {"weights", "top_n", "active"})
    errors |= {name: _("not editable") for name in unknown}
    metrics = [dict(m) for m in scheme.metrics]
    if "weights" in values:
        weights = values["weights"]
        if not isinstance(weights, dict):
            errors["weights"] = _("an object of metric: weight")
        else:
            for name, weight in weights.items():
                if name not in [m["metric"] for m in metrics]:
                    errors[f"weight_{name}"] = _("not a metric of this scheme")
                elif _whole(weight, 0, MAX_WEIGHT) is None:
                    errors[f"weight_{name}"] = _("a whole number from 0 to %(n)s", n=MAX_WEIGHT)
            for metric in metrics:
                if metric["metric"] in weights and f"weight_{metric['metric']}" not in errors:
                    metric["weight"] = weights[metric["metric"]]
            if not any(m["weight"] > 0 for m in metrics) and not any(k.startswith("weight_") for k in errors):
                errors["weights"] = _("at least one metric needs a weight above 0")
    if "top_n" in values and _whole(values["top_n"], 1, MAX_TOP_N) is None:
        errors["top_n"] = _("a whole number from 1 to %(n)s", n=MAX_TOP_N)
    if "active" in values and not isinstance(values["active"], bool):
        errors["active"] = _("true or false")
    if errors:
        raise Invalid(_("The ranking scheme cannot be saved; check the marked fields."), fields=errors)
    before = {"weights": {m["metric"]: m["weight"] for m in scheme.metrics}, "top_n": scheme.top_n,
              "active": scheme.active}
    scheme.metrics = metrics
    scheme.top_n = values.get("top_n", scheme.top_n)
    scheme.active = values.get("active", scheme.active)
    scheme.updated_at = utcnow()
    db.session.flush()
    after = {"weights": {m["metric"]: m["weight"] for m in scheme.metrics}, "top_n": scheme.top_n,
             "active": scheme.active}
    audit.record("ranking_scheme_changed", actor=user, subject=("ranking_scheme", scheme.id),
                 details={"key": scheme.key, "before": before, "after": after})
    return scheme


def to_dict(scheme: RankingScheme, user: User | None = None) -> dict[str, Any]:
    return {"key": scheme.key, "name": scheme.name, "region_code": scheme.region_code,
            "region": scheme.region.name, "level": scheme.level,
            "metrics": [{"metric": m["metric"], "weight": m["weight"], "label": m.get("label")}
                        for m in scheme.metrics],
            "top_n": scheme.top_n, "key_tier": scheme.key_tier, "clause": scheme.clause, "note": scheme.note,
            "active": scheme.active, **({"can_run": can_run(user, scheme)} if user is not None else {})}
