"""Numerals as written in Chinese reports -> exact Decimal values.

Handles ASCII and full-width digits, thousands separators, decimals, Chinese numerals
(两个, 百余, 三千万, 一万二千, 九十六点五), digits mixed with 万/亿 (2.6万, 1.5亿) and 百分之….
Anything after the numeral (a unit such as 万m2 or 亿美元 is fine) is ignored, except that
a 万/亿/千万 multiplier directly after digits is applied.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# full-width forms that map one-to-one onto ASCII, so offsets survive normalisation (the one map of
# the extractor: mentions.py normalises whole texts with it)
FULLWIDTH = str.maketrans("０１２３４５６７８９．，％＋－", "0123456789.,%+-")
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "十百千万亿"

# digits, optional thousands groups and decimals, then an optional chain of multipliers
_DIGITS = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)([十百千万亿]*)")
_CHINESE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")
_CHINESE_FRACTION = re.compile("点([零〇一二三四五六七八九]+)")


def _multiplier(chain: str) -> Decimal:
    factor = Decimal(1)
    for ch in chain:
        factor *= _SMALL_UNITS.get(ch) or _BIG_UNITS[ch]
    return factor


def _parse_chinese(s: str) -> Decimal:
    """Positional Chinese numeral: 一万二千 -> 12000, 百 -> 100, 十四 -> 14, 三千万 -> 3e7."""
    total = 0      # everything already closed by 亿
    section = 0    # the part below 亿, closed by 万
    small = 0      # the part below 万
    digit: int | None = None
    for ch in s:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            small += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch == "万":
            section = (section + small + (digit or 0)) * 10_000
            if section == 0:
                section = 10_000
            small, digit = 0, None
        elif ch == "亿":
            total = (total + section + small + (digit or 0)) * 100_000_000
            if total == 0:
                total = 100_000_000
            section, small, digit = 0, 0, None
    return Decimal(total + section + small + (digit or 0))


def parse_chinese_number(s: str) -> Decimal:
    """Parse the numeral at the start of `s` exactly; raise ValueError if there is none."""
    s = s.strip().translate(FULLWIDTH)
    if s.startswith("百分之"):
        s = s[3:]
    m = _DIGITS.match(s)
    if m:
        try:
            number = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
            raise ValueError(s) from exc
        return number * _multiplier(m.group(2))
    m = _CHINESE.match(s)
    if m and any(ch in CHINESE_DIGITS or ch in _SMALL_UNITS for ch in m.group(0)):
        whole = _parse_chinese(m.group(0))
        fraction = _CHINESE_FRACTION.match(s, m.end())
        if fraction:  # 九十六点五 -> 96.5: digits after 点 are read one by one
            return whole + Decimal("0." + "".join(str(CHINESE_DIGITS[ch]) for ch in fraction.group(1)))
        return whole
    raise ValueError(f"no numeral at the start of {s!r}")
