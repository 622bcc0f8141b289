"""Tierflow application factory."""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Flask, has_request_context, request, session
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from app.core.errors import lost_race as lost_to_another_transaction
from app.core.jsonio import StrictJSONProvider
from app.core.params import BoundedInt
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from config import Config, get_config


def _select_locale() -> Locale:
    return _parsed(_locale_name())


@cache
def _parsed(name: str) -> Locale:
    """Parsed once per process (Flask-Babel would parse the name on every request)."""
    return Locale.parse(name)


def _locale_name() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: type[Config] | str | None = None) -> Flask:
    config_class = config if isinstance(config, type) else get_config(config)
    config_class.check()
    app = Flask(__name__, instance_relative_config=False)
    app.json = StrictJSONProvider(app)
    app.url_map.converters["int"] = BoundedInt  # ids beyond the database's range: 404, not an overflow
    app.config.from_object(config_class)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(app.root_path + "/translations"))

    from app import lifecycle, models, monitoring, recognition, rewards  # noqa: F401  (register mappers; subject adapters and operations)
    from app.api import bp as api_bp
    from app.enterprises import uscc_adapter, uscc_operations  # noqa: F401  (the claim to a USCC, issue 16 §8)
    from app.reporting import periodic  # noqa: F401  (the periodic report's subject adapter and worker pass)
    from app.services_desk import adapter as problem_adapter  # noqa: F401  (problems, issue 14)
    from app.web import register_web

    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)
    from app.api.openapi import docs_bp

    app.register_blueprint(docs_bp)  # /api/docs: the browsable OpenAPI document
    register_web(app)

    from app.cli import register_cli

    register_cli(app)
    if app.config["SQL_COUNT_HEADERS"]:  # bench mode only (bench/http_decisions.py)
        from app.core import sqlcount

        sqlcount.install(app, db)
    _transactions(app)
    if app.config["WORKER_IN_PROCESS"] and not app.testing:
        _start_worker(app)
    return app


def _start_worker(app: Flask) -> None:
    """The deadline watch in a daemon thread (for the single-process SQLite set-up; use
    `flask tierflow worker` as its own process in production)."""
    import threading
    import time

    def loop() -> None:
        from app.workflow import worker as escalation

        while True:
            time.sleep(app.config["WORKER_INTERVAL"])
            with app.app_context():
                try:
                    escalation.run_once()
                    db.session.commit()
                except Exception:  # keep watching; the next pass retries
                    db.session.rollback()
                    app.logger.exception("deadline watch failed")

    threading.Thread(target=loop, name="tierflow-worker", daemon=True).start()


def conflict_response():
    """A commit lost a race (duplicate key, concurrent change): 409, as JSON or as a page."""
    from flask import render_template
    from flask_babel import gettext as _

    message = _("Someone else changed the same data at the same time; reload and try again.")
    if request.path.startswith("/api/"):
        from app.api.errors import error_response

        return error_response(409, "conflict", message)
    return render_template("errors/error.html", status=409, message=message), 409


def _transactions(app: Flask) -> None:
    """One transaction per request: commit once when the answer is a success, else roll back."""

    @app.before_request
    def refuse_control_characters():
        # a NUL in a form field or the query string would reach the database (PostgreSQL refuses it with a 500)
        from flask_babel import gettext

        from app.core import text
        from app.core.errors import Invalid

        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            if any(text.has_controls(v) for v in request.form.values()):
                raise Invalid(gettext("Text may not contain control characters (such as NUL)."),
                              code="control_characters")
        if any(text.has_controls(v) for v in request.args.values()):
            raise Invalid(gettext("Text may not contain control characters (such as NUL)."),
                          code="control_characters")

    @app.after_request
    def commit_or_rollback(response):
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            return conflict_response()
        return response

    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def lost_race(_exc):
        # a duplicate or a concurrent change found at flush time: nothing is kept, the caller retries
        db.session.rollback()
        return conflict_response()

    @app.errorhandler(OperationalError)
    def database_busy(exc: OperationalError):
        # SQLite answers a write that lost a race with "database is locked", PostgreSQL picks a deadlock's
        # victim: a conflict the caller retries, not a crash
        db.session.rollback()
        if lost_to_another_transaction(exc):
            return conflict_response()
        raise exc

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()
