"""Administrators' forms on process definitions and on one application's instance (each needs a reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
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
