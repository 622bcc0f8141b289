"""API v1: declared conflicts of interest."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.workbench import claims


@bp.post("/conflicts")
@token_required
def declare_conflict():
    body = json_body()
    declared = claims.declare_conflict(g.api_user, body.get("enterprise_id"), body.get("reason"))
    return jsonify({"id": declared.id, "enterprise_id": declared.enterprise_id, "reason": declared.reason}), 201
