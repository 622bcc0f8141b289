"""The indicator keys of an application's `data` (DESIGN.md "Indicator data") and their checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import Invalid


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Any
    kind: str  # money, signed_money, count, ratio, level, bool, choice
    unit: Any = ""
    choices: tuple[str, ...] = ()
    maximum: float | None = None


IP_LEVELS = ("class1_high_value", "class1_self_developed", "class1", "class2", "none")
RD_INSTITUTIONS = ("none", "below_city", "city", "provincial", "national")
STI_AWARDS = ("none", "provincial", "national")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("revenue_last_year", _l("Revenue, last year"), "money", _l("yuan")),
    Indicator("revenue_prev_year", _l("Revenue, year before"), "money", _l("yuan")),
    Indicator("main_revenue_last_year", _l("Main-business revenue, last year"), "money", _l("yuan")),
    Indicator("main_revenue_prev_year", _l("Main-business revenue, year before"), "money", _l("yuan")),
    Indicator("rd_expense_last_year", _l("R&D expense, last year"), "money", _l("yuan")),
    Indicator("rd_expense_prev_year", _l("R&D expense, year before"), "money", _l("yuan")),
    Indicator("net_profit_last_year", _l("Net profit, last year"), "signed_money", _l("yuan")),
    Indicator("employees", _l("Employees"), "count", _l("people")),
    Indicator("rd_staff", _l("R&D staff"), "count", _l("people")),
    Indicator("debt_ratio", _l("Debt ratio"), "ratio"),
    Indicator("main_business_share", _l("Main business share of revenue"), "ratio"),
    Indicator("niche_years", _l("Years in the niche market"), "count", _l("years")),
    Indicator("invention_patents", _l("Class I IP items (invention patents)"), "count"),
    Indicator("class2_ip", _l("Class II IP items"), "count"),
    Indicator("ip_level", _l("Best IP held"), "choice", choices=IP_LEVELS),
    Indicator("strategic_emerging", _l("Main product in a strategic emerging industry"), "bool"),
    Indicator("high_tech_enterprise", _l("Valid high-tech enterprise certificate"), "bool"),
    Indicator("rd_institution", _l("R&D institution"), "choice", choices=RD_INSTITUTIONS),
    Indicator("equity_financing_2y", _l("New equity financing, 2 years"), "money", _l("yuan")),
    Indicator("equity_financing_3y", _l("New equity financing, 3 years"), "money", _l("yuan")),
    Indicator("digitalization_level", _l("Digitalization level (0-4)"), "level", maximum=4),
    Indicator("quality_certifications", _l("Quality awards, certifications and standards"), "count"),
    Indicator("national_market_share", _l("Share of the national niche market"), "ratio"),
    Indicator("own_brand", _l("Own brand"), "bool"),
    Indicator("sti_award", _l("Science and technology award in 3 years"), "choice", choices=STI_AWARDS),
)
BY_KEY = {i.key: i for i in INDICATORS}

# What every tier needs before an application can be submitted. The tier criteria add their own.
REQUIRED_ON_SUBMIT: tuple[str, ...] = ("revenue_last_year", "rd_expense_last_year", "employees")


MAX_MAGNITUDE = 10**15  # yuan (a thousand trillion), people, patents: far beyond any enterprise


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(ind: Indicator, value: Any) -> str | None:
    if value is None:
        return None
    if ind.kind == "bool":
        return None if isinstance(value, bool) else _("must be true or false")
    if ind.kind == "choice":
        return None if value in ind.choices else _("must be one of: %(choices)s", choices=", ".join(ind.choices))
    if not _is_number(value) or not math.isfinite(value):  # NaN, ±Infinity
        return _("must be a number")
    if abs(value) > MAX_MAGNITUDE:
        return _("must be at most %(max)s", max=MAX_MAGNITUDE)
    if ind.kind in ("count", "level") and int(value) != value:
        return _("must be a whole number")
    if ind.kind != "signed_money" and value < 0:
        return _("must not be negative")
    if ind.kind == "ratio" and value > 1:
        return _("is a ratio between 0 and 1")
    if ind.maximum is not None and value > ind.maximum:
        return _("must be at most %(max)s", max=ind.maximum)
    return None


def validate(data: Any) -> dict[str, Any]:
    """Check keys, types and consistency; return the cleaned data or raise Invalid (422)."""
    if not isinstance(data, dict):
        raise Invalid(_("Indicator data must be an object."), fields={"data": _("must be an object")})
    errors: dict[str, str] = {}
    for key, value in data.items():
        ind = BY_KEY.get(key)
        if ind is None:
            errors[key] = _("unknown indicator")
            continue
        problem = _check_value(ind, value)
        if problem:
            errors[key] = problem
    if not errors:
        employees, rd_staff = data.get("employees"), data.get("rd_staff")
        if employees is not None and rd_staff is not None and rd_staff > employees:
            errors["rd_staff"] = _("R&D staff cannot exceed the number of employees")
        for year in ("last_year", "prev_year"):
            total, main = data.get(f"revenue_{year}"), data.get(f"main_revenue_{year}")
            if total is not None and main is not None and main > total:
                errors[f"main_revenue_{year}"] = _("main-business revenue cannot exceed revenue")
    if errors:
        detail = _("; ").join(f"{BY_KEY[k].label if k in BY_KEY else k}: {v}" for k, v in errors.items())
        raise Invalid(_("Invalid indicator data: %(detail)s", detail=detail), fields=errors)
    return {k: v for k, v in data.items() if v is not None}


def labels(keys: list[str]) -> str:
    """Readable names of indicator keys, for messages."""
    return _(", ").join(str(BY_KEY[k].label) if k in BY_KEY else k for k in keys)


def missing_for_submit(data: dict[str, Any]) -> list[str]:
    return [k for k in REQUIRED_ON_SUBMIT if data.get(k) is None]


def _ratio(numerator: Any, denominator: Any) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return round(numerator / denominator, 10)


def _growth(last: Any, prev: Any) -> float | None:
    if last is None or prev is None or prev <= 0:
        return None
    return round((last - prev) / prev, 10)


# Derived indicators: computed here and nowhere else. Ratios are 0–1, rounded to 10 places so a
# value on a band boundary (5 %, 15 %) lands on it exactly.
DERIVED: dict[str, Any] = {
    "rd_ratio": _l("R&D expense / revenue, last year"),
    "rd_ratio_prev": _l("R&D expense / revenue, year before"),
    "rd_ratio_min_2y": _l("Lower of the two years' R&D expense / revenue"),
    "rd_ratio_avg_2y": _l("R&D expense / revenue over two years"),
    "rd_expense_total_2y": _l("R&D expense, two years together"),
    "rd_expense_avg_2y": _l("R&D expense, two-year average"),
    "revenue_growth": _l("Revenue growth"),
    "main_revenue_growth": _l("Main-business revenue growth"),
    "rd_staff_share": _l("R&D staff / employees"),
    "net_margin": _l("Net profit / revenue"),
}


# The indicators each derived indicator is computed from.
DERIVED_SOURCES: dict[str, tuple[str, ...]] = {
    "rd_ratio": ("rd_expense_last_year", "revenue_last_year"),
    "rd_ratio_prev": ("rd_expense_prev_year", "revenue_prev_year"),
    "rd_ratio_min_2y": ("rd_expense_last_year", "revenue_last_year", "rd_expense_prev_year", "revenue_prev_year"),
    "rd_ratio_avg_2y": ("rd_expense_last_year", "revenue_last_year", "rd_expense_prev_year", "revenue_prev_year"),
    "rd_expense_total_2y": ("rd_expense_last_year", "rd_expense_prev_year"),
    "rd_expense_avg_2y": ("rd_expense_last_year", "rd_expense_prev_year"),
    "revenue_growth": ("revenue_last_year", "revenue_prev_year"),
    "main_revenue_growth": ("main_revenue_last_year", "main_revenue_prev_year"),
    "rd_staff_share": ("rd_staff", "employees"),
    "net_margin": ("net_profit_last_year", "revenue_last_year"),
}


def sources(keys: set[str] | list[str] | tuple[str, ...]) -> list[str]:
    """The indicator keys an enterprise has to fill in so that `keys` (indicators or derived) are known."""
    raw: dict[str, None] = {}
    for key in keys:
        for source in DERIVED_SOURCES.get(key, (key,)):
            raw.setdefault(source, None)
    return [i.key for i in INDICATORS if i.key in raw]


def derive(data: dict[str, Any]) -> dict[str, Any]:
    """The indicator data plus every derived indicator that can be computed from it."""
    get = data.get
    rd_last, rd_prev = get("rd_expense_last_year"), get("rd_expense_prev_year")
    rev_last, rev_prev = get("revenue_last_year"), get("revenue_prev_year")
    both = rd_last is not None and rd_prev is not None
    out = dict(data)
    out.update({
        "rd_ratio": _ratio(rd_last, rev_last),
        "rd_ratio_prev": _ratio(rd_prev, rev_prev),
        "rd_ratio_avg_2y": _ratio(rd_last + rd_prev, rev_last + rev_prev)
        if both and rev_last is not None and rev_prev is not None else None,
        "rd_expense_total_2y": rd_last + rd_prev if both else None,
        "rd_expense_avg_2y": (rd_last + rd_prev) / 2 if both else None,
        "revenue_growth": _growth(rev_last, rev_prev),
        "main_revenue_growth": _growth(get("main_revenue_last_year"), get("main_revenue_prev_year")),
        "rd_staff_share": _ratio(get("rd_staff"), get("employees")),
        "net_margin": _ratio(get("net_profit_last_year"), rev_last),
    })
    ratios = [out["rd_ratio"], out["rd_ratio_prev"]]
    out["rd_ratio_min_2y"] = min(ratios) if None not in ratios else None
    return out


def input_keys() -> set[str]:
    """Every key a rule set may read: the indicators and the derived indicators."""
    return set(BY_KEY) | set(DERIVED)
