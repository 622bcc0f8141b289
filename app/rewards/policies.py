"""Reward policies as data (workflows/rewards.json, editable afterwards): which policies apply to an
enterprise for a trigger, and how much each pays — a fixed amount, or a share of another policy's reward
(Baishan's 1:1 match, 002 §三(一)), capped where a cap is set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.core.errors import NotFound
from app.core.vocabulary import RewardTrigger
from app.extensions import db
from app.models import Enterprise, Fund, Office, Recognition, Region, RewardPolicy, User

SHIPPED = Path(__file__).resolve().parents[2] / "workflows" / "rewards.json"
TRIGGERS = RewardTrigger.values()
FILED = ("listing", "tech_centre", "technician_studio")  # triggers the register cannot see: the enterprise files


def ensure_shipped() -> int:
    """Store the shipped funds and policies whose region and office exist (idempotent); how many were added."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    added = 0
    for item in data["funds"]:
        office = db.session.scalar(db.select(Office).where(Office.code == item["office_code"]))
        if db.session.scalar(db.select(Fund.id).where(Fund.key == item["key"])) is None and office is not None:
            db.session.add(Fund(key=item["key"], name=item["name"], region_code=item["region_code"],
                                office_id=office.id))
            added += 1
    db.session.flush()
    for item in data["policies"]:
        known = db.session.scalar(db.select(RewardPolicy.id).where(RewardPolicy.key == item["key"]))
        if known is None and db.session.scalar(db.select(Fund.id).where(Fund.key == item["fund_key"])) is not None:
            db.session.add(RewardPolicy(**({"conditions": {}} | item)))
            added += 1
    db.session.flush()
    return added


@dataclass(frozen=True)
class Due:
    """A policy that pays for a trigger, how much, and why."""

    policy: RewardPolicy
    amount: int
    basis: dict[str, Any]


def _in_force(policy: RewardPolicy, on: date) -> bool:
    return policy.active and (policy.effective_from is None or policy.effective_from <= on) and (
        policy.effective_until is None or on <= policy.effective_until)


def conditions_met(policy: RewardPolicy, enterprise: Enterprise, on: date) -> list[str]:
    """The conditions of the policy the enterprise does not meet (empty: it qualifies)."""
    failed = []
    wants = policy.conditions or {}
    if wants.get("city_owned") and not enterprise.city_owned:
        failed.append("city_owned")
    if wants.get("sector") and enterprise.sector != wants["sector"]:
        failed.append("sector")
    if wants.get("held_tier") and db.session.scalar(db.select(Recognition.id).where(
            Recognition.enterprise_id == enterprise.id, Recognition.tier == wants["held_tier"],
            Recognition.status.in_(("active", "under_review")), Recognition.valid_until >= on).limit(1)) is None:
        failed.append("held_tier")
    return failed


def amount_of(policy: RewardPolicy) -> tuple[int, dict[str, Any]]:
    """The policy's amount in yuan and how it was found (a match: the share of the matched policy's amount)."""
    if policy.match_policy_key:
        base = by_key(policy.match_policy_key)
        base_amount, _basis = amount_of(base)
        amount = base_amount * (policy.match_percent or 100) // 100
        basis = {"match": base.key, "percent": policy.match_percent or 100, "base_amount": base_amount}
    else:
        amount, basis = int(policy.amount or 0), {"fixed": int(policy.amount or 0)}
    if policy.cap is not None and amount > policy.cap:
        amount, basis = int(policy.cap), basis | {"capped_at": int(policy.cap)}
    return amount, basis


def due(enterprise: Enterprise, trigger: str, on: date, *, tier: str | None = None,
        level: str | None = None) -> list[Due]:
    """Every policy in force in the enterprise's jurisdiction (its region and above) that pays for `trigger`
    (at `tier` / `level`) and whose conditions it meets, base policies before the ones matching them."""
    chain = enterprise.region.lineage()
    query = db.select(RewardPolicy).where(RewardPolicy.trigger == trigger, RewardPolicy.region_code.in_(chain))
    if tier is not None:
        query = query.where(RewardPolicy.tier == tier)
    if level is not None:
        query = query.where(RewardPolicy.level == level)
    found = []
    for policy in db.session.scalars(query.order_by(RewardPolicy.id)):
        if _in_force(policy, on) and not conditions_met(policy, enterprise, on):
            amount, basis = amount_of(policy)
            found.append(Due(policy, amount, basis))
    return sorted(found, key=lambda d: (d.policy.match_policy_key is not None, d.policy.id))


