"""API v1: rule sets — which standard judges which tier where, its source, life and status; an admin applies a
provisional one (or stops applying one)."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.recognition import eligibility


@bp.get("/rule-sets")
@token_required
def list_rule_sets():
    """→ `{"items": [{"id", "name", "tier", "jurisdiction", "effective_from", "effective_to", "status", "source",
    "active", "fallback"}], "total"}`."""
    items = [r.summary() | {"tier": r.tier, "fallback": r.fallback} for r in eligibility.rule_sets()]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/rule-sets/<key>/activation")
@token_required
def activate_rule_set(key: str):
    """Admin: `{"active": true|false}` → the rule set; 404 unknown key, 422 not a boolean."""
    rule_set = eligibility.set_active(g.api_user, key, json_body().get("active"))
    return jsonify(rule_set.summary() | {"tier": rule_set.tier, "fallback": rule_set.fallback})
