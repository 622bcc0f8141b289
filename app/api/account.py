"""API v1: the caller's own password (a change ends every session and token of the user, this one included)."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.org import accounts


@bp.post("/me/password")
@token_required
def change_password():
    """{"current": "…", "new": "…"}: the new password must pass the policy; every token of the user stops working,
    so the client asks for a new one with the new password."""
    body = json_body()
    accounts.change_password(g.api_user, body.get("current"), body.get("new"))
    return jsonify({"changed": True})
