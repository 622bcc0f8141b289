"""Problems (问题诉求, issue 14): the enterprise's 我的诉求 (/my/problems: raise, follow, confirm or reopen), the
offices' problem inbox with filters and Excel export (/problems), and the problem page with its timeline and the
action form for whoever holds it. Thin wrappers around app.services_desk.problems."""

from flask import Blueprint

bp = Blueprint("problems", __name__, template_folder="templates")

from app.web.problems import views  # noqa: E402,F401


@bp.app_context_processor
def _helpers() -> dict:
    from flask_babel import lazy_gettext as _l

    from app.core.vocabulary import ProblemCategory, ProblemLevel, ProblemStatus, Sector

    actions = {
        "problem_raised": _l("Problem raised"),
        "problem_resolve": _l("Resolved"),
        "problem_escalate": _l("Escalated to the level above"),
        "problem_confirm": _l("Confirmed by the enterprise (closed)"),
        "problem_reopen": _l("Reopened by the enterprise"),
        "problem_flagged_up": _l("Overdue: flagged to the level above"),
        "problem_closed_unanswered": _l("Closed without a confirmation"),
        "timer_reminder": _l("Deadline reminder"),
        "timer_overdue": _l("Deadline passed"),
        "timer_timer": _l("Confirmation period ended"),
    }

    def problem_action(code: str) -> str:
        return str(actions.get(code, code))

    def problems_waiting() -> int:
        """Problems waiting for the logged-in reviewer's office (the navigation badge)."""
        from flask_login import current_user

        from app.services_desk import problems

        return problems.waiting_count(current_user) if current_user.is_authenticated else 0

    return {"problem_action": problem_action, "problems_waiting": problems_waiting,
            "problem_categories": ProblemCategory.labels(), "problem_levels": ProblemLevel.labels(),
            "problem_statuses": ProblemStatus.labels(), "problem_sectors": Sector.labels()}
