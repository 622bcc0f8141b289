"""API v1 for administrators: which process definition runs where."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.core import permissions
from app.workflow import bindings


@bp.get("/process-bindings")
@token_required
def list_bindings():
    permissions.require_admin(g.api_user)
    items = [bindings.to_dict(b) for b in bindings.bindings()]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/process-bindings")
@token_required
def add_binding():
    binding = bindings.add(g.api_user, json_body())
    return jsonify(bindings.to_dict(binding)), 201


@bp.delete("/process-bindings/<int:binding_id>")
@token_required
def delete_binding(binding_id: int):
    bindings.delete(g.api_user, binding_id)
    return "", 204
