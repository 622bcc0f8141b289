"""Log-in and enterprise self-registration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from app.web.forms_messages import REQUIRED


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[InputRequired(REQUIRED)])
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    """Field names match the keys of accounts.register_enterprise's field errors."""

    username = StringField(_l("Username"), validators=[InputRequired(REQUIRED), Length(max=64)],
                           description=_l("3 to 64 letters, digits, '.', '_' or '-'"))
    password = PasswordField(_l("Password"), validators=[InputRequired(REQUIRED)],
                             description=_l("At least 8 characters, letters and digits"))
    confirm = PasswordField(_l("Repeat password"), validators=[
        InputRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))])
    name = StringField(_l("Enterprise name"), validators=[InputRequired(REQUIRED), Length(max=200)],
                       description=_l("The registered name on the business licence"))
    uscc = StringField(_l("Unified social credit code"), validators=[InputRequired(REQUIRED), Length(max=18)],
                       description=_l("18 characters, as on the business licence"))
    region_code = SelectField(_l("Registered region (county level)"), validators=[InputRequired(REQUIRED)],
                              validate_choice=False)
    sector = SelectField(_l("Sector"), validators=[InputRequired(REQUIRED)], validate_choice=False)
    submit = SubmitField(_l("Register"))

    def set_choices(self, regions: list[tuple[str, str]], sectors: list[tuple[str, str]]) -> None:
        placeholder = [SelectChoice("", _l("— choose —"))]
        self.region_code.choices = placeholder + [SelectChoice(code, name) for code, name in regions]
        self.sector.choices = placeholder + [SelectChoice(code, name) for code, name in sectors]


class PasswordForm(FlaskForm):
    """The user's own password change (also the forced one after an administrator's reset)."""

    current = PasswordField(_l("Current password"), validators=[InputRequired(REQUIRED)])
    new = PasswordField(_l("New password"), validators=[InputRequired(REQUIRED)],
                        description=_l("At least 8 characters, letters and digits"))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(REQUIRED), EqualTo("new", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Change password"))


class ColleagueForm(FlaskForm):
    """The enterprise's main account adds a colleague's account (the service checks every field at once)."""

    username = StringField(_l("Username"), validators=[Length(max=64)],
                           description=_l("3 to 64 letters, digits, '.', '_' or '-'"))
    display_name = StringField(_l("Person's name"), validators=[Length(max=128)])
    email = StringField(_l("E-mail (optional)"), validators=[Length(max=200)])
    submit = SubmitField(_l("Add the account"))
