"""A reviewer's decision on a task."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.vocabulary import Decision
from app.models import DOC_TYPES
from app.web.labels import DOC_TYPE_LABELS

DECISION_CHOICES = [SelectChoice(d.value, Decision.labels()[d.value]) for d in Decision if d.value in Decision.review()]
DOC_TYPE_CHOICES = [SelectChoice(code, DOC_TYPE_LABELS[code]) for code in DOC_TYPES]


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=DECISION_CHOICES,
                          validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Comment / reason"), validators=[Length(max=4000)],
                            description=_l("Required when returning or rejecting: the enterprise sees it."))
    requested_documents = SelectMultipleField(
        _l("Request documents"), choices=DOC_TYPE_CHOICES,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        description=_l("Only with a return: the enterprise sees them as a checklist that ticks itself "
                       "when it uploads them."))
    document_note = StringField(_l("Note on the requested documents"), validators=[Length(max=500)])
    submit = SubmitField(_l("Submit decision"))

    def validate_comment(self, field: TextAreaField) -> None:
        if self.decision.data in ("return", "reject") and not (field.data or "").strip():
            raise ValidationError(_l("A reason is required to return or reject."))

    def validate_requested_documents(self, field: SelectMultipleField) -> None:
        if field.data and self.decision.data != "return":
            raise ValidationError(_l("Documents can only be requested when returning an application."))

    def document_requests(self) -> list[dict[str, str | None]]:
        """The requested documents as review.decide expects them (the note goes with each)."""
        note = (self.document_note.data or "").strip() or None
        return [{"doc_type": code, "note": note} for code in self.requested_documents.data or []]


CHECK_PREFIX = "judged_"
CHECK_CHOICES = [SelectChoice("met", _l("Meets it")), SelectChoice("not_met", _l("Does not meet it"))]


def decision_form(actions: list | None, judged: list[dict] | None = None) -> DecisionForm:
    """The decision form with the decisions the step offers, labelled as its BPMN says (else the defaults), and
    one met / not met tick (with a reason) per criterion only a reviewer can judge (app.recognition.checklist)."""
    judged = judged or []

    class Form(DecisionForm):
        checklist_items = judged

        def checklist(self) -> dict[str, dict] | None:
            if not self.checklist_items:
                return None
            out = {}
            for item in self.checklist_items:
                tick = self[CHECK_PREFIX + item["id"]].data
                out[item["id"]] = {"met": {"met": True, "not_met": False}.get(tick),
                                   "reason": self[CHECK_PREFIX + item["id"] + "_reason"].data}
            return out

        def validate(self, extra_validators: dict | None = None) -> bool:
            ok = super().validate(extra_validators)
            for item in self.checklist_items:
                tick, why = self[CHECK_PREFIX + item["id"]], self[CHECK_PREFIX + item["id"] + "_reason"]
                if self.decision.data == "approve" and tick.data not in ("met", "not_met"):
                    tick.errors = [*tick.errors, str(_l("Tick met or not met."))]
                    ok = False
                if tick.data == "not_met" and not (why.data or "").strip():
                    why.errors = [*why.errors, str(_l("Say why it is not met."))]
                    ok = False
                if tick.data == "not_met" and self.decision.data == "approve":
                    self.decision.errors = [*self.decision.errors, str(_l(
                        "An item of the checklist is not met: return or reject the application with the reason."))]
                    ok = False
            return ok

    for item in judged:
        setattr(Form, CHECK_PREFIX + item["id"], RadioField(item["name"], choices=CHECK_CHOICES,
                                                            validators=[Optional()],
                                                            description=item.get("threshold") or ""))
        setattr(Form, CHECK_PREFIX + item["id"] + "_reason",
                StringField(_l("Why it is not met"), validators=[Length(max=500)]))
    form = Form()
    if actions:
        defaults = {choice.value: choice.label for choice in DECISION_CHOICES}
        form.decision.choices = [SelectChoice(value, label or defaults.get(value, value)) for value, label in actions]
    return form


OUTCOME_CHOICES = [
    SelectChoice("passed", _l("Passed: the site matches the application")),
    SelectChoice("amend", _l("To amend: the enterprise must correct its application")),
    SelectChoice("failed", _l("Failed: not recognized")),
]


class SpotCheckForm(FlaskForm):
    """The on-site check's own result form (实地抽查)."""

    visited_on = DateField(_l("Date of the visit"), validators=[InputRequired(_l("Give the date of the visit."))])
    inspectors = StringField(_l("Inspectors"), validators=[InputRequired(_l("Name the inspectors.")), Length(max=200)],
                             description=_l("Names of the staff who visited the site."))
    findings = TextAreaField(_l("Findings"), validators=[InputRequired(_l("Describe what the check found.")),
                                                         Length(max=4000)],
                             description=_l("What was checked on site and what was found; the enterprise sees it."))
    outcome = RadioField(_l("Outcome"), choices=OUTCOME_CHOICES, validators=[InputRequired(_l("Choose an outcome."))])
    submit = SubmitField(_l("Record the on-site check"))

    def values(self) -> dict[str, object]:
        return {"visited_on": self.visited_on.data, "inspectors": self.inspectors.data,
                "findings": self.findings.data, "outcome": self.outcome.data}
