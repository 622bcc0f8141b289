"""The public notice (公示): applications about to be recognized, open to objections from anyone (no log-in)."""

from flask import Blueprint

bp = Blueprint("notices", __name__, template_folder="templates")

from app.web.notices import views  # noqa: E402,F401
