"""The application form, built from the indicator catalogue (app.recognition.indicators.INDICATORS).

People type money in 万元 (ten thousand yuan, two decimals, "8,650.00" with thousands separators) and ratios
in per cent (45 for 45 %); the service and the API keep yuan and 0–1 (DESIGN.md "Indicator data"). The fields
convert both ways, and each one echoes what was typed in words (app.web.amounts).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import NumberInput, TextInput

from app.models import TIERS
from app.recognition import indicators
from app.recognition.indicators import INDICATORS, Indicator
from app.web import amounts
from app.web.forms_messages import InRange
from app.web.labels import CHOICE_LABELS, TIER_LABELS

# Indicators a person never types: computed from others (主营业务收入占比 = main revenue / revenue). A flag
# `derived` on the catalogue's Indicator hides a field as well.
COMPUTED_IN_WEB: frozenset[str] = frozenset({"main_business_share"})


def typed(ind: Indicator) -> bool:
    """Whether a person types this indicator (not derived from others)."""
    return not getattr(ind, "derived", False) and ind.key not in COMPUTED_IN_WEB


def form_indicators() -> tuple[Indicator, ...]:
    return tuple(i for i in INDICATORS if typed(i))


# Sections of the form. An indicator the catalogue adds later (a third year of figures…) joins the section of
# the listed key it shares its first word with ("revenue_…" → finance), else the last section.
_SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_l("Finance"), (
        "revenue_last_year", "revenue_prev_year", "revenue_prev2_year", "main_revenue_last_year",
        "main_revenue_prev_year", "main_revenue_prev2_year", "main_product_revenue_last_year",
        "net_profit_last_year", "net_profit_prev_year", "net_profit_prev2_year", "operating_profit_last_year",
        "operating_profit_prev_year", "operating_profit_prev2_year", "total_profit_last_year",
        "profit_tax_last_year", "debt_ratio", "equity_financing_2y", "equity_financing_3y")),
    (_l("R&D and intellectual property"), (
        "rd_expense_last_year", "rd_expense_prev_year", "employees", "rd_staff", "invention_patents",
        "utility_patents", "class2_ip", "proprietary_technology", "ip_level", "rd_institution",
        "high_tech_enterprise", "sti_award")),
    (_l("Specialization and market"), (
        "track", "main_business_share", "niche_years", "national_market_share", "province_market_rank",
        "national_market_rank", "leader_supply_chain", "chain_key_link", "strategic_emerging", "own_brand",
        "city_brand")),
    (_l("Refined management"), ("digitalization_level", "quality_certifications")),
    (_l("Record and history"), ("clean_record_3y", "founded_year", "innovation_contest")),
)


def _stem(key: str) -> str:
    return key.split("_")[0]


def _groups() -> tuple[tuple[Any, tuple[str, ...]], ...]:
    keys = [i.key for i in form_indicators()]
    sections = [(label, [k for k in listed if k in keys]) for label, listed in _SECTIONS]
    listed = {k for _label, ks in sections for k in ks}
    for key in keys:
        if key in listed:
            continue
        home = next((ks for _label, ks in sections for k in ks if _stem(k) == _stem(key)), sections[-1][1])
        home.append(key)
    return tuple((label, tuple(ks)) for label, ks in sections if ks)


# every typed indicator key appears exactly once (tests check this)
GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = _groups()

HELP = {
    "money": _l("In 万元 (10,000 yuan), two decimals, e.g. 8,650.00 for 86,500,000 yuan."),
    "signed_money": _l("In 万元 (10,000 yuan), two decimals; a loss is negative."),
    "ratio": _l("In per cent, e.g. 45 for 45%."),
    "count": _l("A whole number."),
    "level": _l("A whole number from 0 to 4."),
}
# Validator messages are %-formatted by WTForms (with min and max): a literal percent sign is doubled.
# The conversion errors below are raised as ValueError in process_formdata and shown as they are.
NEGATIVE = _l("Must not be negative.")
NOT_WHOLE = _l("Enter a whole number.")
NOT_AN_AMOUNT = _l("Enter an amount in 万元, e.g. 8,650.00 (digits, a decimal point and thousands separators).")
TOO_PRECISE = _l("At most two decimals in 万元 (0.01 万元 is 100 yuan).")
NOT_A_PERCENTAGE = _l("Enter a percentage between 0 and 100, e.g. 45 for 45%.")
DECLARATION = _l("I declare that the data and the materials of this application are true, accurate and complete, "
                 "and accept the consequences of any false statement (真实性承诺).")
DECLARATION_MISSING = _l("Confirm the declaration of truthfulness to submit.")
MAX_WAN = Decimal(indicators.MAX_MAGNITUDE) / 10_000

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _clean(raw: str, *, suffixes: tuple[str, ...]) -> str:
    """Full-width digits and signs to ASCII, thousands separators and spaces out, a typed unit dropped."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "").replace("\u3000", "")
    for suffix in suffixes:
        text = text.removesuffix(suffix)
    return text.replace("−", "-")


class UnitField(StringField):
    """A number typed in the unit people use and kept in the service's unit (`data` is a Decimal in the latter).
    Subclasses say the unit (`unit`, the typed suffixes it drops), how to convert both ways and how to say it."""

    widget = TextInput()
    unit = ""
    suffixes: tuple[str, ...] = ()
    invalid: Any = ""  # the message for anything but a plain number

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {}).update({"inputmode": "decimal", "autocomplete": "off",
                                                   "data-unit": self.unit})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = _clean(str(valuelist[0] if valuelist else ""), suffixes=self.suffixes)
        if not text:
            return
        if not _NUMBER.match(text):
            raise ValueError(str(self.invalid))
        self.data = self.stored(Decimal(text))  # raises ValueError with its message

    def stored(self, typed: Decimal) -> Decimal:
        raise NotImplementedError

    def shown(self, value: Any) -> str:
        raise NotImplementedError

    def said(self, value: Any) -> str:
        raise NotImplementedError

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.shown(self.data) if self.data is not None else ""

    def echo(self) -> str:
        """What the field holds, in words (the line under it)."""
        return self.said(self.data) if self.data is not None and not self.errors else ""


