"""Administration pages (all applications)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

from app.web.admin import views  # noqa: E402,F401
