"""The periodic report screens (定期调度): the reporter's home and report form, the receiving province's list of
reports per period with its decision and Excel export, the compiled provincial report (page and PDF). Thin
wrappers around app.reporting.periodic."""

from flask import Blueprint

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")

from app.web.reports import views  # noqa: E402,F401
