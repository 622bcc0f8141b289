"""The reviewer's checklist: criteria no figure can show (kind `reviewer_judged` in a rule set: 省内领先,
四新特点, 管理规范…). They never block submission; on a review step each is ticked as met, or marked not met
with a reason — and then the application cannot be approved at that step (return or reject it)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.errors import Invalid
from app.core.vocabulary import StepKind
from app.models import Application, HumanTask

MAX_REASON = 500


def items(application: Application) -> list[dict[str, Any]]:
    """The reviewer-judged criteria of the application's latest evaluation: [{id, name, threshold}]."""
    return list((application.evaluation or {}).get("reviewer_judged") or [])


def applies(task: HumanTask) -> bool:
    return task.kind == StepKind.DECISION and task.state == "open" and bool(items(task.application))


def check(task: HumanTask, decision: str, checklist: Any) -> dict[str, dict[str, Any]] | None:
    """The cleaned checklist for the decision, or 422. To approve, every item is ticked met; to return or reject,
    items may stay unjudged, and one marked not met needs its reason. None when the step has no checklist, or
    when a client decides without one (the API's decision body is `{"decision", "comment"}`; optional there)."""
    if not applies(task) or checklist is None:
        return None
    judged = {item["id"]: item for item in items(task.application)}
    if not isinstance(checklist, dict):
        raise Invalid(_("The checklist must be an object: item → {met, reason}."),
                      fields={"checklist": _("must be an object")})
    errors: dict[str, str] = {}
    cleaned: dict[str, dict[str, Any]] = {}
    for key in checklist:
        if key not in judged:
            errors[f"checklist.{key}"] = _("not an item of this application's checklist")
    for key, item in judged.items():
        entry = checklist.get(key)
        met = entry.get("met") if isinstance(entry, dict) else entry
        reason = entry.get("reason") if isinstance(entry, dict) else None
        reason = reason.strip() if isinstance(reason, str) else ""
        if met is None and decision != "approve":
            continue  # returning or rejecting does not need every item judged
        if not isinstance(met, bool):
            errors[f"checklist.{key}"] = _("tick it as met or not met")
        elif not met and not reason:
            errors[f"checklist.{key}"] = _("say why it is not met")
        elif len(reason) > MAX_REASON:
            errors[f"checklist.{key}"] = _("at most %(n)d characters", n=MAX_REASON)
        cleaned[key] = {"name": item["name"], "met": met, "reason": reason or None}
    if errors:
        raise Invalid(_("Complete the checklist: %(items)s",
                        items=_(", ").join(judged[k.split(".", 1)[1]]["name"] if k.split(".", 1)[1] in judged
                                           else k for k in errors)), fields=errors, code="checklist_incomplete")
    unmet = [v["name"] for v in cleaned.values() if not v["met"]]
    if decision == "approve" and unmet:
        raise Invalid(_("Not met: %(items)s. Return or reject the application with the reason.",
                        items=_(", ").join(unmet)), code="checklist_not_met", fields={"decision": _("not approve")})
    return cleaned
