"""The reviewer's workbench in the web UI: claims, bulk decisions, saved filters, evidence, comments, notices.

The views here answer the POST forms of the inbox, task and status pages (and the downloads and the
notices page); the partial templates they serve (app/templates/partials/claim_bar.html, evidence.html,
comments.html, …) read their data through the helpers of `context`.
"""

from flask import Blueprint

bp = Blueprint("workbench", __name__, template_folder="templates")

from app.web.workbench import context, evidence, notices, tasks  # noqa: E402,F401
