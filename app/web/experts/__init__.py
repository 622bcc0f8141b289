"""The expert's workbench (专家评审): the panel tasks drawn for the expert and the blind scoring page."""

from flask import Blueprint

bp = Blueprint("experts", __name__, url_prefix="/expert", template_folder="templates")

from app.web.experts import views  # noqa: E402,F401
