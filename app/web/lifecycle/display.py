"""How lifecycle codes and records read on the lifecycle pages: outcomes, history actions, the register entry
of a case, and the history rows of register.history / cases.history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core.vocabulary import CaseKind, Decision, RecognitionStatus, RevocationGround, StepKind
from app.lifecycle import cases, libraries, names
from app.models import HumanTask, LifecycleCase
from app.web.labels import ACTION_LABELS, label
from app.web.lifecycle import bp

OUTCOME_LABELS = {
    "kept": _l("Kept"),
    "downgraded": _l("Downgraded"),
    "exited": _l("Exited"),
    "revoked": _l("Revoked"),
    "dismissed": _l("Dismissed: the recognition stands"),
}
OUTCOME_BADGES = {"kept": "text-bg-success", "downgraded": "text-bg-warning", "exited": "text-bg-danger",
                  "revoked": "text-bg-danger", "dismissed": "text-bg-secondary"}
STATUS_BADGES = {"active": "text-bg-success", "under_review": "text-bg-warning", "expired": "text-bg-secondary",
                 "exited": "text-bg-dark", "revoked": "text-bg-danger"}
CASE_ACTION_LABELS = {
    "campaign_opened": _l("Re-verification campaign opened"),
    "case_opened": _l("Case opened"),
    "case_data_updated": _l("Yearly data sent"),
    "case_response": _l("The enterprise stated its case"),
    "case_closed": _l("Case closed"),
    "case_ended": _l("Case ended"),
    "deadline_missed": _l("Deadline missed: proposed for exit"),
    "timer_reminder": _l("Deadline reminder"),
    "timer_overdue": _l("Deadline passed"),
    "recognition_recorded": _l("Recorded in the register"),
    "recognition_kept": _l("Kept after re-verification"),
    "recognition_exited": _l("Exited the register"),
    "recognition_revoked": _l("Recognition revoked"),
    "recognition_expired": _l("Validity ended"),
    "recognition_under_review": _l("Under review: a revocation is pending"),
    "recognition_restored": _l("Active again: the revocation was dismissed"),
    "recognition_renewed": _l("Validity renewed"),
} | {code: lab for code, lab in Decision.labels().items() if code not in ACTION_LABELS}
ENTERPRISE_KINDS = (StepKind.DATA_UPDATE.value, StepKind.RESPONSE.value)


def action_label(code: str | None) -> str:
    return label(CASE_ACTION_LABELS, code) if code in CASE_ACTION_LABELS else label(ACTION_LABELS, code)


def events(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """History rows with their time as a datetime (the services give ISO text)."""
    return [row | {"at": datetime.fromisoformat(row["at"]) if isinstance(row.get("at"), str) else row.get("at")}
            for row in rows]


def member_label(case: LifecycleCase) -> str:
    """What the case is about: the tier as the jurisdiction calls it, or the library."""
    if case.recognition is not None:
        return names.tier_label(case.recognition.tier, case.enterprise.region)
    return libraries.label(case.membership.library) if case.membership is not None else ""


def enterprise_task(case: LifecycleCase, tasks: list[HumanTask]) -> HumanTask | None:
    """The open task waiting for the enterprise (update its data, state its case), if any."""
    return next((t for t in tasks if t.office_id is None and t.kind in ENTERPRISE_KINDS), None)


@bp.context_processor
def lifecycle_labels() -> dict[str, Any]:
    return {
        "lc_outcome_label": lambda code: label(OUTCOME_LABELS, code),
        "lc_outcome_badge": lambda code: OUTCOME_BADGES.get(code, "text-bg-light"),
        "lc_status_label": lambda code: label(RecognitionStatus.labels(), code),
        "lc_status_badge": lambda code: STATUS_BADGES.get(code, "text-bg-light"),
        "lc_kind_label": lambda code: label(CaseKind.labels(), code),
        "lc_ground_label": lambda code: label(RevocationGround.labels(), code),
        "lc_action_label": action_label,
        "lc_tier_label": lambda tier, region: names.tier_label(tier, region),
        "lc_member_label": member_label,
        "library_label": libraries.label,
        "lc_documents": cases.documents,
    }
