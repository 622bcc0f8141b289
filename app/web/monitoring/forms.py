"""Forms of the monitoring pages: the figures (money in 万元 with two decimals, counts whole), opening a
period, the follow-up note, the import upload."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.models import MonitoringReport
from app.monitoring import figures


class FiguresForm(FlaskForm):
    """One text field per figure: the service checks them (its messages land on the fields)."""

    submit = SubmitField(_l("File the figures"))

    def values(self) -> dict[str, Any]:
        """The figures in yuan (money typed in 万元); a malformed amount passes through as text for the check."""
        out: dict[str, Any] = {}
        for figure in figures.FIGURE_LIST:
            raw = (self[figure.key].data or "").strip()
            if figure.kind == "count":
                digits = raw.lstrip("-")
                out[figure.key] = int(raw) if digits.isascii() and digits.isdigit() else (raw or None)
            else:
                out[figure.key] = figures.wan_to_yuan(raw)
        return out

    def fill(self, report: MonitoringReport) -> None:
        for figure in figures.FIGURE_LIST:
            value = getattr(report, figure.key)
            if value is not None and not self[figure.key].data:
                self[figure.key].data = str(value) if figure.kind == "count" else figures.yuan_to_wan(value)


for _figure in figures.FIGURE_LIST:
    setattr(FiguresForm, _figure.key, StringField(
        _figure.label, validators=[Optional(), Length(max=30)],
        description=_l("10,000 yuan, up to two decimals") if _figure.kind != "count" else None))


class OpenPeriodForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    seq = IntegerField(_l("Period of the year (quarter 1-4)"), validators=[DataRequired(), NumberRange(1, 12)])
    submit = SubmitField(_l("Open the period"))


class FollowUpForm(FlaskForm):
    note = TextAreaField(_l("What the follow-up found"), validators=[DataRequired(), Length(max=4000)])
    submit = SubmitField(_l("Record the follow-up"))


class ImportForm(FlaskForm):
    file = FileField(_l("Filled-in template (.xlsx)"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))
