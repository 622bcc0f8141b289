"""Reading the PDFs the app makes, for assertions."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(body: bytes) -> str:
    """The text of every page, whitespace removed. pypdf reads fpdf2's two-byte codes of a CFF font (an
    embedded Identity CMap) one byte at a time, so each character comes with a NUL: dropped here."""
    pages = PdfReader(io.BytesIO(body)).pages
    return "".join("".join(page.extract_text() or "" for page in pages).replace("\x00", "").split())


def embeds_a_font(body: bytes) -> bool:
    """A font program is embedded: TrueType (/FontFile2) or CFF (/FontFile3)."""
    return b"/FontFile2" in body or b"/FontFile3" in body
