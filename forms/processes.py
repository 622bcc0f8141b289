"""Process bindings and routing rules (administrators)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, Optional


class BindingForm(FlaskForm):
    process_name = SelectField(_l("Process"), validators=[DataRequired()])  # `process` is a Form method
    definition_key = SelectField(_l("Definition"), validators=[DataRequired()])
    tier = SelectField(_l("Tier"), validators=[Optional()])
    region_code = SelectField(_l("Jurisdiction"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    effective_from = DateField(_l("Effective from"), validators=[Optional()])

    def values(self) -> dict[str, object]:
        return {"process": self.process_name.data, "definition_key": self.definition_key.data, "tier": self.tier.data,
                "region_code": self.region_code.data, "sector": self.sector.data,
                "effective_from": self.effective_from.data}


class RoutingRuleForm(FlaskForm):
    lane = SelectField(_l("Lane"), validators=[DataRequired()])
    region_code = SelectField(_l("Jurisdiction"), validators=[Optional()])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    office_code = SelectField(_l("Office"), validators=[DataRequired()])

    def values(self) -> dict[str, object]:
        return {"lane": self.lane.data, "region_code": self.region_code.data, "sector": self.sector.data,
                "office_code": self.office_code.data}
