"""The filters of the public list of recognized enterprises (a GET form: no CSRF token, nothing changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from app.core.vocabulary import Tier
from app.extensions import db
from app.models import Region
from app.org.regions import full_name


class PublicFilterForm(FlaskForm):
    class Meta:
        csrf = False

    tier = SelectField(_l("Tier"), choices=[], validators=[Optional()])
    region = SelectField(_l("Region"), choices=[], validators=[Optional()])
    year = IntegerField(_l("Year recognized"), validators=[Optional(), NumberRange(2000, 2100)])
    q = StringField(_l("Enterprise name or USCC"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Filter"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tier.choices = [("", _l("All tiers")), *((t.value, t.label) for t in Tier)]
        regions = db.session.scalars(db.select(Region).where(Region.level != "national").order_by(Region.code))
        self.region.choices = [("", _l("All regions")), *((r.code, full_name(r)) for r in regions)]

    def values(self) -> dict:
        return {"tier": self.tier.data or None, "region": self.region.data or None, "year": self.year.data or None,
                "q": (self.q.data or "").strip() or None}
