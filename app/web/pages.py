"""The server-rendered web UI: feature blueprints, the home redirect, language switch, error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.errors import ServiceError
from app.extensions import login_manager
from app.web.common import safe_next
from app.web.labels import TEMPLATE_FILTERS, TEMPLATE_GLOBALS

home = Blueprint("home", __name__)

HOME_BY_ROLE = {"enterprise": "applications.dashboard", "reviewer": "inbox.index",
                "admin": "admin.applications", "expert": "experts.index", "leader": "dashboard.index"}
HOME_BY_ROLE["reporter"] = "reports.index"  # a city's 信息报送员: its office's periodic reports
HOME_BY_ROLE["secretary"] = "secretaries.workbench"  # a 服务秘书: the firms it serves, visits due


@home.get("/")
def index() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(HOME_BY_ROLE.get(current_user.role, "auth.login")))


@home.get("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next") or _referrer_path(), url_for("home.index")))


def _referrer_path() -> str | None:
    """The path (and query) of the page the user came from, when it is on this site."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") else None


def error_page(status: int, message: str | None = None) -> ResponseReturnValue:
    return render_template("errors/error.html", status=status, message=message), status


def _service_error(exc: ServiceError) -> ResponseReturnValue:
    if request.path.startswith("/api/"):  # raised before routing (e.g. a NUL in a form field of an unknown URL)
        from app.api.errors import error_response

        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.extra)
    return error_page(exc.status, exc.message)


def register(app: Flask) -> None:
    from app.web.admin import bp as admin_bp
    from app.web.applications import bp as applications_bp
    from app.web.applications.forms import GROUPS
    from app.web.auth import bp as auth_bp
    from app.web.calls import bp as calls_bp
    from app.web.dashboard import bp as dashboard_bp
    from app.web.dashboard.targets_admin import admin_bp as targets_admin_bp
    from app.web.evaluation import TEMPLATE_GLOBALS as EVALUATION_GLOBALS
    from app.web.experts import bp as experts_bp
    from app.web.inbox import bp as inbox_bp
    from app.web.lifecycle import bp as lifecycle_bp
    from app.web.monitoring import bp as monitoring_bp
    from app.web.notices import bp as notices_bp
    from app.web.problems import bp as problems_bp
    from app.web.rankings import bp as rankings_bp
    from app.web.register import bp as register_bp
    from app.web.reports import bp as reports_bp
    from app.web.rewards_enterprise import bp as rewards_enterprise_bp
    from app.web.rewards_office import bp as rewards_office_bp
    from app.web.secretaries import bp as secretaries_bp
    from app.web.uscc_claims import bp as uscc_claims_bp
    from app.web.workbench import bp as workbench_bp

    app.register_blueprint(secretaries_bp)  # the service secretaries (issue 14)
    from app.web.printing import bp as printing_bp
    from app.web.printing.views import print_offices

    app.register_blueprint(printing_bp)  # the printed application (issue 17 item 11)
    app.jinja_env.globals["print_offices"] = print_offices
    for bp in (home, auth_bp, applications_bp, inbox_bp, admin_bp, workbench_bp, calls_bp, experts_bp, notices_bp,
               lifecycle_bp, register_bp, rewards_office_bp, rewards_enterprise_bp, rankings_bp,
               monitoring_bp, reports_bp, dashboard_bp, targets_admin_bp,
               uscc_claims_bp, problems_bp):
        app.register_blueprint(bp)
    app.jinja_env.globals.update(TEMPLATE_GLOBALS, indicator_groups=GROUPS, get_locale=get_locale)
    app.jinja_env.globals.update(EVALUATION_GLOBALS)
    app.jinja_env.filters.update(TEMPLATE_FILTERS)
    app.register_error_handler(ServiceError, _service_error)  # the API blueprint answers its own in JSON
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"


def http_error_page(exc: HTTPException) -> ResponseReturnValue:
    """The HTML page for an HTTP error outside the API."""
    if isinstance(exc, CSRFError):
        return error_page(400, _("The form has expired or did not come from this site. "
                                 "Go back, reload the page and try again."))
    if exc.code == 429:  # an abuse limit (app/core/abuse.py)
        return error_page(429, _("Too many attempts. Wait a while before trying again."))
    return error_page(exc.code or 500, None)
