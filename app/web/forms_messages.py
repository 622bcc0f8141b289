"""One wording for form validation messages: the app's catalogue wins over WTForms' own translations (whose
Chinese says 该字段是必填字段 where ours says 此项为必填项, and "数值必须大于" for "at least"), and the messages the
app's forms share."""

from __future__ import annotations

from typing import Any

import flask_wtf.i18n
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange

REQUIRED = _l("This field is required.")


def _ours_first(string: str, fallback: Any) -> str:
    """The app's translation of a WTForms message when the catalogue has one, else WTForms' own."""
    translated = get_translations().ugettext(string)
    return translated if translated != string else fallback()


def install() -> None:
    """Make Flask-WTF look a message up in the app's catalogue before WTForms' (idempotent)."""
    cls = flask_wtf.i18n.Translations
    if getattr(cls, "_tierflow", False):
        return
    wtforms_gettext, wtforms_ngettext = cls.gettext, cls.ngettext
    cls.gettext = lambda self, string: _ours_first(string, lambda: wtforms_gettext(self, string))
    cls.ngettext = lambda self, singular, plural, n: _ours_first(
        singular if n == 1 else plural, lambda: wtforms_ngettext(self, singular, plural, n))
    cls._tierflow = True


class InRange(NumberRange):
    """NumberRange that says nothing when the field could not read a number: the field's own message ("Enter a
    whole number.") is the one that applies, not "Must not be negative." beside it."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None and field.raw_data and field.process_errors:
            return
        super().__call__(form, field)
