"""API v1: reward policies, reward claims (filed, listed, decided) and funds. Amounts are integers in yuan."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, int_arg, json_body, token_optional, token_required
from app.rewards import claims, funds, ledger, policies


@bp.get("/reward-policies")
@token_optional
def list_reward_policies():
    return jsonify({"items": [policies.to_dict(p) for p in policies.all_policies()]})


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


@bp.get("/funds/<int:fund_id>")
@token_required
def get_fund(fund_id: int):
    """A fund's budget, committed, paid and available (the sums of its ledger), by tier and year."""
    fund = funds.get_for(g.api_user, fund_id)
    return jsonify({"id": fund.id, "key": fund.key, "name": fund.name, "region_code": fund.region_code,
                    "office": fund.office.to_dict(), "balances": ledger.balances(fund),
                    "by_tier_and_year": ledger.by_tier_and_year(fund)})
