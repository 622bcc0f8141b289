"""API v1: an enterprise's 一企一册 ledger."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, token_required
from app.enterprises import ledger


@bp.get("/enterprises/<int:enterprise_id>/ledger")
@token_required
def enterprise_ledger(enterprise_id: int):
    """The enterprise itself, an office on its chain, the admin; 404 for anyone else."""
    enterprise = ledger.get_for(g.api_user, enterprise_id)
    return jsonify(ledger.to_dict(ledger.collect(g.api_user, enterprise)))
