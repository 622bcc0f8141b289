"""Administrators' forms: process definitions, one application's instance (each needs a reason), process
bindings, routing rules and reward policies."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

REASON_REQUIRED = _l("A reason is required.")


def reason_field() -> TextAreaField:
    return TextAreaField(_l("Reason"), validators=[DataRequired(REASON_REQUIRED), Length(max=500)],
                         render_kw={"rows": 2})


class MigrateForm(FlaskForm):
    """Run the migration of one version's running instances to another (after the dry run)."""

    from_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    to_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    reason = reason_field()
    submit = SubmitField(_l("Move the instances that can move"))


class SuspendForm(FlaskForm):
    reason = reason_field()
    submit = SubmitField(_l("Suspend"))


class ResumeForm(FlaskForm):
    reason = reason_field()
    submit = SubmitField(_l("Resume"))


class ReassignForm(FlaskForm):
    office = SelectField(_l("Office"), validate_choice=False, validators=[DataRequired(_l("Choose an office."))])
    reason = reason_field()
    submit = SubmitField(_l("Reassign"))


class MoveBackForm(FlaskForm):
    step = SelectField(_l("Back to step"), validate_choice=False, validators=[DataRequired(_l("Choose a step."))])
    reason = reason_field()
    submit = SubmitField(_l("Move back"))


class BindingForm(FlaskForm):
    process_name = SelectField(_l("Process"), validators=[DataRequired()])  # `process` is a Form method
    definition_key = SelectField(_l("Definition"), validators=[DataRequired()])
    tier = SelectField(_l("Tier"), validators=[Optional()])
    region_code = SelectField(_l("Jurisdiction"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    effective_from = DateField(_l("Effective from"), validators=[Optional()])
    requires_tier = SelectField(_l("Requires an active recognition at"), validators=[Optional()])
    requires_library = SelectField(_l("Requires membership of the library"), validators=[Optional()])
    clause = StringField(_l("Policy clause"), validators=[Optional(), Length(max=200)],
                         description=_l("Where the requirement comes from, e.g. 001 §二(一)4"))

    def values(self) -> dict[str, object]:
        return {"process": self.process_name.data, "definition_key": self.definition_key.data, "tier": self.tier.data,
                "region_code": self.region_code.data, "sector": self.sector.data,
                "effective_from": self.effective_from.data, "requires_tier": self.requires_tier.data,
                "requires_library": self.requires_library.data, "clause": self.clause.data}


class RoutingRuleForm(FlaskForm):
    lane = SelectField(_l("Lane"), validators=[DataRequired()])
    region_code = SelectField(_l("Jurisdiction"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    office_code = SelectField(_l("Office"), validators=[DataRequired()])

    def values(self) -> dict[str, object]:
        return {"lane": self.lane.data, "region_code": self.region_code.data, "sector": self.sector.data,
                "office_code": self.office_code.data}


WAN = 10_000
MAX_WAN = Decimal(100_000_000)  # 1万亿元: far above any reward


def wan_amount(form: FlaskForm, field: DecimalField) -> None:
    """An amount in 万元 with at most four decimals (a whole number of yuan)."""
    value = field.data
    if value is None:
        return
    if not value.is_finite() or abs(value) > MAX_WAN:
        raise ValidationError(_l("Enter an amount in units of 10,000 yuan."))
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValidationError(_l("At most four decimals (one yuan is 0.0001)."))


def yuan(value: Decimal | None) -> int | None:
    """万元 as whole yuan (the form allows four decimals)."""
    return None if value is None else int(value * WAN)


class RewardPolicyForm(FlaskForm):
    """The admin edits a reward policy; amounts are typed in 万元 and stored in yuan."""

    amount = DecimalField(_l("Amount (10,000 yuan)"), places=None, validators=[Optional(), wan_amount],
                          description=_l("Up to four decimals, e.g. 5 or 1.2345"))
    cap = DecimalField(_l("Cap (10,000 yuan)"), places=None, validators=[Optional(), wan_amount],
                       description=_l("Optional: the most one claim pays"))
    active = BooleanField(_l("The policy is active"))
    effective_from = DateField(_l("Effective from"), validators=[Optional()])
    effective_until = DateField(_l("Effective until"), validators=[Optional()])
    clause = TextAreaField(_l("Policy clause"), validators=[DataRequired(), Length(max=300)], render_kw={"rows": 3})
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])

    def values(self, *, matching: bool) -> dict[str, object]:
        """What policies.update takes: yuan, ISO dates; a matching policy's amount is not the form's."""
        values: dict[str, object] = {
            "cap": yuan(self.cap.data), "active": bool(self.active.data),
            "effective_from": self.effective_from.data.isoformat() if self.effective_from.data else None,
            "effective_until": self.effective_until.data.isoformat() if self.effective_until.data else None,
            "clause": self.clause.data or "", "name": self.name.data or ""}
        if not matching:
            values["amount"] = yuan(self.amount.data)
        return values