def set_city_owned(user: User, enterprise_id: Any, value: Any) -> Enterprise:
    """A city office (or one above it) records whether an enterprise of its jurisdiction is city-owned (市属):
    Baishan pays its rewards to these only (002 §三(一))."""
    from app.core import audit
    from app.core.errors import Forbidden, Invalid

    enterprise = db.session.get(Enterprise, enterprise_id) if isinstance(enterprise_id, int) else None
    if enterprise is None:
        raise NotFound(_("Enterprise not found."))
    office = user.office if user.role == "reviewer" else None
    if user.role != "admin" and (office is None or office.sector is not None or office.region.level == "county"
                                 or office.region_code not in enterprise.region.lineage()):
        raise Forbidden(_("Only a city office of the enterprise's jurisdiction (or one above it) can say so."))
    if not isinstance(value, bool):
        raise Invalid(_("city_owned is true or false."), fields={"city_owned": _("true or false")})
    was, enterprise.city_owned = enterprise.city_owned, value
    audit.record("city_owned", actor=user, details={"enterprise_id": enterprise.id, "city_owned": value})
    db.session.flush()
    if value and not was:  # rewards for city-owned firms its live recognitions already earn (a 1:1 match…)
        from app.rewards import claims

        on = date.today()
        for entry in db.session.scalars(db.select(Recognition).where(
                Recognition.enterprise_id == enterprise.id, Recognition.status.in_(("active", "under_review")))):
            for item in due(enterprise, "first_recognition", on, tier=entry.tier):
                if item.policy.conditions.get("city_owned"):
                    claims.open_claim(enterprise, item, source="register", recognition=entry)
    return enterprise


EDITABLE = ("amount", "cap", "match_percent", "active", "effective_from", "effective_until", "clause", "name")


def update(user: User, key: Any, values: dict[str, Any]) -> RewardPolicy:
    """The admin changes a policy (a new amount from a date is a new period: end this one, add the next); 422
    per field and nothing stored on any problem. Claims already opened keep their amount."""
    from app.core import audit, permissions
    from app.core.errors import Invalid

    permissions.require_admin(user)
    policy = by_key(key)
    errors: dict[str, str] = {}
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        errors |= {name: _("not editable") for name in unknown}
    changes: dict[str, Any] = {}
    for name in ("amount", "cap", "match_percent"):
        if name in values:
            value = values[name]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0
                                      or value > 10**12 or (name == "match_percent" and value > 1000)):
                errors[name] = _("a whole number of yuan, not negative") if name != "match_percent" \
                    else _("a percentage from 0 to 1000")
            changes[name] = value
    if "active" in values:
        if not isinstance(values["active"], bool):
            errors["active"] = _("true or false")
        changes["active"] = values["active"]
    for name in ("effective_from", "effective_until"):
        if name in values:
            value = values[name]
            try:
                changes[name] = date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                changes[name] = None
            if value is not None and changes[name] is None:
                errors[name] = _("a date YYYY-MM-DD")
    for name, limit in (("clause", 300), ("name", 200)):
        if name in values:
            if not isinstance(values[name], str) or not values[name].strip() or len(values[name]) > limit:
                errors[name] = _("text of at most %(n)s characters", n=limit)
            changes[name] = values[name].strip() if isinstance(values[name], str) else values[name]
    if policy.match_policy_key and changes.get("amount") is not None:
        errors["amount"] = _("a matching reward takes its amount from the policy it matches")
    if not policy.match_policy_key and "amount" in changes and changes["amount"] is None:
        errors["amount"] = _("a whole number of yuan, not negative")
    start, end = changes.get("effective_from", policy.effective_from), changes.get("effective_until",
                                                                                   policy.effective_until)
    if start and end and end < start:
        errors["effective_until"] = _("not before effective_from")
    if errors:
        raise Invalid(_("The reward policy cannot be saved; check the marked fields."), fields=errors)
    before = to_dict(policy)
    for name, value in changes.items():
        setattr(policy, name, value)
    db.session.flush()
    audit.record("reward_policy_changed", actor=user, details={"key": policy.key, "before": {
        k: before.get(k) for k in changes}, "after": {k: to_dict(policy).get(k) for k in changes}})
    return policy


def by_key(key: Any) -> RewardPolicy:
    policy = db.session.scalar(db.select(RewardPolicy).where(RewardPolicy.key == key)) if isinstance(key, str) \
        else None
    if policy is None:
        raise NotFound(_("Reward policy not found."))
    return policy


def all_policies() -> list[RewardPolicy]:
    return list(db.session.scalars(db.select(RewardPolicy).order_by(RewardPolicy.region_code, RewardPolicy.id)))


def to_dict(policy: RewardPolicy) -> dict[str, Any]:
    amount, basis = amount_of(policy)
    region = db.session.get(Region, policy.region_code)
    return {"key": policy.key, "name": policy.name, "region_code": policy.region_code,
            "region": region.name if region else None, "trigger": policy.trigger, "tier": policy.tier,
            "level": policy.level, "amount": amount, "basis": basis, "conditions": policy.conditions or {},
            "first_time_only": policy.first_time_only, "stacks": policy.stacks, "fund": policy.fund_key,
            "clause": policy.clause, "active": policy.active,
            "effective_from": policy.effective_from.isoformat() if policy.effective_from else None,
            "effective_until": policy.effective_until.isoformat() if policy.effective_until else None}
