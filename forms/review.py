"""A reviewer's decision on a task."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

DECISION_CHOICES = [
    SelectChoice("approve", _l("Approve / recommend")),
    SelectChoice("return", _l("Return for amendment")),
    SelectChoice("reject", _l("Reject")),
]


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=DECISION_CHOICES,
                          validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Comment / reason"), validators=[Length(max=4000)],
                            description=_l("Required when returning or rejecting: the enterprise sees it."))
    submit = SubmitField(_l("Submit decision"))

    def validate_comment(self, field: TextAreaField) -> None:
        if self.decision.data in ("return", "reject") and not (field.data or "").strip():
            raise ValidationError(_l("A reason is required to return or reject."))
