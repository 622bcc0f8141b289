"""The application form, built from the indicator catalogue (app.recognition.indicators.INDICATORS)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, Field, IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import NumberInput

from app.models import TIERS
from app.recognition.indicators import BY_KEY, INDICATORS, Indicator
from app.web.forms_messages import InRange
from app.web.labels import CHOICE_LABELS, TIER_LABELS

# Sections of the form; every indicator key appears exactly once (tests check this).
GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = (
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

HELP = {
    "money": _l("In yuan (元), e.g. 12000000 for 1,200万."),
    "signed_money": _l("In yuan (元); a loss is negative."),
    "ratio": _l("A ratio between 0 and 1, e.g. 0.45 for 45%."),
    "count": _l("A whole number."),
    "level": _l("A whole number from 0 to 4."),
}
# a validator's message is %-formatted by WTForms (with min and max): its literal percent sign is doubled
RATIO_OUT_OF_RANGE = _l("A ratio between 0 and 1, e.g. 0.45 for 45%%.")
NEGATIVE = _l("Must not be negative.")
NOT_A_NUMBER = _l("Enter a number.")
NOT_WHOLE = _l("Enter a whole number.")


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
    number = {"description": help_text, "places": None, "invalid_value_message": NOT_A_NUMBER}
    if ind.kind == "ratio":
        return DecimalField(label, widget=NumberInput(step="any", min=0, max=1), **number,
                            validators=[Optional(), InRange(min=0, max=1, message=RATIO_OUT_OF_RANGE)])
    if ind.kind == "signed_money":
        return DecimalField(label, widget=NumberInput(step="any"), validators=[Optional()], **number)
    return DecimalField(label, widget=NumberInput(step="any", min=0), **number,
                        validators=[Optional(), InRange(min=0, message=NEGATIVE)])


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class ApplicationFormBase(FlaskForm):
    target_tier = SelectField(_l("Target tier"), choices=[SelectChoice(t, TIER_LABELS[t]) for t in TIERS],
                              validators=[InputRequired(_l("Choose the tier you apply for."))])
    save = SubmitField(_l("Save as draft"))
    check = SubmitField(_l("Save and self-check"))
    submit = SubmitField(_l("Submit for review"))

    groups = GROUPS
    indicators = BY_KEY
    # The indicators the rule set of `needed_tier` reads (app.recognition.eligibility.needed_keys).
    needed: frozenset[str] = frozenset()
    needed_tier: str | None = None

    def mark_needed(self, tier: str | None, keys: Iterable[str]) -> None:
        """Mark the fields the target tier's rule set needs (shown as a badge next to their labels)."""
        self.needed_tier = tier
        self.needed = frozenset(keys)

    def is_needed(self, key: str) -> bool:
        return key in self.needed

    def indicator_data(self) -> dict[str, Any]:
        """The indicators as the service expects them: empty fields are left out ("not given")."""
        data: dict[str, Any] = {}
        for ind in INDICATORS:
            value = self[ind.key].data
            if ind.kind == "bool":
                data[ind.key] = bool(value)
            elif value is not None and value != "":
                data[ind.key] = _plain(value)
        return data

    def wants_submit(self) -> bool:
        return bool(self.submit.data)

    def wants_check(self) -> bool:
        """Save, then show the self-check result (never together with submitting)."""
        return bool(self.check.data) and not self.wants_submit()


ApplicationForm: type[ApplicationFormBase] = type(
    "ApplicationForm", (ApplicationFormBase,), {ind.key: _field(ind) for ind in INDICATORS})
