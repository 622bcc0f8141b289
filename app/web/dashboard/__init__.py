"""Dashboards (领导驾驶舱) for the leading group, the offices and the admin: recognitions against targets,
by tier, region, year and sector, the pipeline and the monitored cohort (ECharts), every figure linking to the
list behind it; every table exports to Excel with its filters. Read-only: thin wrappers around app.reporting."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")
READERS = ("leader", "reviewer", "admin")

from app.web.dashboard import lists, targets_admin, views  # noqa: E402,F401
