"""How rewards read on screen: claim statuses and triggers in words, yuan shown in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import format_decimal

from app.core.vocabulary import ClaimStatus, RewardTrigger
from app.web.labels import CLAIM_STATUS_BADGES, TIER_LABELS, label
from app.web.rewards_enterprise import bp

WAN = 10_000
TRIGGER_LABELS = RewardTrigger.labels()


def in_wan(yuan: Any) -> str:
    """An amount in yuan shown in 万元 (10000 yuan), without trailing zeros: 100000 → 10, 12345 → 1.2345."""
    if yuan is None:
        return "—"
    value = Decimal(int(yuan)) / WAN
    return format_decimal(value, format="#,##0.####")


def wan_number(yuan: int) -> float:
    """For the chart: yuan as a number of 万元."""
    return float(Decimal(int(yuan)) / WAN)


@bp.app_template_global("claim_status_label")
def claim_status_label(status: str) -> str:
    return label(ClaimStatus.labels(), status)


@bp.app_template_global("claim_status_badge")
def claim_status_badge(status: str) -> str:
    return CLAIM_STATUS_BADGES.get(status, "text-bg-light")


def what_label(what: str) -> str:
    """A by-tier-and-year row's tier (a recognition's reward) or trigger (listing, technology centre…)."""
    return str(TIER_LABELS.get(what) or TRIGGER_LABELS.get(what) or what)


@bp.app_template_global("trigger_label")
def trigger_label(trigger: str) -> str:
    return str(TRIGGER_LABELS.get(trigger, trigger))


@bp.app_template_filter("in_wan")
def in_wan_filter(yuan: Any) -> str:
    return in_wan(yuan)
