"""The figures of a monitoring report, their labels and their checks (like the indicator data of an
application, app/recognition/indicators.py): money in yuan and not negative except the profit, counts whole
and not negative, R&D staff within the employees, main-business revenue within the revenue. Figures are
cumulative for the year to date; `*_prior` the same period of the year before."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import Invalid

MAX_YUAN = 10**15  # beyond any SME's figures; keeps BigInteger safe


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    kind: str  # money, signed_money, count
    required: bool = True


FIGURE_LIST: tuple[Figure, ...] = (
    Figure("revenue", _l("Revenue (year to date)"), "money"),
    Figure("revenue_prior", _l("Revenue, same period last year"), "money"),
    Figure("main_revenue", _l("Main-business revenue"), "money"),
    Figure("total_profit", _l("Total profit"), "signed_money"),
    Figure("tax_paid", _l("Taxes paid"), "money"),
    Figure("rd_expense", _l("R&D expense"), "money"),
    Figure("rd_expense_prior", _l("R&D expense, same period last year"), "money", required=False),
    Figure("exports", _l("Exports"), "money", required=False),
    Figure("financing", _l("Financing received"), "money", required=False),
    Figure("employees", _l("Employees"), "count"),
    Figure("rd_staff", _l("R&D staff"), "count"),
    Figure("patents", _l("Valid patents"), "count", required=False),
)
BY_KEY = {f.key: f for f in FIGURE_LIST}
MONEY = tuple(f.key for f in FIGURE_LIST if f.kind != "count")


def _whole(value: Any) -> int | None:
    """An int from an int or an integral float; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and value.is_integer():
        return int(value)
    return None


def validate(values: Any) -> dict[str, int | None]:
    """Figures in yuan (whole numbers) → the clean dict; 422 with a message per field on any problem."""
    if not isinstance(values, dict):
        raise Invalid(_("The figures must be a JSON object."), fields={"figures": _("an object")})
    errors: dict[str, str] = {}
    unknown = sorted(set(values) - set(BY_KEY))
    for key in unknown:
        errors[key] = _("unknown figure")
    clean: dict[str, int | None] = {}
    for figure in FIGURE_LIST:
        raw = values.get(figure.key)
        if raw is None or raw == "":
            clean[figure.key] = None
            if figure.required:
                errors[figure.key] = _("required")
            continue
        number = _whole(raw)
        if number is None:
            errors[figure.key] = _("a whole number of yuan") if figure.kind != "count" else _("a whole number")
        elif figure.kind != "signed_money" and number < 0:
            errors[figure.key] = _("must not be negative")
        elif abs(number) > MAX_YUAN:
            errors[figure.key] = _("too large")
        clean[figure.key] = number
    errors |= cross_checks(clean, errors)
    if errors:
        raise Invalid(_("The figures cannot be filed; check the marked fields."), fields=errors)
    return clean


def cross_checks(clean: dict[str, int | None], errors: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    staff, employees = clean.get("rd_staff"), clean.get("employees")
    if "rd_staff" not in errors and "employees" not in errors and staff is not None and employees is not None \
            and staff > employees:
        found["rd_staff"] = _("R&D staff cannot exceed the employees")
    main, revenue = clean.get("main_revenue"), clean.get("revenue")
    if "main_revenue" not in errors and "revenue" not in errors and main is not None and revenue is not None \
            and main > revenue:
        found["main_revenue"] = _("main-business revenue cannot exceed the revenue")
    return found


def wan_to_yuan(text: Any) -> int | None | str:
    """A 万元 amount typed in a form (two decimals at most) in yuan; None when empty; the text itself when it is
    not such a number (the check then words the problem)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        amount = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation:
        return str(text)
    try:  # 1e26 cannot be quantized to cents: it is no 万元 amount anyone types
        if not amount.is_finite() or abs(amount) >= Decimal(10) ** 12 or amount != amount.quantize(Decimal("0.01")):
            return str(text)
    except InvalidOperation:
        return str(text)
    return int(amount * 10000)


def yuan_to_wan(amount: int | None) -> str:
    return "" if amount is None else f"{Decimal(amount) / 10000:.2f}"


def change(current: int | None, prior: int | None) -> float | None:
    """Year-on-year change as a ratio (−0.25 for a quarter down); None without a usable base."""
    if current is None or not prior or prior <= 0:
        return None
    return round((current - prior) / prior, 4)
