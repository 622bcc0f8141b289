"""The dashboard page: the figures of the caller's jurisdiction (or a region below it), with charts whose
bars link to the drill-down lists, and the Excel export of each table."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.vocabulary import TargetStatus
from app.extensions import db
from app.models import Region
from app.reporting import cohort, pipeline, problem_figures, stats, targets
from app.reporting import scope as scopes
from app.web import xlsx
from app.web.common import role_required
from app.web.dashboard import READERS, bp
from app.web.dashboard.tables import TABLES
from app.web.labels import SECTOR_LABELS, TIER_LABELS, label, step_label

LIGHTS = {"green": "#198754", "amber": "#fd7e14", "red": "#dc3545", "no_data": "#adb5bd", "no_source": "#adb5bd"}
BADGES = {"green": "text-bg-success", "amber": "text-bg-warning", "red": "text-bg-danger",
          "no_data": "text-bg-light", "no_source": "text-bg-secondary"}


def _args() -> dict[str, Any]:
    """The page's own filters: region (narrowed scope), year (of the targets), level (region roll-up)."""
    year = request.args.get("year", type=int)
    return {"region": request.args.get("region") or None, "year": year if year and 1990 <= year <= 2100 else None,
            "level": request.args.get("level") or None}


def figures(args: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the page: the register read once (a Breakdown), the pipeline, the cohort, the targets
    (their tier counts are the breakdown's sums)."""
    user, region = current_user, args["region"]
    counts = stats.Breakdown(user, region, args["level"])
    scope = counts.scope
    year = args["year"] or targets.default_year(scope.region.code)
    monitored = cohort.cohort(user, region)
    actuals = targets.Actuals(counts, (scope.region.code, monitored["provincial"]) if scope.sector is None else None)
    return {
        "scope": scope, "year": year, "level": counts.level,
        "targets": targets.listing(user, scope.region.code, year, actuals) if year else [],
        "tiers": counts.by("tier"), "regions": counts.ranked(), "years": counts.by("year"),
        "sectors": counts.by("sector"), "pipeline": pipeline.pipeline(user, region), "cohort": monitored,
        "problems": problem_figures.figures(user, region),
    }


def drill(region: str | None, **filters: Any) -> str:
    return url_for("dashboard.recognitions", **({"region": region} if region else {}),
                   **{k: v for k, v in filters.items() if v is not None})


def _series(items: list[dict[str, Any]], key: str, name: Any, link: Any) -> dict[str, Any]:
    return {"labels": [name(i) for i in items], "values": [i["count"] for i in items],
            "links": [link(i) for i in items]}


def charts(data: dict[str, Any], region: str | None) -> dict[str, Any]:
    tier_targets = [t for t in data["targets"] if t["drill"]]
    steps = data["pipeline"]["steps"]
    return {
        "targets": {"labels": [t["label"] for t in tier_targets], "actual": [t["actual"] for t in tier_targets],
                    "target": [t["value"] for t in tier_targets], "expected": [t["expected"] for t in tier_targets],
                    "colors": [LIGHTS[t["status"]] for t in tier_targets],
                    "links": [url_for("dashboard.recognitions", **t["drill"]) for t in tier_targets],
                    "series": {"actual": _("Achieved"), "target": _("Target"), "expected": _("Expected by now")}},
        "tiers": _series(data["tiers"], "tier", lambda i: label(TIER_LABELS, i["tier"]),
                         lambda i: drill(region, tier=i["tier"])),
        "regions": _series(data["regions"], "region", lambda i: i["region"],
                           lambda i: drill(i["region_code"])),
        "years": _series(data["years"], "year", lambda i: str(i["year"]), lambda i: drill(region, year=i["year"])),
        "sectors": _series(data["sectors"], "sector", lambda i: label(SECTOR_LABELS, i["sector"]),
                           lambda i: drill(region, sector=i["sector"])),
        "steps": {"labels": [step_label(s["step"], s["name"]) for s in steps], "values": [s["open"] for s in steps],
                  "overdue": [s["overdue"] for s in steps],
                  "links": [url_for("dashboard.pipeline_list", step=s["step"], **({"region": region} if region
                                                                                  else {})) for s in steps],
                  "series": {"open": _("Open"), "overdue": _("Overdue")}},
    }


def regions_in(scope: scopes.Scope) -> list[Region]:
    query = db.select(Region).order_by(Region.code)
    if scope.prefix:
        query = query.where(Region.code.startswith(scope.prefix))
    return list(db.session.scalars(query))


@bp.get("/")
@role_required(*READERS)
def index() -> ResponseReturnValue:
    args = _args()
    data = figures(args)
    own = scopes.of(current_user)
    return render_template(
        "dashboard/index.html", data=data, args=args, chart=charts(data, args["region"]), badges=BADGES,
        region=args["region"], regions=regions_in(own), own=own, years=targets.years(data["scope"].region.code),
        status_labels=TargetStatus.labels(), export_args={k: v for k, v in args.items() if v})


@bp.get("/export/<table>.xlsx")
@role_required(*READERS)
def export(table: str) -> ResponseReturnValue:
    """One table of the dashboard as a workbook, with the page's filters."""
    if table not in TABLES:
        from flask import abort

        abort(404)
    data = figures(_args())
    title, columns, rows = TABLES[table](data)
    return xlsx.send(f"{title}-{data['scope'].region.name}", title, columns, rows)
