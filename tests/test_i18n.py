"""Every user-facing string has a Chinese translation, so the default UI never falls back to English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "app" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def _catalog():
    with CATALOG.open("rb") as fh:
        return read_po(fh)


def test_every_catalog_entry_is_translated():
    untranslated = [m.id for m in _catalog() if m.id and not m.string]
    assert untranslated == []


def test_every_string_in_the_code_is_in_the_catalog():
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    keywords = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.add(message if isinstance(message, str) else message[0])
    missing = sorted(found - known)
    assert missing == [], "run pybabel extract/update and translate: " + repr(missing[:10])
