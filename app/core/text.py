"""Text a person typed, made safe to show to others (issue 16): no NUL or other control characters anywhere (the
JSON boundary and form posts refuse them; PostgreSQL cannot store NUL), and a name is one visible line: Unicode
normalized (NFC), zero-width characters removed, bidirectional overrides (which let a name impersonate another in
an inbox or on the public notice) and line breaks refused."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls and DEL, except tab and line breaks
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085]")


def has_controls(value: Any) -> bool:
    """Whether `value` (a string, or lists and objects of them) holds a control character."""
    if isinstance(value, str):
        return bool(CONTROLS.search(value))
    if isinstance(value, dict):
        return any(has_controls(k) or has_controls(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_controls(v) for v in value)
    return False


def clean_name(value: Any) -> tuple[str, str | None]:
    """(the cleaned name, the problem or None): one line of visible text."""
    if not isinstance(value, str):
        return "", "required"
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFC", value)).strip()
    if CONTROLS.search(text) or LINE_BREAKS.search(text):
        return text, "line"
    if BIDI.search(text):
        return text, "bidi"
    if not text:
        return text, "required"
    return text, None
