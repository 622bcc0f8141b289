"""How the register's codes read on screen and in the PDFs (English msgids, Chinese through the catalogue)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.vocabulary import CaseKind, CaseOutcome, MembershipStatus, RecognitionStatus, RevocationGround
from app.lifecycle import libraries, names, register
from app.web.labels import ACTION_LABELS, datetime_cn, label
from app.web.register import bp

RECOGNITION_STATUS_LABELS = RecognitionStatus.labels()
RECOGNITION_STATUS_BADGES = {"active": "text-bg-success", "under_review": "text-bg-warning",
                             "expired": "text-bg-secondary", "exited": "text-bg-dark", "revoked": "text-bg-danger"}
MEMBERSHIP_STATUS_LABELS = MembershipStatus.labels()
CASE_KIND_LABELS = CaseKind.labels()
GROUND_LABELS = RevocationGround.labels()
OUTCOME_LABELS = CaseOutcome.labels()
OUTCOME_BADGES = {"kept": "text-bg-success", "downgraded": "text-bg-warning", "exited": "text-bg-danger",
                  "revoked": "text-bg-danger", "dismissed": "text-bg-secondary", "unchanged": "text-bg-light"}
CASE_STATUS_LABELS = {"open": _l("Case open"), "closed": _l("Case closed")}
SOURCE_LABELS = {"application": _l("Application"), "downgrade": _l("Downgrade from the tier above"),
                 "office": _l("Entered by an office"), "demo": _l("Demo data"), "test": _l("Test data")}
# what the register's and the lifecycle cases' audit entries say (register.history, cases.history): the
# one list both the register's and the lifecycle pages read
HISTORY_LABELS = {
    "recognition_recorded": _l("Recorded in the register"),
    "recognition_kept": _l("Kept after re-verification"),
    "recognition_renewed": _l("Validity renewed"),
    "recognition_under_review": _l("Under review: a revocation is pending"),
    "recognition_restored": _l("Active again: the revocation was dismissed"),
    "recognition_expired": _l("Validity expired"),
    "recognition_exited": _l("Exited the register"),
    "recognition_revoked": _l("Recognition revoked"),
    "register_unchanged": _l("Register unchanged: the entry had already ended"),
    "campaign_opened": _l("Re-verification campaign opened"),
    "campaign_updates_closed": _l("Updates closed by the office"),
    "case_opened": _l("Case opened"),
    "case_data_updated": _l("Yearly data sent"),
    "case_response": _l("The enterprise stated its case"),
    "case_closed": _l("Case closed"),
    "case_ended": _l("Case ended"),
    "deadline_missed": _l("Deadline missed: proposed for exit"),
    "timer_reminder": _l("Deadline reminder"),
    "timer_overdue": _l("Deadline passed"),
    "library_entered": _l("Entered the library"),
    "library_kept": _l("Kept in the library"),
    "library_exited": _l("Left the library"),
    "keep": _l("Decision: keep"),
    "downgrade": _l("Decision: downgrade"),
    "exit": _l("Decision: exit"),
    "revoke": _l("Decision: revoke"),
    "dismiss": _l("Decision: dismiss"),
}


def history_label(action: str) -> str:
    return label(HISTORY_LABELS, action) if action in HISTORY_LABELS else label(ACTION_LABELS, action)


def sees_entry(entry: Any) -> bool:
    """Whether the signed-in office (or the admin) may open the register entry's own page."""
    user = current_user
    if not user.is_authenticated:
        return False
    return user.role == "admin" or (user.role == "reviewer" and user.office is not None
                                    and register.office_sees(user.office, entry.enterprise))


def iso_cn(value: str | None) -> str:
    """An ISO 8601 time of a history entry in the configured zone (Asia/Shanghai), e.g. 2025-03-01 14:05."""
    return datetime_cn(datetime.fromisoformat(value)) if value else ""


GLOBALS = {
    "iso_cn": iso_cn,
    "recognition_status_label": lambda code: label(RECOGNITION_STATUS_LABELS, code),
    "recognition_status_badge": lambda code: RECOGNITION_STATUS_BADGES.get(code, "text-bg-light"),
    "membership_status_label": lambda code: label(MEMBERSHIP_STATUS_LABELS, code),
    "case_kind_label": lambda code: label(CASE_KIND_LABELS, code),
    "case_status_label": lambda code: label(CASE_STATUS_LABELS, code),
    "case_outcome_label": lambda code: label(OUTCOME_LABELS, code),
    "case_outcome_badge": lambda code: OUTCOME_BADGES.get(code, "text-bg-light"),
    "ground_label": lambda code: label(GROUND_LABELS, code),
    "source_label": lambda code: label(SOURCE_LABELS, code),
    "history_label": history_label,
    "jurisdiction_tier_label": names.tier_label,  # (tier, region): the tier as that jurisdiction calls it
    "library_label": libraries.label,
    "sees_entry": sees_entry,
}
for _name, _function in GLOBALS.items():
    bp.add_app_template_global(_function, _name)
