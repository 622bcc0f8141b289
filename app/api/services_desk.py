"""API v1: service secretaries' assignments and visits (issue 14 §1, §6). 404 outside the caller's view,
422 per field, 409 for a second active assignment of the same office."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, json_body, token_required
from app.services_desk import assignments, visits


@bp.get("/enterprises/<int:enterprise_id>/assignments")
@token_required
def list_assignments(enterprise_id: int):
    """Every assignment of the enterprise (active first, the ended kept as history)."""
    rows = assignments.list_for(g.api_user, enterprise_id)
    return jsonify({"items": [assignments.to_dict(a) for a in rows], "total": len(rows)})


@bp.post("/enterprises/<int:enterprise_id>/assignments")
@token_required
def create_assignment(enterprise_id: int):
    """`{"secretary": id or username, "leader_name", "leader_post", "starts_on", "ends_on"}` → 201."""
    return jsonify(assignments.to_dict(assignments.assign(g.api_user, enterprise_id, json_body()))), 201


@bp.post("/assignments/<int:assignment_id>/end")
@token_required
def end_assignment(assignment_id: int):
    """`{"reason"}` (optional) → the ended assignment."""
    body = json_body() if request.get_data() else {}
    return jsonify(assignments.to_dict(assignments.end(g.api_user, assignment_id, body.get("reason"))))


@bp.get("/enterprises/<int:enterprise_id>/visits")
@token_required
def list_visits(enterprise_id: int):
    rows = visits.list_for(g.api_user, enterprise_id)
    return jsonify({"items": [visits.to_dict(v) for v in rows], "total": len(rows)})


@bp.post("/enterprises/<int:enterprise_id>/visits")
@token_required
def log_visit(enterprise_id: int):
    """`{"visited_on", "visitors", "notes", "problems", "next_due_on"}` → 201."""
    return jsonify(visits.to_dict(visits.log(g.api_user, enterprise_id, json_body()))), 201
