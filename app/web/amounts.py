"""Money and ratios as people read them: 万元 with two decimals, per cent, and the amount in words
(人民币大写) so that a typed figure can be checked at a glance ("8,650.00 万元 = 8650万元 = 86,500,000 元")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import format_decimal, gettext

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
_SECTIONS = ("", "万", "亿", "万亿")


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def wan_text(yuan: Any) -> str:
    """Yuan as 万元 with thousands separators and at least two decimals: 86500000 → "8,650.00"."""
    wan = _dec(yuan) / 10_000
    return f"{wan:,.2f}" if wan == round(wan, 2) else f"{wan.normalize():,f}"


def percent_text(ratio: Any) -> str:
    """A 0–1 ratio as the per cent a person types: 0.45 → "45", 0.4523 → "45.23"."""
    percent = (_dec(ratio) * 100).quantize(Decimal("0.0001"), ROUND_HALF_UP).normalize()
    return f"{percent:f}"


def _section(n: int) -> str:
    out, zero = "", False
    for power, unit in _PLACES:
        digit = n // 10**power % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + unit
    return out


def capitals(yuan: Any) -> str:
    """The amount in Chinese capitals as on a cheque: 86500000 → 捌仟陆佰伍拾万元整."""
    amount = _dec(yuan).quantize(Decimal("0.01"), ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    whole, cents = int(amount), int((amount - int(amount)) * 100)
    sections = []
    rest = whole
    while rest:
        sections.append(rest % 10_000)
        rest //= 10_000
    parts: list[str] = []
    gap = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            gap = bool(parts)
            continue
        if parts and (gap or section < 1000):
            parts.append("零")
        parts.append(_section(section) + _SECTIONS[index])
        gap = False
    words = "".join(parts) + "元" if whole else ""
    jiao, fen = divmod(cents, 10)
    if not cents:
        return sign + (words or "零元") + "整"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif whole:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    return sign + words


def compact_wan(yuan: Any) -> str:
    """86500000 → "8650万元", 1234567800 → "12亿3456.78万元" (how people say large amounts)."""
    wan = _dec(yuan) / 10_000
    sign = "-" if wan < 0 else ""
    wan = abs(wan)
    yi, rest = divmod(wan, 10_000)
    rest_text = f"{rest.normalize():f}" if rest else ""
    if yi:
        return f"{sign}{int(yi)}亿{rest_text}万元" if rest_text else f"{sign}{int(yi)}亿元"
    return f"{sign}{rest_text or '0'}万元"


def money_echo(yuan: Any) -> str:
    """The line under a money field: what was typed, said three ways."""
    amount = _dec(yuan)
    return gettext("%(wan)s 万元 = %(compact)s = %(yuan)s yuan (in capitals: %(capitals)s)",
                   wan=wan_text(amount), compact=compact_wan(amount),
                   yuan=format_decimal(amount, "#,##0.##"), capitals=capitals(amount))


def percent_echo(ratio: Any) -> str:
    return gettext("%(percent)s%% (a ratio of %(ratio)s)", percent=percent_text(ratio),
                   ratio=f"{_dec(ratio).normalize():f}")


def too_large() -> str:
    return gettext("The amount is too large (at most %(max)s 万元).", max="100,000,000,000")
