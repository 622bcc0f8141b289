"""Lifecycle work after recognition: re-verification campaigns (动态管理), the office's re-verification and
revocation tasks, proposing a revocation, and the enterprise's yearly update and statement (年度复核)."""

from flask import Blueprint

bp = Blueprint("lifecycle", __name__, template_folder="templates", url_prefix="/lifecycle")

from app.web.lifecycle import display, enterprise, views  # noqa: E402,F401


@bp.app_context_processor
def _campaign_title() -> dict:
    from app.lifecycle import campaigns

    return {"campaign_title": campaigns.title}
