"""The enterprise's form to raise a problem and the action form of whoever holds one; both are checked again by
the service, whose field errors come back onto them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.core.vocabulary import Decision, ProblemCategory
from app.models import HumanTask

REQUIRED = _l("This field is required.")
ACTION_LABELS = {
    "resolve": _l("Resolved: answer the enterprise"),
    "escalate": _l("Escalate to the level above"),
    "confirm": _l("Solved: confirm and close"),
    "reopen": _l("Not solved: reopen"),
}


class RaiseForm(FlaskForm):
    category = SelectField(_l("Category"), choices=[], validators=[InputRequired(REQUIRED)])
    text = TextAreaField(_l("Describe the problem"), validators=[InputRequired(REQUIRED), Length(max=4000)],
                         render_kw={"rows": 5},
                         description=_l("What is the difficulty and what help you need; the service team of "
                                        "your sector answers."))
    file = FileField(_l("A document (optional: PDF, PNG or JPEG)"))
    submit = SubmitField(_l("Raise the problem"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice(c.value, c.label) for c in ProblemCategory]

    def values(self) -> dict[str, Any]:
        return {"category": self.category.data, "text": self.text.data or ""}


class ActionForm(FlaskForm):
    action = RadioField(_l("Action"), choices=[], validators=[InputRequired(_l("Choose an action."))])
    comment = TextAreaField(_l("Answer or reason"), validators=[Length(max=4000)], render_kw={"rows": 4},
                            description=_l("Required to resolve (the answer), escalate or reopen (the reason)."))
    submit = SubmitField(_l("Submit"))

    def set_task(self, task: HumanTask) -> None:
        self.action.choices = [SelectChoice(value, ACTION_LABELS.get(value) or Decision(value).label)
                               for value, _label in (task.actions or [])]

    def values(self) -> dict[str, Any]:
        return {"action": self.action.data, "comment": self.comment.data or ""}
