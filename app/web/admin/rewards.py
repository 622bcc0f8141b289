"""Admin page 奖补政策: every reward policy in words, and the form that edits one (amounts typed in 万元, stored
in yuan through app.rewards.policies.update, which validates and audits)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Region, RewardPolicy
from app.rewards import policies
from app.web.admin import bp
from app.web.admin.forms import WAN, RewardPolicyForm
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import CHOICE_LABELS, SECTOR_LABELS, TIER_LABELS, label
from app.web.rewards_enterprise.labels import TRIGGER_LABELS, in_wan


def _wan(yuan: int | None) -> Decimal | None:
    return None if yuan is None else Decimal(int(yuan)) / WAN


def match_words(policy: RewardPolicy) -> str:
    """A matching policy's amount in words: "1:1 match of <the matched policy>" (or its share)."""
    base = db.session.scalar(db.select(RewardPolicy).where(RewardPolicy.key == policy.match_policy_key))
    name = base.name if base is not None else policy.match_policy_key
    percent = policy.match_percent or 100
    if percent == 100:
        return _("1:1 match of %(name)s", name=name)
    return _("%(percent)s%% match of %(name)s", percent=percent, name=name)


def condition_words(policy: RewardPolicy) -> list[str]:
    wants = policy.conditions or {}
    words = []
    if wants.get("city_owned"):
        words.append(_("City-owned enterprises"))
    if wants.get("sector"):
        words.append(_("Sector: %(sector)s", sector=label(SECTOR_LABELS, wants["sector"])))
    if wants.get("held_tier"):
        words.append(_("Must hold: %(tier)s", tier=label(TIER_LABELS, wants["held_tier"])))
    return words


def row(policy: RewardPolicy) -> dict[str, Any]:
    """One policy as the list shows it."""
    region = db.session.get(Region, policy.region_code)
    what = [str(TRIGGER_LABELS.get(policy.trigger, policy.trigger))]
    if policy.tier:
        what.append(label(TIER_LABELS, policy.tier))
    if policy.level:
        what.append(label(CHOICE_LABELS, policy.level))
    amount, _basis = policies.amount_of(policy)
    return {"key": policy.key, "region": region.name if region else policy.region_code, "name": policy.name,
            "what": " · ".join(what), "amount": in_wan(amount), "match": match_words(policy)
            if policy.match_policy_key else None, "cap": in_wan(policy.cap) if policy.cap is not None else None,
            "conditions": condition_words(policy), "fund": policy.fund.name if policy.fund else policy.fund_key,
            "clause": policy.clause, "effective_from": policy.effective_from,
            "effective_until": policy.effective_until, "active": policy.active}


@bp.get("/reward-policies")
@role_required("admin")
def reward_policies() -> ResponseReturnValue:
    return render_template("admin/reward_policies.html", rows=[row(p) for p in policies.all_policies()])


def _edit_page(policy: RewardPolicy, form: RewardPolicyForm, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/reward_policy.html", policy=policy, form=form, row=row(policy)), status


@bp.route("/reward-policies/<key>", methods=["GET", "POST"])
@role_required("admin")
def reward_policy(key: str) -> ResponseReturnValue:
    policy = policies.by_key(key)
    matching = policy.match_policy_key is not None
    form = RewardPolicyForm(data={
        "amount": None if matching else _wan(policy.amount), "cap": _wan(policy.cap), "active": policy.active,
        "effective_from": policy.effective_from, "effective_until": policy.effective_until,
        "clause": policy.clause, "name": policy.name})
    if not form.is_submitted():
        return _edit_page(policy, form)
    valid = form.validate_on_submit()
    if not matching and form.amount.data is None and not form.amount.errors:
        form.amount.errors = [*form.amount.errors, _("Enter the amount.")]
        valid = False
    if not valid:
        return _edit_page(policy, form, form_invalid())
    try:
        policies.update(current_user, key, form.values(matching=matching))
    except ServiceError as exc:
        return _edit_page(policies.by_key(key), form, service_failed(exc, form))
    flash(_("The reward policy was saved; claims opened from now on use it, earlier claims keep their amount."),
          "success")
    return redirect(url_for("admin.reward_policies"))
