"""API v1: tokens and the caller (DESIGN.md "JSON API v1")."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, config, json_body, token_required
from app.core import abuse
from app.org import accounts


@bp.post("/auth/token")
@abuse.login
def issue_token():
    body = json_body()
    user = accounts.authenticate(body.get("username"), body.get("password"))
    token, row = accounts.issue_token(user, config("API_TOKEN_HOURS"))
    return jsonify({"token": token, "expires_at": row.expires_at.isoformat(), "user": {
        "username": user.username, "role": user.role, "office": user.office.code if user.office else None}})


@bp.post("/auth/refresh")
@token_required
def refresh_token():
    """A fresh token for a valid one, which stops working at once."""
    token, row = accounts.issue_token(g.api_user, config("API_TOKEN_HOURS"))
    accounts.revoke_token(g.api_token)
    return jsonify({"token": token, "expires_at": row.expires_at.isoformat()})


@bp.post("/auth/logout")
@token_required
def logout():
    """Revoke the presented token."""
    accounts.revoke_token(g.api_token)
    return jsonify({"revoked": True})


@bp.get("/me")
@token_required
def me():
    user = g.api_user
    return jsonify({
        "username": user.username,
        "role": user.role,
        "office": user.office.to_dict() if user.office else None,
        "enterprise": user.enterprise.summary() if user.enterprise else None,
    })
