"""How codes read on screen (English msgids, Chinese through the catalogue) and display helpers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_datetime, format_decimal, format_percent, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import ApplicationStatus, AssignmentStatus, Sector, Tier, TimerKind, TimerState
from app.recognition import numbers
from app.recognition.indicators import BY_KEY
from app.recognition.timeline import waiting

TIER_LABELS = Tier.labels()
STATUS_LABELS = ApplicationStatus.labels()
STATUS_BADGES = {
    "draft": "text-bg-secondary", "in_review": "text-bg-primary", "returned": "text-bg-warning",
    "recognized": "text-bg-success", "rejected": "text-bg-danger", "withdrawn": "text-bg-dark",
}
TIMER_KIND_LABELS = TimerKind.labels()
TIMER_STATE_LABELS = TimerState.labels()
ACTION_LABELS = {
    "create": _l("Draft created"),
    "update": _l("Changes saved"),
    "submit": _l("Application submitted"),
    "resubmit": _l("Resubmitted"),
    "approve": _l("Approved / recommended"),
    "return": _l("Returned for amendment"),
    "reject": _l("Rejected"),
    "recognized": _l("Closed: recognized"),
    "rejected": _l("Closed: not recognized"),
    "withdraw": _l("Withdrawn"),
    "claim": _l("Task claimed"),
    "release": _l("Task released"),
    "hand_over": _l("Task handed over"),
    "reassign_in_office": _l("Task reassigned in the office"),
    "attach": _l("Document uploaded"),
    "reminder": _l("Deadline reminder"),
    "overdue": _l("Overdue, reported upward"),
    "spot_check_draw": _l("Spot-check draw"),
    "spot_check_result": _l("On-site check result"),
    "suspend": _l("Suspended"),
    "resume": _l("Resumed"),
    "reassign": _l("Reassigned to another office"),
    "move_back": _l("Moved back to an earlier step"),
    "migrate": _l("Moved to another process version"),
    "expert_panel_drawn": _l("Expert panel drawn"),
    "expert_scored": _l("An expert gave a score"),
    "expert_recused": _l("An expert stepped back; another expert took over"),
    "expert_missed": _l("An expert did not score in time"),
    "objection_raised": _l("Objection raised"),
    "public_notice_ended": _l("Public notice period ended"),
    "notice_published": _l("Published on the public notice page"),
    "binding_added": _l("Process binding added"),
    "binding_deleted": _l("Process binding deleted"),
    "routing_rule_added": _l("Routing rule added"),
    "routing_rule_deleted": _l("Routing rule deleted"),
    "handed_up": _l("Overdue, handed up to the next office"),
    "timer_failed": _l("A timer could not fire"),
}
SECTOR_LABELS = Sector.labels()
DOC_TYPE_LABELS = {
    "application_form": _l("Application form"),
    "business_license": _l("Business licence"),
    "audit_report": _l("Audit report"),
    "social_insurance": _l("Proof of social insurance payments"),
    "ip_certificate": _l("Intellectual property certificates"),
    "direct_condition": _l("Evidence for a direct recognition condition"),
    "truthfulness_statement": _l("Declaration of truthfulness"),
    "compliance_pledge": _l("Pledge of lawful operation"),
    "other": _l("Other"),
}
NOTICE_LABELS = {
    "task_arrived": _l("New task"),
    "returned": _l("Returned for amendment"),
    "recognized": _l("Recognized"),
    "rejected": _l("Not recognized"),
    "digest": _l("Daily digest"),
    "reminder": _l("Deadline reminder"),
    "overdue": _l("Overdue"),
    "objection": _l("Objection"),
    "case_closed": _l("Re-verification or revocation closed"),
    "secretary_assigned": _l("Enterprise to serve"),
    "expiry_notice": _l("Recognition expiring"),
}
# a reward claim's status: one colour on the offices' and the enterprise's pages
CLAIM_STATUS_BADGES = {
    "checking": "text-bg-secondary", "waiting_base": "text-bg-secondary", "in_review": "text-bg-primary",
    "finance_review": "text-bg-info", "awaiting_payment": "text-bg-warning", "paid": "text-bg-success",
    "rejected": "text-bg-danger", "reversed": "text-bg-dark",
}
ROLE_LABELS = {"enterprise": _l("Applicant enterprise"), "reviewer": _l("Reviewer"), "admin": _l("Administrator"),
               "expert": _l("Expert"), "leader": _l("Leading group (read-only)"),
               "reporter": _l("Information reporter"), "secretary": _l("Service secretary")}
# An objection raised during the public notice, by the province's decision on its review.
OBJECTION_STATE_LABELS = {
    "open": _l("Under review"),
    "dismissed": _l("Dismissed"),
    "superseded": _l("Superseded (moved back by an administrator)"),
    "upheld": _l("Upheld"),
    "returned": _l("Returned to the enterprise"),
}
OBJECTION_STATE_BADGES = {"open": "text-bg-warning", "dismissed": "text-bg-secondary", "upheld": "text-bg-danger",
                          "returned": "text-bg-info"}
# How an expert's panel task ended.
EXPERT_RESULT_LABELS = {"scored": _l("Scored"), "missed": _l("Not scored in time"), "cancelled": _l("Withdrawn"),
                        "recused": _l("Stepped back (recused)")}
CHOICE_LABELS = {
    "none": _l("None"),
    "class1_high_value": _l("High-value Class I IP"),
    "class1_self_developed": _l("Self-developed Class I IP"),
    "class1": _l("Class I IP"),
    "class2": _l("Class II IP only"),
    "below_city": _l("Below city level"),
    "city": _l("City level"),
    "provincial": _l("Provincial level"),
    "national": _l("National level"),
    # tracks: the alternative columns of a standard (004 附件1/2/4/5)
    "manufacturing": _l("Manufacturing"),
    "innovation": _l("Innovation"),
    "product": _l("Specialized product"),
    "enterprise": _l("Little giant enterprise"),
}
STATE_LABELS = {
    "done": _l("Done"),
    "current": _l("In progress"),
    "returned": _l("Returned"),
    "rejected": _l("Rejected"),
    "pending": _l("To come"),
    "skipped": _l("Not reached"),
}


def step_label(step: str | None, name: str | None = None) -> str:
    """A step as the BPMN names it: its `name_en` property in English, else its name; else `name`, the id."""
    if not step:
        return name or ""
    from app.workflow import definitions

    item = definitions.step_catalog().get(step)
    if item is None:
        return name or step
    if item.get("name_en") and str(get_locale() or "zh").startswith("en"):
        return item["name_en"]
    return item["name"] or name or step


def label(mapping: dict[str, Any], code: str | None) -> str:
    if code is None:
        return ""
    return str(mapping.get(code, code))


def datetime_cn(value: datetime | None) -> str:
    """A time in the configured zone (Asia/Shanghai), e.g. 2025-03-01 14:05."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def duration(delta: timedelta | None) -> str:
    """'2 days 3 hours' / '3 hours 5 minutes' / '4 minutes' (two largest units)."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)s day", "%(num)s days", days))
    if hours or days:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if not days:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", minutes))
    return " ".join(parts)


def waiting_since(since: datetime | None) -> str:
    """'waiting 2 days 3 hours' (已等待 2 天 3 小时)."""
    if since is None:
        return ""
    return gettext("waiting %(age)s", age=duration(waiting(since)))


def age(since: datetime | None) -> str:
    return duration(waiting(since))


def indicator_label(key: str) -> str:
    ind = BY_KEY.get(key)
    if ind is None:
        return key
    return f"{ind.label}（{ind.unit}）" if ind.unit else str(ind.label)


def indicator_value(key: str, value: Any) -> str:
    ind = BY_KEY.get(key)
    if value is None:
        return "—"
    if ind is None:
        return str(value)
    if ind.kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if ind.kind == "choice":
        return label(CHOICE_LABELS, value)
    if ind.kind == "ratio":
        return f"{format_decimal(value, '0.####')}（{format_percent(value, '#,##0.##%')}）"
    if ind.kind in ("money", "signed_money"):
        return format_decimal(value, "#,##0.##")
    return format_decimal(value) if ind.grouping else str(value)


def tier_label(code: str | None) -> str:
    return label(TIER_LABELS, code)


def status_label(code: str | None) -> str:
    return label(STATUS_LABELS, code)


TEMPLATE_GLOBALS = {
    "tier_label": tier_label,
    "status_label": status_label,
    "status_badge": lambda code: STATUS_BADGES.get(code, "text-bg-light"),
    "step_label": step_label,
    "timer_kind_label": lambda code: label(TIMER_KIND_LABELS, code),
    "timer_state_label": lambda code: label(TIMER_STATE_LABELS, code),
    "action_label": lambda code: label(ACTION_LABELS, code),
    "sector_label": lambda code: label(SECTOR_LABELS, code),
    "role_label": lambda code: label(ROLE_LABELS, code),
    "assignment_status_label": lambda code: label(AssignmentStatus.labels(), code),
    "state_label": lambda code: label(STATE_LABELS, code),
    "objection_state_label": lambda code: label(OBJECTION_STATE_LABELS, code),
    "objection_state_badge": lambda code: OBJECTION_STATE_BADGES.get(code, "text-bg-light"),
    "expert_result_label": lambda code: label(EXPERT_RESULT_LABELS, code),
    "indicator_label": indicator_label,
    "indicator_value": indicator_value,
    "waiting_since": waiting_since,
    "age": age,
    "app_no": numbers.label,  # 2026-220602-0007, or #id for a draft
}
TEMPLATE_FILTERS = {"datetime_cn": datetime_cn, "duration": duration}
