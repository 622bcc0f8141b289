"""PDF documents with an embedded CJK font (fpdf2): finding the font, and a few layout helpers.

The font comes from the system (Debian's fonts-noto-cjk, see config.PDF_FONT_PATH); fpdf2 embeds the
subset of glyphs a document uses (CFF outlines as /FontFile3, TrueType as /FontFile2). No font, or an
unreadable one, is a 503 with a clear message, never a crash.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.core.errors import Unavailable

log = logging.getLogger(__name__)
FAMILY = "cjk"
# in a font collection, the face for simplified Chinese (Noto Sans CJK SC is the third of ten)
PREFERRED_FACE = ("SC", "GB", "Zen Hei", "AR PL")


@dataclass(frozen=True)
class Font:
    path: Path
    index: int = 0  # the face in a .ttc collection
    bold: Path | None = None  # the bold sibling (NotoSansCJK-Bold.ttc), same face index


def _face_index(path: Path) -> int:
    """The simplified-Chinese face of a collection (0 for a single font or when none is named so)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    with TTCollection(str(path), lazy=True) as collection:
        names = [str(font["name"].getDebugName(4) or "") for font in collection.fonts]
    for wanted in PREFERRED_FACE:
        for index, name in enumerate(names):
            if wanted in name.split() or name.endswith(wanted):
                return index
    return 0


@cache
def _find(spec: str) -> Font | None:
    for candidate in (p.strip() for p in spec.split(os.pathsep)):
        path = Path(candidate)
        if not candidate or not path.is_file():
            continue
        try:
            index = _face_index(path)
        except Exception:  # an unreadable file: try the next one
            log.warning("PDF font %s cannot be read", path, exc_info=True)
            continue
        bold = path.with_name(path.name.replace("Regular", "Bold"))
        return Font(path, index, bold if bold != path and bold.is_file() else None)
    return None


def font() -> Font:
    """The configured CJK font, or 503."""
    found = _find(current_app.config.get("PDF_FONT_PATH") or "")
    if found is None:
        raise Unavailable(_("PDF export is not available: no Chinese font is installed on the server. "
                            "Install the fonts-noto-cjk package or set TIERFLOW_PDF_FONT_PATH."), code="no_pdf_font")
    return found


class Document(FPDF):
    """An A4 document in the CJK font with a running footer ("Page 1 of 3") unless `numbered` is off."""

    def __init__(self, title: str, *, footer: str = "", orientation: str = "portrait",
                 numbered: bool = True) -> None:
        super().__init__(orientation=orientation, format="A4")
        chosen = font()
        try:
            self.add_font(FAMILY, "", str(chosen.path), collection_font_number=chosen.index)
            self.add_font(FAMILY, "B", str(chosen.bold or chosen.path), collection_font_number=chosen.index)
        except Exception as exc:  # fontTools and fpdf2 raise many kinds on a broken file
            log.exception("PDF font %s could not be embedded", chosen.path)
            raise Unavailable(_("PDF export is not available: the Chinese font on the server cannot be used."),
                              code="no_pdf_font") from exc
        self.footer_text, self.numbered = footer, numbered
        self.set_title(title)
        self.set_creator("Tierflow")
        self.set_lang("zh-CN")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)
        self.add_page()

    def footer(self) -> None:
        if not self.numbered:
            return
        self.set_y(-13)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(110)
        text = _("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}")
        self.cell(0, 5, f"{self.footer_text}    {text}" if self.footer_text else text, align="C")
        self.set_text_color(0)

    def title_block(self, title: str, subtitle: str | None = None, size: float = 18) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.55, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.ln(1)
            self.set_font(FAMILY, "", 10)
            self.set_text_color(90)
            self.multi_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_text_color(0)
        self.ln(4)

    def heading(self, text: str) -> None:
        if self.will_page_break(24):
            self.add_page()
        self.ln(2)
        self.set_font(FAMILY, "B", 12)
        self.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(180)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, color: int = 0) -> None:
        self.set_font(FAMILY, "", size)
        self.set_text_color(color)
        self.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.ln(1)

    def fields(self, rows: Sequence[tuple[str, str]], label_width: float = 38, size: float = 10) -> None:
        """Label / value pairs, one per line (long values wrap)."""
        for label, value in rows:
            self.set_font(FAMILY, "B", size)
            top = self.get_y()
            self.multi_cell(label_width, size * 0.6, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            self.set_font(FAMILY, "", size)
            self.multi_cell(0, size * 0.6, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_y(max(self.get_y(), top + size * 0.6) + 0.8)

    def grid(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             empty: str | None = None, size: float = 8.5) -> None:
        """A table with a repeated header row; `empty` is written instead when there are no rows."""
        if not rows:
            self.paragraph(empty or "—", size=9, color=110)
            return
        self.set_font(FAMILY, "", size)
        self.set_draw_color(190)
        with self.table(col_widths=tuple(widths), line_height=size * 0.6, text_align="LEFT",
                        repeat_headings=1) as table:
            head = table.row()
            for text in headers:
                head.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value or "—")
        self.ln(2)

    def render(self) -> bytes:
        return bytes(self.output())
