"""How lifecycle codes and records read on the lifecycle pages: outcomes, history actions, the register entry
of a case, and the history rows of register.history / cases.history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core.vocabulary import CaseKind, RecognitionStatus, RevocationGround, StepKind
from app.lifecycle import cases, libraries, names
from app.models import HumanTask, LifecycleCase
from app.web.labels import label
from app.web.lifecycle import bp
from app.web.register.labels import OUTCOME_BADGES, OUTCOME_LABELS, RECOGNITION_STATUS_BADGES, history_label

ENTERPRISE_KINDS = (StepKind.DATA_UPDATE.value, StepKind.RESPONSE.value)


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
        "lc_status_badge": lambda code: RECOGNITION_STATUS_BADGES.get(code, "text-bg-light"),
        "lc_kind_label": lambda code: label(CaseKind.labels(), code),
        "lc_ground_label": lambda code: label(RevocationGround.labels(), code),
        "lc_action_label": history_label,
        "lc_tier_label": lambda tier, region: names.tier_label(tier, region),
        "lc_member_label": member_label,
        "library_label": libraries.label,
        "lc_documents": cases.documents,
    }
