"""API v1: a reviewer's saved inbox filters."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.workbench import inbox


@bp.get("/filters")
@token_required
def list_filters():
    items = inbox.sidebar(g.api_user)
    return jsonify({"items": items, "total": len(items)})


@bp.post("/filters")
@token_required
def save_filter():
    body = json_body()
    saved = inbox.save_filter(g.api_user, body.get("name"), inbox.InboxFilter.from_params(body.get("params") or {}),
                              bool(body.get("shared")))
    return jsonify({"id": saved.id, "name": saved.name, "params": saved.params, "shared": saved.shared}), 201


@bp.delete("/filters/<int:filter_id>")
@token_required
def delete_filter(filter_id: int):
    inbox.delete_saved(g.api_user, filter_id)
    return "", 204
