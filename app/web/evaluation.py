"""How an eligibility evaluation (app.recognition.eligibility.evaluate) reads on screen.

A criterion's `value` is the indicator (or derived indicator) it reads, or a dict of several of them,
or None when not given. Ratios are 0–1 and shown as percentages, money (yuan) in 万元.
"""

from __future__ import annotations

from numbers import Number
from typing import Any

from flask_babel import format_decimal, format_percent, gettext

from app.extensions import db
from app.models import Region
from app.recognition.indicators import BY_KEY, DERIVED, DERIVED_KINDS
from app.web.labels import CHOICE_LABELS, label

PREFIXES = ("direct_", "hard_", "score_", "e_")


def input_kind(key: str | None) -> str | None:
    if key in BY_KEY and key not in DERIVED:
        return BY_KEY[key].kind
    return DERIVED_KINDS.get(key) if key else None


def input_label(key: str) -> str:
    """The Chinese name of an indicator or derived indicator key (no unit)."""
    if key in BY_KEY:
        return str(BY_KEY[key].label)
    return str(DERIVED[key]) if key in DERIVED else key


def format_value(value: Any, key: str | None = None, kind: str | None = None) -> str:
    """One value: yes/no, a choice label, a percentage, an amount in 万元 or a number with its unit."""
    kind = kind or input_kind(key)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str):
        return label(CHOICE_LABELS, value)
    if not isinstance(value, Number):
        return str(value)
    if kind == "ratio":
        return format_percent(value, "#,##0.##%")
    if kind in ("money", "signed_money"):
        return gettext("%(amount)s × 10k yuan", amount=format_decimal(value / 10_000, "#,##0.##"))
    unit = BY_KEY[key].unit if key in BY_KEY else ""
    number = format_decimal(value, "#,##0.##") if key not in BY_KEY or BY_KEY[key].grouping else str(value)
    return gettext("%(number)s %(unit)s", number=number, unit=unit) if unit else number


def _guess_key(criterion: dict[str, Any]) -> tuple[str | None, str | None]:
    """(key, kind) of a single-input criterion's value: by its id, the wording of its threshold, or a key
    its id names (the evaluation does not say which indicator a criterion read)."""
    item = str(criterion.get("id") or "")
    stem = item
    for prefix in PREFIXES:
        stem = stem.removeprefix(prefix)
    for candidate in (item, stem):
        if input_kind(candidate):
            return candidate, input_kind(candidate)
    threshold = str(criterion.get("threshold") or "")
    if "%" in threshold or "％" in threshold:
        return None, "ratio"
    if "元" in threshold:
        return None, "money"
    keys = (*BY_KEY, *DERIVED)
    for key in keys:
        if stem and (key.startswith(f"{stem}_") or stem.endswith(f"_{key}")):
            return key, input_kind(key)
    head = stem.split("_")[0]
    candidates = [key for key in keys if head and key.startswith(f"{head}_")]
    if candidates and len({input_kind(key) for key in candidates}) == 1:  # e.g. niche_3y → niche_years
        return candidates[0], input_kind(candidates[0])
    return None, None


def criterion_value(criterion: dict[str, Any]) -> str:
    """The value a criterion was judged on, readable; several inputs as 'label: value; …'."""
    value = criterion.get("value")
    if isinstance(value, dict):
        if not value:
            return "—"
        return gettext("; ").join(
            gettext("%(field)s: %(problem)s", field=input_label(key), problem=format_value(v, key))
            for key, v in value.items())
    key, kind = _guess_key(criterion)
    return format_value(value, key, kind)


def shown_groups(groups: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Every group: its score against its maximum and minimum, and whether all its conditions are met."""
    return list(groups or [])


def missing_labels(keys: list[str] | None) -> list[str]:
    return [input_label(key) for key in keys or []]


def region_name(code: str | None) -> str:
    if not code:
        return ""
    region = db.session.get(Region, code)
    return region.name if region is not None else code


TEMPLATE_GLOBALS = {
    "criterion_value": criterion_value,
    "missing_labels": missing_labels,
    "region_name": region_name,
    "shown_groups": shown_groups,
}
