"""Forms of the periodic report screens; the service (app.reporting.periodic) checks everything again and its
field errors come back onto these."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from app.core.vocabulary import Decision
from app.models import SECTIONS, HumanTask
from app.reporting.periodic import SECTION_MAX

HELP = {
    "achievements": _l("What the city achieved in the period: recognitions, libraries, enterprises served."),
    "measures": _l("The practical measures taken: visits, problems solved, funds."),
    "methods": _l("New ways of working worth passing on."),
    "policies": _l("Policies issued or breakthroughs made in the period."),
}


class ReportForm(FlaskForm):
    achievements = TextAreaField(_l("Work results"), validators=[Length(max=SECTION_MAX)], render_kw={"rows": 5})
    measures = TextAreaField(_l("Practical measures"), validators=[Length(max=SECTION_MAX)], render_kw={"rows": 5})
    methods = TextAreaField(_l("Innovative working methods"), validators=[Length(max=SECTION_MAX)],
                            render_kw={"rows": 5})
    policies = TextAreaField(_l("Breakthrough policy measures"), validators=[Length(max=SECTION_MAX)],
                             render_kw={"rows": 5})
    lock_version = HiddenField()
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit to the province"))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: self[key].data or "" for key in SECTIONS}
        out["lock_version"] = self.lock_version.data or None
        return out


class ReportDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[], validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Reason"), validators=[Length(max=2000)],
                            description=_l("Required to return the report; the reporter sees it."))
    decide = SubmitField(_l("Submit decision"))

    def set_task(self, task: HumanTask) -> None:
        self.decision.choices = [
            SelectChoice(value, label or (Decision(value).label if value in Decision.values() else value))
            for value, label in (task.actions or [])]


class OpenPeriodForm(FlaskForm):
    schedule = SelectField(_l("Report schedule"), choices=[], validators=[InputRequired()])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    period = SelectField(_l("Reporting period"), choices=[], validators=[InputRequired()])
    open_now = SubmitField(_l("Open now"))
