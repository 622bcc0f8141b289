"""Log-in, log-out and enterprise self-registration."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from app.web.auth import views  # noqa: E402,F401
