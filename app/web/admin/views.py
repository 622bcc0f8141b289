"""Views of the admin blueprint."""

from __future__ import annotations

from math import ceil

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.models import STATUSES
from app.web.admin import bp
from app.web.common import page_arg, role_required
from app.workbench import browse


@bp.get("/applications")
@role_required("admin")
def applications() -> ResponseReturnValue:
    per_page = current_app.config["INBOX_PAGE_SIZE"]
    page = page_arg()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    rows, total = browse.all_applications(current_user, page=page, per_page=per_page, status=status)
    return render_template("admin/applications.html", rows=rows, total=total, page=page,
                           pages=max(ceil(total / per_page), 1), status=status, statuses=STATUSES)
