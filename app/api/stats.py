"""API v1: statistics of the register, the pipeline and the monitored cohort, in the caller's scope (leader:
its region; reviewer: its office's; admin: all). See app/reporting/stats.py for what counts."""

from __future__ import annotations

from flask import g, jsonify, request

from app.api import bp, token_required
from app.reporting import cohort, pipeline, stats


@bp.get("/stats/recognitions")
@token_required
def stats_recognitions():
    """`?group_by=tier,region,year,sector` (any of them) and filters tier, region, year, sector, status
    (stock|held|all|<status>), level (province|city|county: the region roll-up) → `{"group_by", "level",
    "items": [{"tier", "region_code", "region", "year", "sector", "count"}], "total"}`; 422 on an unknown key."""
    filters = stats.parse_filters(request.args)
    return jsonify(stats.recognitions(g.api_user, request.args.get("group_by", ""), **filters))


@bp.get("/stats/pipeline")
@token_required
def stats_pipeline():
    return jsonify(pipeline.pipeline(g.api_user, request.args.get("region") or None))


@bp.get("/stats/monitoring")
@token_required
def stats_monitoring():
    return jsonify(cohort.cohort(g.api_user, request.args.get("region") or None))
