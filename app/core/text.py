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


def pinyin_key(name: str) -> str:
    """A sort key that orders Chinese names by their pinyin (白山 before 长春 before 金湖), other letters and digits
    as they are (lowercased), then by the name itself (homophones). Each syllable is padded with "0" to six
    characters, the longest pinyin syllable: "an" sorts before "ang" under any database collation (one that
    ignores spaces and punctuation too)."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: re.findall(r"[a-z0-9]+", chars.lower()))
    return ("".join(s.ljust(6, "0") + ("0" if len(s) >= 6 else "") for s in syllables if s) + " " + name)[:800]
