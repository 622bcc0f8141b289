"""Calls for applications (申报批次): list, open, progress."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/admin/calls", template_folder="templates")

from app.web.calls import views  # noqa: E402,F401