class WanField(UnitField):
    """Money typed in 万元, kept in yuan."""

    unit, suffixes, invalid = "wan", ("万元", "万"), NOT_AN_AMOUNT

    def __init__(self, label: Any = None, validators: Any = None, signed: bool = False, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.signed = signed

    def stored(self, typed: Decimal) -> Decimal:
        if -typed.as_tuple().exponent > 4:  # up to the yuan (0.0001 万元), so figures from the API stay exact
            raise ValueError(str(TOO_PRECISE))
        if typed < 0 and not self.signed:
            raise ValueError(str(NEGATIVE))
        if abs(typed) > MAX_WAN:
            raise ValueError(str(amounts.too_large()))
        return typed * 10_000

    def shown(self, value: Any) -> str:
        return amounts.wan_text(value)

    def said(self, value: Any) -> str:
        return amounts.money_echo(value)


class PercentField(UnitField):
    """A ratio typed in per cent, kept as 0–1."""

    unit, suffixes, invalid = "percent", ("%", "％"), NOT_A_PERCENTAGE

    def stored(self, typed: Decimal) -> Decimal:
        if -typed.as_tuple().exponent > 8 or not (0 <= typed <= 100):
            raise ValueError(str(NOT_A_PERCENTAGE))
        return typed / 100

    def shown(self, value: Any) -> str:
        return amounts.percent_text(value)

    def said(self, value: Any) -> str:
        return amounts.percent_echo(value)


def _field(ind: Indicator) -> Field:
    label, help_text = ind.label, HELP.get(ind.kind, "")
    if ind.kind == "bool":
        return BooleanField(label)
    if ind.kind == "choice":
        choices = [SelectChoice("", _l("— not given —"))] + [
            SelectChoice(c, CHOICE_LABELS.get(c, c)) for c in ind.choices]
        return SelectField(label, choices=choices, validators=[Optional()])
    if ind.kind in ("count", "level"):
        top = int(ind.maximum) if ind.maximum is not None else None
        message = _l("A whole number from 0 to 4.") if top is not None else NEGATIVE
        return IntegerField(label, description=help_text, widget=NumberInput(step=1, min=0, max=top),
                            invalid_value_message=NOT_WHOLE,
                            validators=[Optional(), InRange(min=0, max=top, message=message)])
    if ind.kind == "ratio":
        return PercentField(label, description=help_text)
    return WanField(label, description=help_text, signed=ind.kind == "signed_money")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(round(value, 10))
    return value


def computed(data: dict[str, Any]) -> dict[str, Any]:
    """The indicators the form leaves out, computed from the typed ones while the catalogue does not derive them
    itself (主营业务收入占比 = main-business revenue / revenue, last year)."""
    out: dict[str, Any] = {}
    if "main_business_share" in indicators.BY_KEY and "main_business_share" not in indicators.DERIVED \
            and "main_business_share" in COMPUTED_IN_WEB:
        revenue, main = data.get("revenue_last_year"), data.get("main_revenue_last_year")
        if revenue is not None and main is not None and revenue > 0 and 0 <= main <= revenue:
            out["main_business_share"] = round(main / revenue, 10)
    return out


class ApplicationFormBase(FlaskForm):
    target_tier = SelectField(_l("Target tier"), choices=[SelectChoice(t, TIER_LABELS[t]) for t in TIERS],
                              validators=[InputRequired(_l("Choose the tier you apply for."))])
    save = SubmitField(_l("Save as draft"))
    check = SubmitField(_l("Save and self-check"))
    submit = SubmitField(_l("Submit for review"))
    declaration = BooleanField(DECLARATION)

    groups = GROUPS
    indicators = indicators.BY_KEY
    # The indicators the rule set of `needed_tier` reads (app.recognition.eligibility.needed_keys).
    needed: frozenset[str] = frozenset()
    needed_tier: str | None = None

    def mark_needed(self, tier: str | None, keys: Iterable[str]) -> None:
        """Mark the fields the target tier's rule set needs (shown as a badge next to their labels); a computed
        indicator marks the figures it is computed from."""
        self.needed_tier = tier
        keys = set(keys)
        if "main_business_share" in keys and "main_business_share" in COMPUTED_IN_WEB:
            keys |= {"revenue_last_year", "main_revenue_last_year"}
        self.needed = frozenset(keys)

    def is_needed(self, key: str) -> bool:
        return key in self.needed

    def indicator_data(self) -> dict[str, Any]:
        """The indicators as the service expects them (yuan, 0–1): empty fields are left out ("not given")."""
        data: dict[str, Any] = {}
        for ind in form_indicators():
            value = self[ind.key].data
            if ind.kind == "bool":
                data[ind.key] = bool(value)
            elif value is not None and value != "":
                data[ind.key] = _plain(value)
        return data | computed(data)

    def validate_declaration(self, field: Field) -> None:
        if self.wants_submit() and not field.data:
            raise ValidationError(str(DECLARATION_MISSING))

    def wants_submit(self) -> bool:
        return bool(self.submit.data)

    def wants_check(self) -> bool:
        """Save, then show the self-check result (never together with submitting)."""
        return bool(self.check.data) and not self.wants_submit()


ApplicationForm: type[ApplicationFormBase] = type(
    "ApplicationForm", (ApplicationFormBase,), {ind.key: _field(ind) for ind in form_indicators()})
