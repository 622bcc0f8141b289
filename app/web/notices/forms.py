"""An objection to an application under public notice (公示异议); anyone may file one, no log-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.recognition.notices import LIMITS

REQUIRED = _l("This field is required.")


class ObjectionForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(REQUIRED), Length(max=LIMITS["name"])])
    contact = StringField(_l("Contact (telephone or e-mail)"),
                          validators=[DataRequired(REQUIRED), Length(max=LIMITS["contact"])],
                          description=_l("The provincial office may contact you about your objection."))
    text = TextAreaField(_l("Objection"), validators=[DataRequired(REQUIRED), Length(max=LIMITS["text"])],
                         render_kw={"rows": 6},
                         description=_l("What is wrong with the application, and how you know it "
                                        "(at least 10 characters)."))
    submit = SubmitField(_l("Submit objection"))
