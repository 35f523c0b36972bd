"""Period dimension: turn a governing time phrase as written (截至10月底, 1-11月, 上半年 …) into a
date span, relative to the report's own year and period.

Chinese reports state cumulative figures (1-11月 = January to November), so most spans start on
1 January. A phrase we cannot read gets period_type 'unknown' and no dates: never a guess.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date

import polars as pl

PERIOD_TYPES = ("report", "annual", "ytd", "H1", "H2", "quarter", "month", "range", "point",
                "since", "unknown")

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int | None:
    """Small Chinese numerals (一 … 九十九, 二〇二二 digit-by-digit); None if not a numeral."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGITS for ch in s) and len(s) >= 2:  # 二〇二二 written digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGITS.get(head, None) if head else 1
        ones = _CN_DIGITS.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGITS:
        return _CN_DIGITS[s]
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９－～—–―~〜", "0123456789-------")


def normalise_text(period_text: str | None) -> str:
    """Canonical spelling of a period phrase: half-width digits, one dash, Arabic months, no
    spaces. 1至11月, 1—11月 and 一至十一月 all become 1-11月."""
    if period_text is None:
        return ""
    t = re.sub(r"\s+", "", period_text)
    # Chinese numerals before 年/月/日/季度 (十一月 → 11月); 截至 etc. contain 至 so protect them.
    t = t.replace("截至", "⟨JZ⟩").replace("截止到", "⟨JZ⟩").replace("截止", "⟨JZ⟩")
    t = t.replace("至今", "⟨ZJ⟩")
    t = re.sub(
        r"[〇零○一二两三四五六七八九十]+(?=[年月日号]|季度|个?月|[至到\-—~][〇零○一二两三四五六七八九十]+月)",
        lambda m: str(cn_to_int(m.group(0))) if cn_to_int(m.group(0)) is not None else m.group(0),
        t,
    )
    t = t.translate(_FULLWIDTH)
    t = t.replace("⟨JZ⟩", "截至").replace("⟨ZJ⟩", "至今")
    t = re.sub(r"(?<=\d)(月份?)?[-至到](?=\d{1,2}月)", "-", t)  # 1至11月, 1月-11月 → 1-11月
    t = t.replace("号", "日")
    return t


@dataclass(frozen=True)
class PeriodSpan:
    period_text: str | None
    start_date: date | None
    end_date: date | None
    period_type: str  # one of PERIOD_TYPES
    label: str


def report_span(report_year: int, report_period_type: str | None) -> tuple[date, date]:
    """Dates covered by a report: annual → the year; H1 → Jan–Jun; Qn → Jan to the end of
    quarter n (cumulative, as the reports count); M_N → Jan to the end of month N."""
    y = report_year
    p = report_period_type or "annual"
    if p == "H1":
        return date(y, 1, 1), date(y, 6, 30)
    m = re.fullmatch(r"Q([1-4])", p)
    if m:
        return date(y, 1, 1), _month_end(y, 3 * int(m.group(1)))
    m = re.fullmatch(r"M(\d{1,2})", p)
    if m and 1 <= int(m.group(1)) <= 12:
        return date(y, 1, 1), _month_end(y, int(m.group(1)))
    return date(y, 1, 1), date(y, 12, 31)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _label(start: date, end: date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31:
        return f"{start.year}年" if start.year == end.year else f"{start.year}-{end.year}年"
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if start.year == end.year and start.day == 1 and end == _month_end(end.year, end.month):
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}-{end.month}月"
    return f"{start.isoformat()}~{end.isoformat()}"


_ANNUAL = {"全年", "今年", "年内", "1年来", "1年以来", "本年", "本年度", "全年度", "年度", "当年",
           "年底前", "年底", "年末", "到年底", "截至年底", "截至年末", "今年全年", "今年内", "过去1年"}
_YTD_NOW = {"截至目前", "截至目前为止", "目前", "至今", "当前", "截至当前", "现已", "目前为止",
            "今年以来", "年初以来", "年初至今", "今年来", "本年以来", "截至今日", "迄今", "到目前",
            "到目前为止", "累计"}
_PREV_YEAR = {"去年", "上年", "上一年", "去年全年", "上年度"}


# Plans look forward: 明年 is the year after the report's, 两年内 the next two years, and a target
# under a heading naming a later year (二、2023年工作思路) or 下半年 (下半年工作部署) is for that span.
_NEXT_YEAR = {"明年", "来年", "下1年", "下年", "明年全年", "明年度", "下1年度", "新的1年"}
_PLAN_YEARS_AHEAD = re.compile(r"(\d{1,2})(个)?年(内|之内|以内|时间)")
_HEADING_LATER_YEAR = re.compile(r"(?<!\d)(\d{4})年")
_HEADING_NEXT_YEAR = re.compile(r"明年|来年|下1年|新的1年")
_HEADING_SECOND_HALF = re.compile(r"下半年")
PLAN = "plan"  # plan context of a plan fact whose own phrase looks forward (明年, 两年内)


