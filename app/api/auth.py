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
    token = accounts.issue_token(user, config("API_TOKEN_DAYS"))
    return jsonify({"token": token, "user": {
        "username": user.username, "role": user.role, "office": user.office.code if user.office else None}})


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
