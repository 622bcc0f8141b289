"""API v1: enterprise self-registration."""

from __future__ import annotations

from flask import jsonify

from app.api import bp, json_body
from app.core import abuse
from app.org import accounts


@bp.post("/enterprises")
@abuse.registration
def register_enterprise():
    body = json_body()
    enterprise = accounts.register_enterprise(
        username=body.get("username"), password=body.get("password"), name=body.get("name"),
        uscc=body.get("uscc"), region_code=body.get("region_code"), sector=body.get("sector"))
    return jsonify(enterprise.to_dict()), 201
