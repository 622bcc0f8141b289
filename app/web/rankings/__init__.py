"""Rankings (考评): the schemes a user may read with their latest run per year, a run page (inputs, scores,
commended regions, 零突破), running a scheme for a year, the 通报 as PDF and the table as Excel, and the
admin's scheme settings. Thin wrappers around app.reporting.rankings and ranking_runs."""

from flask import Blueprint

bp = Blueprint("rankings", __name__, template_folder="templates", url_prefix="/rankings")

from app.web.rankings import views  # noqa: E402,F401
