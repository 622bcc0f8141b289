"""Forms of the service-desk screens; app.services_desk checks everything again and its field errors come back
onto these fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.core import workdays


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


class AssignForm(FlaskForm):
    uscc = StringField(_l("Enterprise USCC"), validators=[InputRequired(_l("Enter the enterprise's USCC.")),
                                                          Length(max=18)],
                       description=_l("The 18-character unified social credit code of a firm of your jurisdiction."))
    secretary = SelectField(_l("Service secretary"), choices=[],
                            validators=[InputRequired(_l("Choose a service secretary."))])
    leader_name = StringField(_l("Linked leader"), validators=[Optional(), Length(max=64)],
                              description=_l("Optional: the leader linked to the firm (挂钩服务)."))
    leader_post = StringField(_l("Leader's post"), validators=[Optional(), Length(max=128)])
    starts_on = DateField(_l("Start date"), validators=[InputRequired(_l("Enter the start date."))])
    ends_on = DateField(_l("End date"), validators=[Optional()], description=_l("Optional: the planned end."))
    submit = SubmitField(_l("Assign"))

    def prefill(self) -> None:
        if not self.is_submitted() and self.starts_on.data is None:
            self.starts_on.data = workdays.china_date()

    def values(self) -> dict[str, Any]:
        return {"secretary": self.secretary.data, "leader_name": self.leader_name.data or None,
                "leader_post": self.leader_post.data or None, "starts_on": _iso(self.starts_on.data),
                "ends_on": _iso(self.ends_on.data)}


class EndForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("End assignment"))


class VisitForm(FlaskForm):
    visited_on = DateField(_l("Visit date"), validators=[InputRequired(_l("Enter the day of the visit."))],
                           description=_l("Not in the future."))
    visitors = StringField(_l("Who went"), validators=[InputRequired(_l("Say who went on the visit.")),
                                                       Length(max=200)])
    notes = TextAreaField(_l("What was discussed"),
                          validators=[InputRequired(_l("Write what was discussed.")), Length(max=4000)])
    problems = TextAreaField(_l("Problems raised"), validators=[Optional(), Length(max=4000)],
                             description=_l("Difficulties the enterprise reported, if any."))
    next_due_on = DateField(_l("Next visit due"), validators=[Optional()])
    submit = SubmitField(_l("Log the visit"))

    def prefill(self, visitor: str) -> None:
        if not self.is_submitted():
            self.visited_on.data = self.visited_on.data or workdays.china_date()
            self.visitors.data = self.visitors.data or visitor

    def values(self) -> dict[str, Any]:
        return {"visited_on": _iso(self.visited_on.data), "visitors": self.visitors.data,
                "notes": self.notes.data, "problems": self.problems.data or None,
                "next_due_on": _iso(self.next_due_on.data)}
