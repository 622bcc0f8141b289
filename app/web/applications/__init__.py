"""An enterprise's applications (dashboard, form, submit) and the status page every role can open."""

from flask import Blueprint

bp = Blueprint("applications", __name__, template_folder="templates")

from app.web.applications import diagram, views  # noqa: E402,F401
