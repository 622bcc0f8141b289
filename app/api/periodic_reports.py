"""API v1: periodic reports (定期调度, 000 §四(三)): a city's reporter lists, saves and submits its reports; the
receiving province lists them and accepts or returns; the compiled provincial report of a period."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from app.api import bp, int_arg, json_body, token_required
from app.core.errors import Invalid
from app.core.vocabulary import ReportFrequency, ReportStatus
from app.reporting import periodic, periodic_compiled


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        raise Invalid(_("Unknown value for %(name)s.", name=name), fields={name: _("unknown")})
    return value


@bp.get("/periodic-reports")
@token_required
def list_periodic_reports():
    """Filters: schedule, year, frequency, seq, status. A reporter sees its office's reports, the receiving
    office's reviewers and the province's leader the province's, the admin all."""
    rows = periodic.search(g.api_user, schedule=request.args.get("schedule") or None,
                           year=int_arg("year", minimum=2000, maximum=2100),
                           frequency=_choice("frequency", ReportFrequency.values()), seq=int_arg("seq", maximum=4),
                           status=_choice("status", ReportStatus.values()))
    return jsonify({"items": [periodic.to_dict(r) for r in rows], "total": len(rows)})


@bp.get("/periodic-reports/<int:report_id>")
@token_required
def get_periodic_report(report_id: int):
    return jsonify(periodic.to_dict(periodic.get_for(g.api_user, report_id)))


@bp.put("/periodic-reports/<int:report_id>")
@token_required
def save_periodic_report(report_id: int):
    """The reporter saves a draft: `{"achievements", "measures", "methods", "policies"}` (any of them; optional
    `lock_version` → 409 when the report changed meanwhile)."""
    return jsonify(periodic.to_dict(periodic.save(g.api_user, report_id, json_body())))


@bp.post("/periodic-reports/<int:report_id>/submit")
@token_required
def submit_periodic_report(report_id: int):
    """The reporter submits (the body may carry the headings too); every heading is required."""
    body = request.get_json(silent=True)
    return jsonify(periodic.to_dict(periodic.submit(g.api_user, report_id, body if isinstance(body, dict) else {})))


@bp.post("/periodic-reports/<int:report_id>/decision")
@token_required
def decide_periodic_report(report_id: int):
    """The receiving office: `{"decision": "approve"|"return", "comment"}` (a return needs the reason)."""
    body = json_body()
    return jsonify(periodic.to_dict(periodic.decide(g.api_user, report_id, body.get("decision"),
                                                    body.get("comment"))))


@bp.post("/report-schedules/<key>/periods")
@token_required
def open_report_period(key: str):
    """Admin or the receiving office opens a period now: `{"year", "frequency", "seq"}` → the reports opened."""
    body = json_body()
    opened = periodic.open_now(g.api_user, key, body.get("year"), body.get("frequency"), body.get("seq"))
    return jsonify({"items": [periodic.to_dict(r) for r in opened], "total": len(opened)}), 201


@bp.get("/report-schedules/<key>/compiled")
@token_required
def compiled_report(key: str):
    """The compiled provincial report of a period: `?year=&frequency=&seq=`."""
    found = periodic_compiled.compile_for(g.api_user, key, int_arg("year", minimum=2000, maximum=2100),
                                          request.args.get("frequency"), int_arg("seq", maximum=4))
    return jsonify(periodic_compiled.to_dict(found))
