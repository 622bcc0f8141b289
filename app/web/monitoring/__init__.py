"""运行监测 pages: the enterprise files its figures (/my/monitoring); offices open periods, read response rates,
export, download the template and import it, and follow up alerts (/monitoring)."""

from flask import Blueprint

bp = Blueprint("monitoring", __name__, template_folder="templates")

from app.web.monitoring import enterprise, views  # noqa: E402,F401


@bp.app_context_processor
def _helpers() -> dict:
    from app.core.vocabulary import MonitoringAlert, MonitoringFrequency, MonitoringStatus
    from app.monitoring import figures, periods, reports

    def follow_ups_waiting() -> int:
        from flask_login import current_user

        return reports.follow_up_count(current_user) if current_user.is_authenticated else 0

    def monitoring_waiting_for_me() -> int:
        """Reports the logged-in enterprise still has to file."""
        from flask_login import current_user

        if not current_user.is_authenticated or current_user.role != "enterprise":
            return 0
        return reports.waiting_count(current_user)

    return {"monitoring_waiting_for_me": monitoring_waiting_for_me, "monitoring_period_label": periods.label,
            "monitoring_status_labels": MonitoringStatus.labels(),
            "monitoring_alert_labels": MonitoringAlert.labels(),
            "monitoring_frequency_labels": MonitoringFrequency.labels(), "monitoring_figures": figures.FIGURE_LIST,
            "wan": figures.yuan_to_wan, "monitoring_follow_ups_waiting": follow_ups_waiting}
