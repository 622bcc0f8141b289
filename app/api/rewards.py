"""API v1: reward policies, reward claims (filed, listed, decided) and funds. Amounts are integers in yuan."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_optional, token_required
from app.core.errors import Invalid, NotFound
from app.rewards import claims, funds, ledger, policies


@bp.get("/reward-policies")
@token_optional
def list_reward_policies():
    return jsonify({"items": [policies.to_dict(p) for p in policies.all_policies()]})


@bp.put("/reward-policies/<key>")
@token_required
def update_reward_policy(key: str):
    """Admin: `{"amount", "cap", "match_percent", "active", "effective_from", "effective_until", "clause",
    "name"}` (any of them) → the policy; 422 per field, nothing stored."""
    return jsonify(policies.to_dict(policies.update(g.api_user, key, json_body())))


@bp.get("/reward-claims")
@token_required
def list_reward_claims():
    """Filters: status, policy, fund, year; page, per_page. Each caller sees what it may (see claims.visible)."""
    page, per_page = int_arg("page", 1), int_arg("per_page", 50, maximum=500)
    rows, total = claims.search(g.api_user, status=request.args.get("status") or None,
                                policy=request.args.get("policy") or None, fund=request.args.get("fund") or None,
                                year=int_arg("year", minimum=1990, maximum=2100), page=page, per_page=per_page)
    return jsonify({"items": [claims.to_dict(c) for c in rows], "total": total, "page": page, "per_page": per_page})


@bp.get("/reward-claims/<int:claim_id>")
@token_required
def get_reward_claim(claim_id: int):
    return jsonify(claims.to_dict(claims.get_for(g.api_user, claim_id)))


@bp.post("/reward-claims")
@token_required
def file_reward_claim():
    """An enterprise files a claim the register cannot see: `{"policy", "evidence"}`."""
    return jsonify(claims.to_dict(claims.file(g.api_user, json_body()))), 201


@bp.post("/reward-claims/<int:claim_id>/decision")
@token_required
def decide_reward_claim(claim_id: int):
    """`{"decision": "approve"|"reject", "comment"}` on a review; `{"decision": "pay", "voucher_no", "paid_on"}`
    on the payment."""
    return jsonify(claims.to_dict(claims.decide(g.api_user, claim_id, json_body())))


@bp.put("/enterprises/<int:enterprise_id>/city-owned")
@token_required
def set_city_owned(enterprise_id: int):
    """`{"city_owned": true|false}` by a city office of the enterprise's jurisdiction (or above, or the admin)."""
    enterprise = policies.set_city_owned(g.api_user, enterprise_id, json_body().get("city_owned"))
    return jsonify(enterprise.to_dict() | {"city_owned": enterprise.city_owned})


@bp.post("/funds/<int:fund_id>/budget")
@token_required
def add_fund_budget(fund_id: int):
    """`{"amount": yuan (negative takes away), "year", "note"}` by the fund's SME office or the admin."""
    fund = funds.get_for(g.api_user, fund_id)
    if not funds.can_budget(g.api_user, fund):
        raise NotFound(_("Fund not found."))
    body = json_body()
    amount, year, note = body.get("amount"), body.get("year"), body.get("note")
    errors = {}
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0 or abs(amount) > 10**12:
        errors["amount"] = _("a whole number of yuan, not zero")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = _("a year such as 2026")
    if note is not None and (not isinstance(note, str) or len(note) > 300):
        errors["note"] = _("text of at most %(n)s characters", n=300)
    if errors:
        raise Invalid(_("The budget cannot be changed; check the marked fields."), fields=errors)
    ledger.set_budget(fund, amount, year, g.api_user, note)
    return jsonify({"id": fund.id, "key": fund.key, "balances": ledger.balances(fund)}), 201


@bp.get("/funds/<int:fund_id>")
@token_required
def get_fund(fund_id: int):
    """A fund's budget, committed, paid and available (the sums of its ledger), by tier and year."""
    fund = funds.get_for(g.api_user, fund_id)
    return jsonify({"id": fund.id, "key": fund.key, "name": fund.name, "region_code": fund.region_code,
                    "office": fund.office.to_dict(), "balances": ledger.balances(fund),
                    "by_tier_and_year": ledger.by_tier_and_year(fund)})
