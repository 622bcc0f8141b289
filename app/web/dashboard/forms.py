"""The admin's target forms: edit a target's value, range and note; add a target."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.vocabulary import TargetMetric

WHOLE = NumberRange(min=0, max=10**9, message=_l("A whole number from 0 to 1,000,000,000."))


class TargetForm(FlaskForm):
    value = IntegerField(_l("Target"), validators=[InputRequired(), WHOLE],
                         description=_l("A count, or a percentage for a level (a ratio to hold)"))
    value_max = IntegerField(_l("Target (upper end)"), validators=[Optional(), WHOLE],
                             description=_l("Optional: the top of a range such as 2–5"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)], render_kw={"rows": 3})

    def values(self) -> dict[str, object]:
        return {"value": self.value.data, "value_max": self.value_max.data, "note": self.note.data or None}


class NewTargetForm(TargetForm):
    region_code = SelectField(_l("Region"), validators=[DataRequired()])
    metric = SelectField(_l("Metric"), validators=[DataRequired()],
                         choices=[SelectChoice(code, name) for code, name in TargetMetric.labels().items()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    basis = SelectField(_l("Counted as"), choices=[
        SelectChoice("stock", _l("Stock by the end of the year")), SelectChoice("new", _l("New in the year")),
        SelectChoice("level", _l("A level to hold (per cent)"))], validators=[DataRequired()])
    base_year = IntegerField(_l("First year of the plan"), validators=[Optional(), NumberRange(min=2000, max=2100)],
                             description=_l("Expected progress is pro rata from 1 January of this year"))
    clause = TextAreaField(_l("Policy clause"), validators=[DataRequired(), Length(max=300)], render_kw={"rows": 2})

    def values(self) -> dict[str, object]:
        return super().values() | {"region_code": self.region_code.data, "metric": self.metric.data,
                                   "year": self.year.data, "basis": self.basis.data,
                                   "base_year": self.base_year.data, "clause": self.clause.data or ""}
