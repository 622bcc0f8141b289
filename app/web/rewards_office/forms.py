"""Forms of the claim page: the review decision (approve / reject with a reason) and the payment (voucher
number, payment date). Both are checked again by claims.decide, whose field errors come back onto them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.core import workdays
from app.core.vocabulary import Decision
from app.models import HumanTask


class ClaimDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[], validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Reason"), validators=[Length(max=4000)],
                            description=_l("Required when the reward is not granted; the enterprise sees it."))
    submit = SubmitField(_l("Submit decision"))

    def set_task(self, task: HumanTask) -> None:
        """The decisions the step offers, labelled as its BPMN says (else the vocabulary's)."""
        self.decision.choices = [
            SelectChoice(value, label or (Decision(value).label if value in Decision.values() else value))
            for value, label in (task.actions or [])]

    def values(self) -> dict[str, Any]:
        return {"decision": self.decision.data, "comment": self.comment.data or ""}


class PaymentForm(FlaskForm):
    voucher_no = StringField(_l("Voucher number"), validators=[
        InputRequired(_l("Enter the payment voucher number.")), Length(max=60)],
        description=_l("The number of the finance bureau's payment voucher."))
    paid_on = DateField(_l("Payment date"), validators=[InputRequired(_l("Enter the payment date."))],
                        description=_l("The day the money was paid; not in the future."))
    submit = SubmitField(_l("Record the payment"))

    def prefill(self) -> None:
        if not self.is_submitted() and self.paid_on.data is None:
            self.paid_on.data = workdays.china_date()

    def values(self) -> dict[str, Any]:
        return {"decision": "pay", "voucher_no": (self.voucher_no.data or "").strip(),
                "paid_on": self.paid_on.data.isoformat() if self.paid_on.data else None}
