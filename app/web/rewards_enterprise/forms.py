"""Forms of the rewards pages: a claim an enterprise files, an addition to a fund's budget (in 万元)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.web.rewards_enterprise.labels import WAN


class ClaimForm(FlaskForm):
    """The choices are the policies that apply to the enterprise now; the service decides what is posted (a
    policy that does not apply answers 422, one claimed before 409)."""

    policy = SelectField(_l("Reward"), choices=[], validate_choice=False,
                         validators=[DataRequired(_l("Choose the reward you claim."))])
    evidence = TextAreaField(
        _l("What was achieved, and its proof"), render_kw={"rows": 4},
        description=_l("For example: listed on the NEEQ in May 2026, stock code 874001; or the certificate number "
                       "of the technology centre."),
        validators=[DataRequired(_l("Say what was achieved and where the proof is.")), Length(max=4000)])
    submit = SubmitField(_l("File the claim"))


class BudgetForm(FlaskForm):
    amount = DecimalField(_l("Amount to add (10,000 yuan)"), places=None,
                          validators=[DataRequired(_l("Enter an amount in 10,000 yuan, e.g. 500.")),
                                      NumberRange(min=Decimal("0.0001"), max=Decimal("10000000"),
                                                  message=_l("Enter a positive amount of at most 10,000,000."))])
    year = IntegerField(_l("Budget year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    note = StringField(_l("Note (e.g. the budget document)"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Add to the budget"))

    def validate_amount(self, field: DecimalField) -> None:
        if field.data is not None and (field.data * WAN) != (field.data * WAN).to_integral_value():
            raise ValidationError(_l("At most four decimals: the amount is kept to the yuan."))

    def yuan(self) -> int:
        return int(self.amount.data * WAN)
