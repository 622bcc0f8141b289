"""The rankings forms: run a scheme for a year; the admin's scheme settings (a weight per metric, top_n,
active), built for the scheme's metrics."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from app.core import workdays
from app.models import RankingScheme
from app.reporting.rankings import MAX_TOP_N, MAX_WEIGHT, metric_label


class RunForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(_l("Enter the year.")),
                                                NumberRange(2000, 2100, _l("A year from 2000 to 2100."))])

    def prefill(self) -> RunForm:
        if self.year.data is None:
            self.year.data = workdays.china_date().year
        return self


class _SettingsBase(FlaskForm):
    top_n = IntegerField(_l("Regions commended (top N)"), validators=[
        InputRequired(_l("Enter a number.")), NumberRange(1, MAX_TOP_N, _l("A whole number from 1 to 50."))])
    active = BooleanField(_l("The scheme is active (it can be run)"))

    metric_names: list[str] = []

    def values(self) -> dict[str, Any]:
        return {"weights": {name: getattr(self, f"weight_{name}").data for name in self.metric_names},
                "top_n": self.top_n.data, "active": bool(self.active.data)}


def settings_form(scheme: RankingScheme, **kwargs: Any) -> _SettingsBase:
    """A form with one weight field per metric of the scheme, filled from it."""

    class SettingsForm(_SettingsBase):
        pass

    names = [m["metric"] for m in scheme.metrics]
    for name in names:
        setattr(SettingsForm, f"weight_{name}", IntegerField(
            _l("Weight: %(metric)s", metric=metric_label(name)),
            validators=[InputRequired(_l("Enter a weight.")),
                        NumberRange(0, MAX_WEIGHT, _l("A whole number from 0 to 100."))]))
    SettingsForm.metric_names = names
    data = {f"weight_{m['metric']}": m["weight"] for m in scheme.metrics} | {"top_n": scheme.top_n,
                                                                             "active": scheme.active}
    return SettingsForm(data=data, **kwargs)
