"""Web blueprints (one per feature) and app-wide handlers."""

from __future__ import annotations

from flask import Flask, jsonify, request, send_from_directory
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.extensions import db, login_manager


def register_web(app: Flask) -> None:
    from app.models import User
    from app.web import forms_messages, headers, pages

    headers.register(app)
    forms_messages.install()  # one wording for validation messages (the app's catalogue first)

    @login_manager.user_loader
    def load_user(session_id: str):
        """The user of a session cookie, while its session key is current (logging out changes it)."""
        user_id, _sep, key = session_id.partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() and key else None
        return user if user is not None and user.session_key == key else None

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    @app.get("/favicon.ico")
    def favicon():
        """Browsers ask for it whatever the page's <link rel="icon"> says."""
        return send_from_directory(app.static_folder, "favicon.ico", max_age=86400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if request.path.startswith("/api/"):
            from app.api.errors import error_response

            codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request", 429: "rate_limited"}
            message = _("Too many attempts. Wait a while before trying again.") if exc.code == 429 else \
                exc.description or exc.name
            return error_response(exc.code or 500, codes.get(exc.code or 500, "error"), message)
        if exc.code is None or exc.code < 400 or exc.response is not None:
            return exc
        return pages.http_error_page(exc)

    pages.register(app)
