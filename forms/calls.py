"""Opening a call for applications."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

STEP_FIELDS = (("county_review", _l("County review (working days)")), ("city_review", _l("City review (working days)")),
               ("province_review", _l("Province review (working days)")),
               ("national_review", _l("National review (working days)")))


class CallForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    tier = SelectField(_l("Tier"), validators=[DataRequired()])
    region_code = SelectField(_l("Jurisdiction"), validators=[DataRequired()])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on"), validators=[DataRequired()])
    county_review = IntegerField(STEP_FIELDS[0][1], validators=[Optional(), NumberRange(1, 120)])
    city_review = IntegerField(STEP_FIELDS[1][1], validators=[Optional(), NumberRange(1, 120)])
    province_review = IntegerField(STEP_FIELDS[2][1], validators=[Optional(), NumberRange(1, 120)])
    national_review = IntegerField(STEP_FIELDS[3][1], validators=[Optional(), NumberRange(1, 120)])

    def deadlines(self) -> dict[str, int]:
        return {step: self[step].data for step, _label in STEP_FIELDS if self[step].data}
