"""Administrators' forms: process definitions, one application's instance (each needs a reason), process
bindings and routing rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
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
