"""API v1: in-app notifications."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, token_required
from app.core import params
from app.workbench import notifications


@bp.get("/notifications")
@token_required
def list_notifications():
    items = [notifications.notification_dict(n) for n in notifications.recent(g.api_user)]
    return jsonify({"items": items, "unread": notifications.unread_count(g.api_user)})


@bp.post("/notifications/read")
@token_required
def read_notifications():
    body = request.get_json(silent=True) or {}
    ids = body.get("ids") if isinstance(body, dict) else None
    count = notifications.mark_read(g.api_user, params.id_list(ids, "ids", most=1000) if ids is not None else None)
    return jsonify({"marked": count, "unread": notifications.unread_count(g.api_user)})
