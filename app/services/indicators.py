"""The indicator keys of an application's `data` (DESIGN.md "Indicator data") and their checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.services.errors import Invalid


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


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_value(ind: Indicator, value: Any) -> str | None:
    if value is None:
        return None
    if ind.kind == "bool":
        return None if isinstance(value, bool) else _("must be true or false")
    if ind.kind == "choice":
        return None if value in ind.choices else _("must be one of: %(choices)s", choices=", ".join(ind.choices))
    if not _is_number(value) or value != value:  # NaN
        return _("must be a number")
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
