"""In-app notices: the list behind the navigation bar's bell, opening one, marking them read."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import Notification
from app.org import office
from app.recognition import experts
from app.web.common import safe_next
from app.web.workbench import bp
from app.web.workbench.responses import back
from app.workbench import notifications


def _expert_tasks() -> dict[int, int] | None:
    """For an expert: application id → the expert's open panel task on it (None for anyone else)."""
    return experts.open_task_ids(current_user) if current_user.role == "expert" else None


def _target(notice: Notification, expert_tasks: dict[int, int] | None = None) -> str | None:
    """Where a notice leads: the office's open task for a reviewer, the panel task for an expert (who may
    not open the application itself), else the application's status page."""
    if expert_tasks is not None:
        task_id = expert_tasks.get(notice.application_id) if notice.application_id is not None else None
        return url_for("experts.task", task_id=task_id) if task_id else url_for("experts.index")
    if notice.application_id is None:
        return url_for("inbox.index") if current_user.role == "reviewer" else None
    task = office.open_task_for(current_user, notice.application_id)
    if task is not None:
        return url_for("inbox.task", task_id=task.id)
    return url_for("applications.detail", application_id=notice.application_id)


@bp.get("/notifications")
@login_required
def notifications_page() -> ResponseReturnValue:
    expert_tasks = _expert_tasks()
    items = [(n, _target(n, expert_tasks)) for n in notifications.recent(current_user)]
    return render_template("workbench/notifications.html", items=items,
                           unread=notifications.unread_count(current_user))


@bp.get("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark one of the user's notices read and follow it (only the user's own notices change)."""
    notifications.mark_read(current_user, [notification_id])
    return redirect(safe_next(request.args.get("to"), url_for("workbench.notifications_page")))


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> ResponseReturnValue:
    marked = notifications.mark_read(current_user)
    flash(_("%(n)s notices marked as read.", n=marked) if marked else _("No unread notices."), "success")
    return back(url_for("workbench.notifications_page"))
