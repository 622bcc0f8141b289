"""Reviewers' office inbox and the decision page of a task."""

from flask import Blueprint

bp = Blueprint("inbox", __name__, template_folder="templates")

from app.web.inbox import views  # noqa: E402,F401