def plan_context(period_text: str | None, plan: bool | None, section_titles: str | None,
                 report_year: int | None) -> str | None:
    """How a plan fact's period is read, or None for an achievement (read as before).

    'plan@2023' / 'plan@H2': the innermost heading above the fact that names a later year (or
    明年) / 下半年; the fact's own phrase is then read in that year or half-year.
    'plan': no such heading, but the fact's own phrase looks forward (明年, 两年内).
    """
    if not plan or report_year is None:
        return None
    for title in reversed((section_titles or "").split(" / ")):
        t = normalise_text(title)
        later = [int(y) for y in _HEADING_LATER_YEAR.findall(t) if int(y) > report_year]
        if later:
            return f"{PLAN}@{later[0]}"
        if _HEADING_NEXT_YEAR.search(t):
            return f"{PLAN}@{report_year + 1}"
        if _HEADING_SECOND_HALF.search(t):
            return f"{PLAN}@H2"
    t = normalise_text(period_text)
    if t in _NEXT_YEAR or _PLAN_YEARS_AHEAD.fullmatch(t):
        return PLAN
    return None


def _plan_period(period_text: str | None, report_year: int, report_period_type: str | None,
                 context: str) -> PeriodSpan | None:
    """The span a plan targets, or None when its phrase reads as for any fact."""
    t = normalise_text(period_text)
    y = report_year
    if t in _NEXT_YEAR:
        return PeriodSpan(period_text, date(y + 1, 1, 1), date(y + 1, 12, 31), "annual", f"{y + 1}年")
    m = _PLAN_YEARS_AHEAD.fullmatch(t)
    if m and 1 <= int(m.group(1)) <= 20:
        n = int(m.group(1))
        start, end = date(y + 1, 1, 1), date(y + n, 12, 31)
        return PeriodSpan(period_text, start, end, "annual" if n == 1 else "range", _label(start, end))
    target = context.partition("@")[2]
    if target == "H2" and not t:
        start, end = date(y, 7, 1), date(y, 12, 31)
        return PeriodSpan(period_text, start, end, "H2", _label(start, end))
    if target.isdigit() and not re.match(r"^(截至)?\d{4}年", t):
        # the heading's year is the year the phrase speaks of (年内, 上半年, or none at all)
        return normalise_period(period_text, int(target), "annual")
    return None


def normalise_period(period_text: str | None, report_year: int,
                     report_period_type: str | None, plan_context: str | None = None) -> PeriodSpan:
    """Map a period phrase to dates within the report's year (see module doc); a plan's phrase
    is read in the span its plan_context names (see plan_context)."""
    if plan_context:
        planned = _plan_period(period_text, report_year, report_period_type, plan_context)
        if planned is not None:
            return planned
    rs, re_ = report_span(report_year, report_period_type)
    if period_text is None or not period_text.strip():
        return PeriodSpan(period_text, rs, re_, "report", _label(rs, re_))
    t = normalise_text(period_text)
    y = report_year

    def span(start: date | None, end: date | None, ptype: str) -> PeriodSpan:
        if start is None or end is None or end < start:
            return PeriodSpan(period_text, None, None, "unknown", t)
        return PeriodSpan(period_text, start, end, ptype, _label(start, end))

    # An explicit year overrides the report year (2021年1-6月, 截至2022年10月底).
    m = re.match(r"^(截至)?(\d{4})年(度)?", t)
    if m:
        y = int(m.group(2))
        rest = t[m.end():]
        t = (m.group(1) or "") + rest
        if rest in ("", "全年", "底", "末", "年底"):
            return span(date(y, 1, 1), date(y, 12, 31), "annual")
        rs, re_ = (date(y, 1, 1), date(y, 12, 31)) if y != report_year else (rs, re_)
    # Prefixes meaning "this year" before a month phrase (今年1-11月, 全年1至11月).
    t = re.sub(r"^(今年|本年度?|全年)(?=\d|上|下|前|第|截至)", "", t)

    if t in _ANNUAL:
        return span(date(y, 1, 1), date(y, 12, 31), "annual")
    if t in _YTD_NOW:
        return span(date(y, 1, 1), re_, "ytd")
    if t in _PREV_YEAR:
        return span(date(y - 1, 1, 1), date(y - 1, 12, 31), "annual")
    if t in ("上半年", "上半年度", "前2季度", "1-6月", "1-6月份"):
        return span(date(y, 1, 1), date(y, 6, 30), "H1")
    if t in ("下半年", "下半年度"):
        return span(date(y, 7, 1), date(y, 12, 31), "H2")
    m = re.fullmatch(r"前([1-4])(个)?季度", t)
    if m:
        return span(date(y, 1, 1), _month_end(y, 3 * int(m.group(1))), "ytd")
    m = re.fullmatch(r"(第)?([1-4])季度", t)
    if m:
        q = int(m.group(2))
        return span(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter")
    # 截至10月底 / 截至10月 / 10月底 / 截止8月31日
    m = re.fullmatch(r"(截至|到|至)?(\d{1,2})月(份)?(底|末|末前|底前)?(止|为止)?", t)
    if m and 1 <= int(m.group(2)) <= 12:
        mo = int(m.group(2))
        if m.group(1) or m.group(4) or m.group(5):
            return span(date(y, 1, 1), _month_end(y, mo), "ytd")
        return span(date(y, mo, 1), _month_end(y, mo), "month")
    m = re.fullmatch(r"(截至|到|至)?(\d{1,2})月(\d{1,2})日(止|为止|前)?", t)
    if m:
        d = _safe_date(y, int(m.group(2)), int(m.group(3)))
        if m.group(1) or m.group(4):
            return span(date(y, 1, 1), d, "ytd")
        return span(d, d, "point")
    # 1-11月 / 3-5月
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})月(份)?(底|末)?(以来)?", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 12:
            return span(date(y, a, 1), _month_end(y, b), "ytd" if a == 1 else "range")
    # 5月份以来 / 自4月26日起 / 5月13日疫情发生后 → from that point to the report period's end
    m = re.fullmatch(r"(自|从)?(\d{1,2})月(份)?(\d{1,2}日)?(.{0,8}?)(以来|起|以后|后|至今|开始)", t)
    if m and 1 <= int(m.group(2)) <= 12:
        mo = int(m.group(2))
        d = _safe_date(y, mo, int(m.group(4)[:-1])) if m.group(4) else date(y, mo, 1)
        return span(d, re_, "since")
    # 近3年 / 3年来 / 2年内 / 过去5年 → the N years ending with the report year
    m = re.fullmatch(r"(近|过去|这)?(\d{1,2})(个)?年(来|以来|内|间|中)?", t)
    if m and (m.group(1) or m.group(4)):
        n = int(m.group(2))
        if 1 <= n <= 20:
            return span(date(y - n + 1, 1, 1), date(y, 12, 31), "annual" if n == 1 else "range")
    return PeriodSpan(period_text, None, None, "unknown", t)


