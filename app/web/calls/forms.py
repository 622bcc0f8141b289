"""Opening and editing a call for applications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from app.web.forms_messages import REQUIRED, InRange

DEADLINE_PREFIX = "deadline_"


class CallForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=200)])
    tier = SelectField(_l("Tier"), validators=[InputRequired(REQUIRED)])
    region_code = SelectField(_l("Jurisdiction"), validators=[InputRequired(REQUIRED)])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(REQUIRED)])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(REQUIRED)])
    rule_set = SelectField(_l("Judged by the rule set"), validators=[Optional()],
                           description=_l("Leave empty to judge by the rule set in force in each jurisdiction."))
    steps: list[tuple[str, str]] = []

    def deadlines(self) -> dict[str, int]:
        return {step: self[DEADLINE_PREFIX + step].data for step, _label in self.steps
                if self[DEADLINE_PREFIX + step].data}


def call_form(steps: list[tuple[str, str]], call=None) -> CallForm:
    """The form with one deadline field (working days) per step the processes declare a deadline for; filled from
    `call` when editing one (its tier and jurisdiction are then fixed)."""

    class Form(CallForm):
        pass

    Form.steps = steps
    for step, label in steps:
        setattr(Form, DEADLINE_PREFIX + step, IntegerField(
            _l("%(step)s (working days)", step=label), validators=[Optional(), InRange(1, 120)]))
    if call is None:
        return Form()
    data = {DEADLINE_PREFIX + step: days for step, days in (call.step_deadlines or {}).items()}
    form = Form(data=dict(data, name=call.name, tier=call.tier, region_code=call.region_code,
                          opens_on=call.opens_on, closes_on=call.closes_on))
    return form
