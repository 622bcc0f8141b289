"""API v1: monitoring (运行监测) — periods and their response rates for offices, reports for enterprises."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_required
from app.core.errors import Forbidden
from app.monitoring import periods, programmes, reports


@bp.get("/monitoring/periods")
@token_required
def monitoring_periods():
    """The periods of the programmes in the caller's jurisdiction (an office, a leader, the admin)."""
    user = g.api_user
    if user.role not in ("admin", "reviewer", "reporter", "leader"):
        raise Forbidden(_("Only an office, a leader or the admin can list monitoring periods."))
    items = [periods.to_dict(p, with_rate=True, within=programmes.scope(user, p.programme),
                             sector=programmes.sector_of(user))
             for p in periods.visible_periods(user)]
    return jsonify({"items": items, "total": len(items),
                    "programmes": [programmes.to_dict(p) for p in programmes.visible_to(user)]})


@bp.post("/monitoring/periods")
@token_required
def open_monitoring_period():
    """The programme's office opens a period: `{"year", "seq"}` (default: the period just ended); 409 twice."""
    period = periods.open_by_office(g.api_user, json_body())
    return jsonify(periods.to_dict(period, with_rate=True)), 201


@bp.get("/monitoring/periods/<int:period_id>/responses")
@token_required
def monitoring_responses(period_id: int):
    """The period, its response rate (overall and per area) and its reports (filters: status, region, tier,
    alert, q); 404 outside the caller's jurisdiction."""
    period = periods.get_for(g.api_user, period_id)
    params = {key: request.args.get(key, "") for key in reports.FILTERS}
    page, per_page = int_arg("page", 1), int_arg("per_page", 200, maximum=1000)
    within, sector = programmes.scope(g.api_user, period.programme), programmes.sector_of(g.api_user)
    rows = reports.search(period, params, within, sector)
    items = [reports.to_dict(r) for r in rows[(page - 1) * per_page: page * per_page]]
    return jsonify({"period": periods.to_dict(period), "rate": periods.rate(period, within, sector), "items": items,
                    "total": len(rows)})


@bp.get("/monitoring/reports")
@token_required
def my_monitoring_reports():
    """The enterprise's own reports, newest period first."""
    items = [reports.to_dict(r) for r in reports.mine(g.api_user)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/monitoring/reports/<int:report_id>")
@token_required
def monitoring_report(report_id: int):
    return jsonify(reports.to_dict(reports.get_for(g.api_user, report_id)))


@bp.post("/monitoring/reports/<int:report_id>")
@token_required
def file_monitoring_report(report_id: int):
    """The enterprise files its figures in yuan (`{"revenue": …, …}`, or `{"figures": {…}}`); 422 per field,
    409 when the report is not open for filing."""
    body = json_body()
    values = body.get("figures") if isinstance(body.get("figures"), dict) else body
    return jsonify(reports.to_dict(reports.file(g.api_user, report_id, values, source="api")))


@bp.post("/monitoring/reports/<int:report_id>/follow-up")
@token_required
def follow_up_monitoring_report(report_id: int):
    """The county office notes its follow-up of an alert: `{"note": "…"}`."""
    return jsonify(reports.to_dict(reports.record_follow_up(g.api_user, report_id, json_body().get("note"))))