def period_key(period_text: str | None, report_year: int,
               report_period_type: str | None = None, plan_context: str | None = None) -> str:
    """Stable md5 hex of (report_year, report period type, normalised phrase[, plan context]).
    The report period type is part of the key because 目前, 今年以来 and a missing phrase span
    different dates in an H1 report and in an annual one; the plan context because 年内 under
    二、2023年工作思路 is 2023; spellings of one phrase (1至11月, 1-11月) share a key."""
    natural = f"{report_year}|{report_period_type or 'annual'}|{normalise_text(period_text)}"
    if plan_context:
        natural += f"|{plan_context}"
    return hashlib.md5(natural.encode("utf-8")).hexdigest()


_OUT_SCHEMA = {
    "period_start": pl.Date,
    "period_end": pl.Date,
    "period_type": pl.Utf8,
    "period_label": pl.Utf8,
    "period_key": pl.Utf8,
}


def normalise_periods(df: pl.DataFrame, text_col: str = "period_text",
                      year_col: str = "report_year",
                      report_period_col: str = "report_period_type",
                      plan_col: str = "plan", titles_col: str = "section_titles") -> pl.DataFrame:
    """Add period_start, period_end, period_type, period_label, period_key to a frame holding
    (period_text, report_year, report_period_type[, plan, section_titles]). Plans are read in
    the span they target (plan_context). Only the few unique combinations are parsed in Python;
    the result is joined back."""
    df = df.with_columns(
        *([pl.lit(None, dtype=pl.Utf8).alias(report_period_col)] if report_period_col not in df.columns else []),
    )
    context_inputs = [c for c in (text_col, year_col, plan_col, titles_col) if c in df.columns]
    contexts = df.select(context_inputs).unique()
    context_rows = [
        (*row, plan_context(r.get(text_col), r.get(plan_col), r.get(titles_col), r.get(year_col)))
        for row, r in zip(contexts.iter_rows(), contexts.iter_rows(named=True))
    ]
    contexts = pl.DataFrame(context_rows, schema={**{c: df.schema[c] for c in context_inputs},
                                                  "_plan_context": pl.Utf8}, orient="row")
    df = df.join(contexts, on=context_inputs, how="left", nulls_equal=True, maintain_order="left")
    keys = [text_col, year_col, report_period_col, "_plan_context"]
    rows = []
    for text, year, rpt, ctx in df.select(keys).unique().iter_rows():
        if year is None:
            rows.append((text, year, rpt, ctx, None, None, "unknown", normalise_text(text), None))
            continue
        s = normalise_period(text, int(year), rpt, ctx)
        rows.append((text, year, rpt, ctx, s.start_date, s.end_date, s.period_type, s.label,
                     period_key(text, int(year), rpt, ctx)))
    mapping = pl.DataFrame(
        rows,
        schema={text_col: df.schema[text_col], year_col: df.schema[year_col],
                report_period_col: df.schema[report_period_col], "_plan_context": pl.Utf8, **_OUT_SCHEMA},
        orient="row",
    )
    return df.join(mapping, on=keys, how="left", nulls_equal=True, maintain_order="left").drop("_plan_context")
