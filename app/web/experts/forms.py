"""An expert's score on a panel task (专家评审)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import NumberInput

from app.recognition.experts import SCORE_RANGE

LOW, HIGH = SCORE_RANGE


class ScoreForm(FlaskForm):
    score = FloatField(_l("Score"), widget=NumberInput(step="0.1", min=LOW, max=HIGH),
                       validators=[InputRequired(_l("Give a score from 0 to 100.")),
                                   NumberRange(LOW, HIGH, _l("Give a score from 0 to 100."))],
                       description=_l("From 0 to 100; one decimal place is kept."))
    comment = TextAreaField(_l("Opinion"), validators=[DataRequired(_l("A short opinion is required with the score.")),
                                                       Length(max=2000)],
                            description=_l("Your reasons for the score. Only the province sees the panel's "
                                           "mean and spread; no one else sees your name with your score."))
    submit = SubmitField(_l("Submit score"))


class RecuseForm(FlaskForm):
    """回避: the expert steps back from a panel task, with the reason (a conflict of interest is recorded)."""

    reason = TextAreaField(_l("Reason for stepping back"),
                           validators=[DataRequired(_l("Give the reason for stepping back.")), Length(max=500)],
                           description=_l("E.g. a business or family link with the enterprise. You will not be "
                                          "drawn for this enterprise again; another expert takes over."))
    recuse = SubmitField(_l("Step back (recuse)"))
