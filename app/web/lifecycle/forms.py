"""Forms of the lifecycle pages: open a campaign, decide a case, propose a revocation, the enterprise's yearly
update and statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core import workdays
from app.core.vocabulary import Decision, RevocationGround
from app.models import HumanTask, Library, Office
from app.web.applications.forms import ApplicationForm

# the tier an office recognizes, by the level of its region (a county office keeps the seed tier)
LEVEL_TIER = {"county": "seed", "city": "city", "province": "province", "national": "national"}
DEFAULT_DUE = (4, 30)  # the annual update is due by 30 April (POLICY.md "After recognition")


def default_year(today: date | None = None) -> int:
    """This year while its 30 April is still ahead, else the next."""
    today = today or workdays.china_date()
    return today.year if today <= date(today.year, *DEFAULT_DUE) else today.year + 1


class CampaignForm(FlaskForm):
    scope = SelectField(_l("Tier or library"), validators=[InputRequired(_l("Choose a tier or a library."))],
                        description=_l("The active members of this tier or library in your jurisdiction are "
                                       "asked to update their data."))
    year = IntegerField(_l("Year"), invalid_value_message=_l("Enter a year such as 2027."),
                        validators=[InputRequired(_l("Enter a year such as 2027.")),
                                    NumberRange(min=2000, max=2100, message=_l("Enter a year such as 2027."))])
    due_on = DateField(_l("Due date of the data update"), validators=[Optional()],
                       description=_l("30 April by default (the annual update deadline); a campaign may set "
                                      "its own date."))
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=200)],
                       description=_l("Left empty: the year and the tier or library."))
    submit = SubmitField(_l("Open the campaign"))

    def set_scopes(self, office: Office, tier_label: str | None, libraries: list[tuple[Library, str]]) -> None:
        """The tier the office recognizes and the libraries it keeps."""
        choices = [SelectChoice("", _l("— choose —"))]
        tier = LEVEL_TIER.get(office.region.level)
        if tier is not None:
            choices.append(SelectChoice(f"tier:{tier}", tier_label or tier))
        choices += [SelectChoice(f"library:{library.key}", label) for library, label in libraries]
        self.scope.choices = choices

    def values(self) -> dict[str, Any]:
        """The campaign as campaigns.open_campaign expects it."""
        kind, _sep, key = (self.scope.data or "").partition(":")
        body: dict[str, Any] = {"year": self.year.data,
                                "due_on": self.due_on.data.isoformat() if self.due_on.data else None,
                                "name": (self.name.data or "").strip() or None}
        body["library" if kind == "library" else "tier"] = key or None
        return body


class CaseDecisionForm(FlaskForm):
    task_id = HiddenField()
    decision = RadioField(_l("Decision"), choices=[], validators=[InputRequired(_l("Choose a decision."))])
    comment = TextAreaField(_l("Reason"), validators=[Length(max=4000)],
                            description=_l("Required to downgrade, exit or revoke; the enterprise sees it."))
    submit = SubmitField(_l("Submit decision"))

    def set_task(self, task: HumanTask, actions: list[list[Any]]) -> None:
        """The decisions the step offers (`cases.offered`), labelled as its BPMN says (else the vocabulary's)."""
        self.decision.choices = [
            SelectChoice(value, label or (Decision(value).label if value in Decision.values() else value))
            for value, label in actions]
        if not self.task_id.data:
            self.task_id.data = str(task.id)

    def chosen_task(self, default: int) -> int:
        value = self.task_id.data or ""
        return int(value) if value.isdigit() else default


ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def evidence_field(description: Any) -> FileField:
    """An optional document (PDF, PNG or JPEG, checked by its content) sent with the form."""
    return FileField(_l("Evidence document (optional)"), description=description, render_kw={"accept": ACCEPT})


GROUND_CHOICES = [SelectChoice("", _l("— choose —"))] + [
    SelectChoice(code, label) for code, label in RevocationGround.labels().items()]


class RevocationForm(FlaskForm):
    ground = SelectField(_l("Ground"), choices=GROUND_CHOICES,
                         validators=[InputRequired(_l("Choose the ground of the revocation."))])
    details = TextAreaField(_l("Facts and evidence"),
                            validators=[InputRequired(_l("Describe the facts and the evidence.")), Length(max=10000)],
                            description=_l("What happened, when, and the evidence (document numbers, decisions of "
                                           "other authorities). The enterprise sees it and is heard before the "
                                           "decision."))
    file = evidence_field(_l("A PDF, PNG or JPEG file; the enterprise and the deciding reviewer can download "
                             "it."))
    submit = SubmitField(_l("Propose revocation"))

    def values(self) -> dict[str, Any]:
        return {"ground": self.ground.data, "details": self.details.data}


class ResponseForm(FlaskForm):
    response = TextAreaField(_l("Your statement"),
                             validators=[InputRequired(_l("Write your statement.")), Length(max=10000)],
                             description=_l("Answer the grounds and the facts; the office reads it before it "
                                            "decides."))
    file = evidence_field(_l("A PDF, PNG or JPEG file supporting your statement; the office reads it with "
                             "the statement."))
    submit = SubmitField(_l("Send the statement"))


class CaseUpdateForm(ApplicationForm):  # type: ignore[misc, valid-type]
    """The application form's indicator fields, without the tier and the draft buttons."""

    target_tier = None
    save = None
    check = None
    declaration = None
    submit = SubmitField(_l("Send the yearly data"))
