"""Opening a call for applications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

DEADLINE_PREFIX = "deadline_"


class CallForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    tier = SelectField(_l("Tier"), validators=[DataRequired()])
    region_code = SelectField(_l("Jurisdiction"), validators=[DataRequired()])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    rule_set = SelectField(_l("Judged by the rule set"), validators=[Optional()],
                           description=_l("Leave empty to judge by the rule set in force in each jurisdiction."))
    steps: list[tuple[str, str]] = []

    def deadlines(self) -> dict[str, int]:
        return {step: self[DEADLINE_PREFIX + step].data for step, _label in self.steps
                if self[DEADLINE_PREFIX + step].data}


def call_form(steps: list[tuple[str, str]]) -> CallForm:
    """The form with one deadline field (working days) per step the processes declare a deadline for."""

    class Form(CallForm):
        pass

    Form.steps = steps
    for step, label in steps:
        setattr(Form, DEADLINE_PREFIX + step, IntegerField(
            _l("%(step)s (working days)", step=label), validators=[Optional(), NumberRange(1, 120)]))
    return Form()
