"""API v1: ranking schemes (考评) and their yearly runs. Schemes and runs outside the caller's jurisdiction
answer 404, as unknown ones do."""

from __future__ import annotations

from flask import g, jsonify

from app.api import bp, json_body, token_required
from app.reporting import ranking_runs, rankings


@bp.get("/rankings")
@token_required
def list_rankings():
    """The schemes the caller may read, each with the years it has runs for."""
    items = []
    for scheme in rankings.visible(g.api_user):
        items.append(rankings.to_dict(scheme, g.api_user)
                     | {"years": [r.year for r in ranking_runs.latest_by_year(scheme)]})
    return jsonify({"items": items})


@bp.put("/rankings/<key>")
@token_required
def update_ranking(key: str):
    """Admin: `{"weights": {metric: 0–100}, "top_n", "active"}` (any of them) → the scheme; 422 per field."""
    return jsonify(rankings.to_dict(rankings.update(g.api_user, key, json_body()), g.api_user))


@bp.get("/rankings/<key>/<int:year>")
@token_required
def get_ranking(key: str, year: int):
    """The latest run of the scheme for the year."""
    return jsonify(ranking_runs.to_dict(ranking_runs.latest(g.api_user, key, year)))


@bp.get("/rankings/<key>/<int:year>/runs")
@token_required
def list_ranking_runs(key: str, year: int):
    """Every run of the scheme for the year, newest first."""
    scheme = rankings.get_for(g.api_user, key)
    return jsonify({"items": [ranking_runs.to_dict(r) for r in ranking_runs.history(scheme, year)]})


@bp.post("/rankings/<key>/<int:year>/runs")
@token_required
def run_ranking(key: str, year: int):
    """Run the scheme for the year (the admin or the jurisdiction's general office) → 201 the run."""
    return jsonify(ranking_runs.to_dict(ranking_runs.run(g.api_user, key, year))), 201
