"""Views of the admin blueprint."""

from __future__ import annotations

from math import ceil

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.models import STATUSES
from app.web import xlsx
from app.web.admin import bp
from app.web.common import page_arg, role_required
from app.web.labels import status_label, step_label, tier_label
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


@bp.get("/applications.xlsx")
@role_required("admin")
def applications_export() -> ResponseReturnValue:
    """Every application with the page's status filter, as Excel."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    rows, _total = browse.all_applications(current_user, page=1, per_page=xlsx.EXPORT_MAX, status=status)
    columns = [xlsx.Column(_("No."), 8), xlsx.Column(_("Enterprise"), 36), xlsx.Column(_("USCC"), 22),
               xlsx.Column(_("Target tier"), 16), xlsx.Column(_("Status"), 12), xlsx.Column(_("Current step"), 18),
               xlsx.Column(_("Office"), 28), xlsx.Column(_("Updated"), 18, "yyyy-mm-dd hh:mm")]
    return xlsx.send("applications", _("All applications"), columns, (
        [a.id, a.enterprise.name, a.enterprise.uscc, tier_label(a.target_tier), status_label(a.status),
         step_label(task.step, task.step_name) if task else "", task.office.name if task and task.office else "",
         a.updated_at] for a, task in rows))
