"""API v1: targets (发展目标) with their computed progress; the admin edits and adds them."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, int_arg, json_body, token_required
from app.reporting import targets


@bp.get("/targets")
@token_required
def list_targets():
    """`?region=&year=` → `{"items": [{"metric", "label", "year", "value", "value_max", "clause", "actual"
    (null without a data source), "expected", "status"…}]}`; the caller's region by default."""
    items = targets.listing(g.api_user, request.args.get("region") or None,
                            int_arg("year", minimum=1990, maximum=2100))
    return jsonify({"items": items, "total": len(items)})


@bp.post("/targets")
@token_required
def add_target():
    """Admin: `{"region_code", "metric", "year", "basis", "base_year", "value", "value_max", "clause", "note"}`."""
    return jsonify(targets.to_dict(targets.create(g.api_user, json_body()))), 201


@bp.put("/targets/<int:target_id>")
@token_required
def update_target(target_id: int):
    """Admin: any of `{"value", "value_max", "note", "clause"}`; 422 per field, nothing stored."""
    return jsonify(targets.to_dict(targets.update(g.api_user, target_id, json_body())))
