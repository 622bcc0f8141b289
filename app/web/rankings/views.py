"""The rankings pages: /rankings (schemes and their latest run per year, the run form), a run's page, its 通报
(PDF) and table (Excel), the admin's settings of a scheme."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import ServiceError
from app.extensions import db
from app.models import RankingRun, RankingScheme
from app.reporting import ranking_runs, rankings
from app.reporting.ranking_metrics import REGISTRY
from app.web import xlsx
from app.web.common import form_invalid, role_required, service_failed
from app.web.labels import TIER_LABELS, label
from app.web.rankings import bp
from app.web.rankings.document import circular
from app.web.rankings.forms import RunForm, settings_form

READERS = ("reviewer", "admin", "leader")


def kind(metric: str) -> str:
    return REGISTRY[metric].kind if metric in REGISTRY else "count"


def shown(metric: str, value: Any) -> str:
    """A metric's value as the page shows it: a count, or a growth rate in % (one decimal)."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%" if kind(metric) == "ratio" else str(value)


def table(entry: RankingRun) -> tuple[list[str], list[list[Any]]]:
    """The results table (headers, rows of typed values), the same on the page and in the workbook."""
    headers = [_("Rank"), _("Region code"), _("Region"), *[rankings.metric_label(m["metric"]) for m in entry.metrics],
               _("Score")]
    rows = [[item["rank"], item["region_code"], item["region"],
             *[item["inputs"].get(m["metric"]) for m in entry.metrics], item["score"]] for item in entry.results]
    return headers, rows


def _index(forms: dict[str, RunForm] | None = None, status: int = 200) -> ResponseReturnValue:
    schemes = rankings.visible(current_user)
    forms = forms or {}
    for scheme in schemes:
        if rankings.can_run(current_user, scheme) and scheme.key not in forms:
            forms[scheme.key] = RunForm(prefix=scheme.key, formdata=None).prefill()
    return render_template("rankings/index.html", schemes=schemes, forms=forms,
                           runs={s.key: ranking_runs.latest_by_year(s) for s in schemes},
                           metric_label=rankings.metric_label), status


@bp.get("")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    return _index()


@bp.post("/<key>/runs")
@role_required(*READERS)
def run(key: str) -> ResponseReturnValue:
    scheme = rankings.get_for(current_user, key)
    form = RunForm(prefix=scheme.key)
    if not form.validate_on_submit():
        return _index({scheme.key: form}, form_invalid())
    try:
        entry = ranking_runs.run(current_user, key, form.year.data)
    except ServiceError as exc:
        return _index({scheme.key: form}, service_failed(exc, form))
    flash(_("The ranking for %(year)s was run; earlier runs are kept.", year=entry.year), "success")
    return redirect(url_for("rankings.show", run_id=entry.id))


@bp.get("/<key>/<int:year>")
@role_required(*READERS)
def latest(key: str, year: int) -> ResponseReturnValue:
    return _show(ranking_runs.latest(current_user, key, year))


@bp.get("/runs/<int:run_id>")
@role_required(*READERS)
def show(run_id: int) -> ResponseReturnValue:
    return _show(ranking_runs.get_for(current_user, run_id))


def _show(entry: RankingRun) -> ResponseReturnValue:
    headers, rows = table(entry)
    scheme = entry.scheme
    form = RunForm(prefix=scheme.key, formdata=None, data={"year": entry.year}) \
        if rankings.can_run(current_user, scheme) else None
    return render_template("rankings/run.html", run=entry, scheme=scheme, headers=headers, rows=rows,
                           items=entry.results, history=ranking_runs.history(scheme, entry.year),
                           latest=ranking_runs.is_latest(entry), form=form, shown=shown,
                           metric_label=rankings.metric_label, tier=label(TIER_LABELS, entry.key_tier))


@bp.get("/runs/<int:run_id>.pdf")
@role_required(*READERS)
def pdf(run_id: int) -> ResponseReturnValue:
    entry = ranking_runs.get_for(current_user, run_id)
    body = circular(entry)
    name = f"ranking-{entry.scheme.key}-{entry.year}-{entry.id}.pdf"
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/runs/<int:run_id>.xlsx")
@role_required(*READERS)
def workbook(run_id: int) -> ResponseReturnValue:
    entry = ranking_runs.get_for(current_user, run_id)
    headers, rows = table(entry)
    metrics = [m["metric"] for m in entry.metrics]
    columns = [xlsx.Column(headers[0], 8), xlsx.Column(headers[1], 12), xlsx.Column(headers[2], 16),
               *[xlsx.Column(headers[3 + i], 22, "0.0%" if kind(m) == "ratio" else "0")
                 for i, m in enumerate(metrics)], xlsx.Column(headers[-1], 10, "0.00")]
    return xlsx.send(f"ranking-{entry.scheme.key}-{entry.year}-{entry.id}", f"{entry.year}", columns, rows)


@bp.route("/<key>/settings", methods=["GET", "POST"])
@role_required("admin")
def settings(key: str) -> ResponseReturnValue:
    scheme = rankings.get_for(current_user, key)
    form = settings_form(scheme)
    if not form.is_submitted():
        return _settings(scheme, form)
    if not form.validate_on_submit():
        return _settings(scheme, form, form_invalid())
    try:
        rankings.update(current_user, key, form.values())
    except ServiceError as exc:
        status = service_failed(exc, form)
        return _settings(db.session.get(RankingScheme, scheme.id), form, status)
    flash(_("The ranking scheme was saved; runs from now on use it, earlier runs keep what they used."), "success")
    return redirect(url_for("rankings.index"))


def _settings(scheme: RankingScheme, form: Any, status: int = 200) -> ResponseReturnValue:
    fields = [getattr(form, f"weight_{name}") for name in form.metric_names]
    return render_template("rankings/settings.html", scheme=scheme, form=form, weight_fields=fields,
                           tier=label(TIER_LABELS, scheme.key_tier)), status
