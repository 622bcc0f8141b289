"""The public claim form and the county office's decision form; both are checked again by the service, whose
field errors come back onto them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import PasswordField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length

from app.core.vocabulary import Decision
from app.models import HumanTask

REQUIRED = _l("This field is required.")
ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class ClaimForm(FlaskForm):
    """Field names match the keys of uscc_claims.file's field errors."""

    uscc = StringField(_l("Unified social credit code"), validators=[InputRequired(REQUIRED), Length(max=18)],
                       description=_l("18 characters, as on the business licence"))
    registered_name = StringField(_l("Registered name"), validators=[InputRequired(REQUIRED), Length(max=200)],
                                  description=_l("The registered name on the business licence"))
    contact_name = StringField(_l("Contact person"), validators=[InputRequired(REQUIRED), Length(max=64)])
    contact_phone = StringField(_l("Contact telephone"), validators=[InputRequired(REQUIRED), Length(max=32)],
                                description=_l("The county office may call to check the claim."))
    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=64)],
                           description=_l("The account you will log in with once the claim is confirmed: 3 to 64 "
                                          "letters, digits, '.', '_' or '-'"))
    password = PasswordField(_l("Password"), validators=[InputRequired(REQUIRED)],
                             description=_l("At least 8 characters, letters and digits"))
    confirm = PasswordField(_l("Repeat password"), validators=[
        InputRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))])
    file = FileField(_l("Business licence"), render_kw={"accept": ACCEPT},
                     description=_l("A scan or photo of the business licence (营业执照): PDF, PNG or JPEG."))
    submit = SubmitField(_l("File the claim"))

    def values(self) -> dict[str, Any]:
        return {key: getattr(self, key).data for key in
                ("uscc", "registered_name", "contact_name", "contact_phone", "username", "password")}


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[], validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Reason"), validators=[Length(max=4000)],
                            description=_l("Required to refuse; kept with the claim."))
    submit = SubmitField(_l("Submit decision"))

    def set_task(self, task: HumanTask) -> None:
        """The decisions the step offers, labelled as its BPMN says (else the vocabulary's)."""
        self.decision.choices = [
            SelectChoice(value, label or (Decision(value).label if value in Decision.values() else value))
            for value, label in (task.actions or [])]

    def values(self) -> dict[str, Any]:
        return {"decision": self.decision.data, "comment": self.comment.data or ""}
