"""API v1 for administrators: which office works a lane."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.core import permissions
from app.workflow import routing


@bp.get("/routing-rules")
@token_required
def list_routing_rules():
    permissions.require_admin(g.api_user)
    items = [routing.to_dict(r) for r in routing.rules()]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/routing-rules")
@token_required
def add_routing_rule():
    rule = routing.add(g.api_user, json_body())
    return jsonify(routing.to_dict(rule)), 201


@bp.delete("/routing-rules/<int:rule_id>")
@token_required
def delete_routing_rule(rule_id: int):
    routing.delete(g.api_user, rule_id)
    return "", 204
