"""Report metadata: title, the year and period a report reviews, its publication date and its
region — inferred from the report's own wording, overridden field by field by a manifest.

General rules only (the same code runs on reports from all over China); every inferred field
records where it came from in `ReportMeta.sources` and why in `ReportMeta.reasons`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

# Manifest reading moved to transforms/manifest.py; these names stay importable from here.
from transforms.decode import DocumentMeta
from transforms.lexicon import words
from transforms.manifest import MANIFEST_KEYS, PERIOD_VALUES, ManifestError, load_manifest  # noqa: F401
from transforms.periods import cn_to_int
from transforms.regions import RegionIndex, RegionMatch


@dataclass
class ReportMeta:
    file_name: str
    title: str | None
    report_year: int | None
    period_type: str | None  # 'annual' | 'H1' | 'Q1' | 'Q2' | 'Q3' | 'M1'…'M11' | None
    publish_date: date | None
    region_code: str | None
    street: str | None
    district: str | None
    city: str | None
    province: str | None
    region_source: str  # 'manifest' | 'inferred' | 'unknown'
    region_reason: str
    # field name → 'manifest' | 'inferred' | 'unknown'
    sources: dict[str, str] = field(default_factory=dict)
    # field name → short human-readable reason (what wording it was inferred from)
    reasons: dict[str, str] = field(default_factory=dict)
    # 'province' | 'prefecture' | 'county' | 'township': the level region_code is at
    region_level: str | None = None
    # the department named as issuer in the title (财政局, 统计局 …)
    issuing_department: str | None = None


# --------------------------------------------------------------------------------------------
# inference helpers
# --------------------------------------------------------------------------------------------

_SENTENCE_PUNCT = re.compile(r"[,,。;;!!??::、]")
_TITLE_END = re.compile(r"(总结|报告|思路|计划|要点|打算|汇报|情况|回顾|述职|安排|部署|规划|分析|公报|通报|综述)[)》」】”]*$")
_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]\s*(?P<m1>\d{1,2})\s*[-/.]\s*(?P<d1>\d{1,2})"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号])"
)
_CN_DATE_RE = re.compile(r"(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
                         r"(?P<d>[一二三四五六七八九十]{1,3})日")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# words that make a title's year the year it plans (transforms/data/plan_words.yaml, plan_title)
_PLAN_WORDS = tuple(words("plan_words", "plan_title"))


def _to_date(m: re.Match) -> date | None:
    try:
        if m.re is _CN_DATE_RE:
            y, mo, d = cn_to_int(m["y"]), cn_to_int(m["m"]), cn_to_int(m["d"])
        else:
            y = int(m["y"])
            mo = int(m["m1"] or m["m2"])
            d = int(m["d1"] or m["d2"])
        return date(y, mo, d) if y and mo and d else None
    except (ValueError, TypeError):
        return None


def _cn_years_to_arabic(text: str) -> str:
    # 二〇二二年 → 2022年 so that one year regex serves both spellings.
    return re.sub(r"[〇零○一二三四五六七八九]{4}(?=年)",
                  lambda m: str(cn_to_int(m.group(0))), text)


def _lines(text: str) -> list[str]:
    return [ln.strip(" \t\u3000|\ufeff") for ln in text.splitlines() if ln.strip(" \t\u3000|\ufeff")]


def _detect_title(text: str) -> tuple[str | None, date | None, str]:
    """The first line if it looks like a title (short, ends like a report name, no sentence
    punctuation); a date trailing it is taken as the publication date."""
    lines = _lines(text)
    if not lines:
        return None, None, "empty text"
    first = lines[0]
    pub = None
    m = re.search(r"\s*(?:(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)\s*$", first)
    if m and m.start() > 0:
        dm = _DATE_RE.search(m.group(0))
        pub = _to_date(dm) if dm else None
        first = first[: m.start()].strip()
    if len(first) > 60:
        return None, None, "first line too long for a title"
    if _SENTENCE_PUNCT.search(first):
        return None, None, "first line has sentence punctuation"
    if not _TITLE_END.search(first):
        return None, None, "first line does not end like a report title"
    return first, pub, "first line"


def _find_publish_date(text: str, title_date: date | None) -> tuple[date | None, str]:
    m = re.search(r"(?:发布日期|发布时间|发文日期|成文日期|日期)\s*[::]\s*", text[:600])
    if m:
        tail = text[m.end(): m.end() + 30]
        dm = _DATE_RE.match(tail) or _CN_DATE_RE.match(tail)
        if dm and _to_date(dm):
            return _to_date(dm), f"'{m.group(0).strip()}' line"
    if title_date:
        return title_date, "date after the title"
    # A closing line made only of a date (optionally after the issuing office) signs the report.
    for ln in _lines(text)[-3:][::-1]:
        for rx in (_DATE_RE, _CN_DATE_RE):
            dm = rx.search(ln)
            if dm and len(ln) - len(dm.group(0)) <= 20 and not _SENTENCE_PUNCT.search(ln) \
                    and ln.endswith(dm.group(0)):
                d = _to_date(dm)
                if d:
                    return d, "closing date line"
    return None, "no publication date stated"


# Genres delivered early in the year they are named after, reviewing the year before: a
# 2023年政府工作报告 (to the congress in January 2023) reviews 2022. A 2023年工作总结 or a
# 2023年统计公报 names the year it reviews.
_DELIVERED_AT_START_OF_YEAR = ("政府工作报告",)


def _title_year(title: str) -> int | None:
    """The year a title reviews: the first year not followed by plan words (2022年工作总结及
    2023年工作思路 → 2022); for a genre delivered at the start of its year, the year before."""
    t = _cn_years_to_arabic(title)
    ms = list(_YEAR_RE.finditer(t))
    if len(ms) == 1:
        rest = t[ms[0].end():]
        if any(rest.lstrip("度").startswith(g) or re.match(r"^[^年]{0,16}" + g, rest) for g in _DELIVERED_AT_START_OF_YEAR):
            return int(ms[0].group(1)) - 1
    for i, m in enumerate(ms):
        seg = t[m.end(): ms[i + 1].start() if i + 1 < len(ms) else len(t)]
        if not any(w in seg for w in _PLAN_WORDS) or any(w in seg for w in ("总结", "报告", "成效", "回顾")):
            return int(m.group(1))
    return None


def _body_year(text: str) -> tuple[int | None, str]:
    t = _cn_years_to_arabic(text)
    head = t[:400]
    # 1) the report opens on its year: "2022年,东港街道…", "2021年以来", "2023年是…"
    m = re.match(r"[\s\ufeff]*(?:[一二三四五六七八九十]+[、.]\s*)?((?:19|20)\d{2})\s*年(?:度)?\s*"
                 r"(?:上半年|前三季度|第?[一二三]季度|1\s*[-—至~到]\s*\d{1,2}\s*月)?\s*(?:[,,、]|以来|是|来|里|中)", head)
    if m:
        return int(m.group(1)), f"text opens with {m.group(1)}年"
    # 2) the report names its own review: "2021年度工作总结", "一、2022年工作成效"
    m = re.search(r"((?:19|20)\d{2})\s*年(?:度)?(?:的)?(?:主要)?(?:工作)?(?:总结|工作成效|工作情况|工作回顾|主要工作|工作开展情况|主要成绩)", t)
    if m:
        return int(m.group(1)), f"'{m.group(0)}' in text"
    # 3) "今年 …": the year the report mentions most (years before plan words do not count)
    counts: Counter[int] = Counter()
    for ym in _YEAR_RE.finditer(t):
        after = t[ym.end(): ym.end() + 6]
        if any(w in after for w in _PLAN_WORDS):
            continue
        counts[int(ym.group(1))] += 1
    if counts:
        (y, n), *rest = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))
        if "今年" in t or "本年" in t:
            return y, f"text speaks of 今年; {y}年 is the year mentioned most ({n}x)"
        return y, f"{y}年 is the year mentioned most ({n}x)"
    return None, "no year in title or text"


# (pattern, period) in priority order; used on the title and on the report's own heading phrase.
_PERIOD_PATTERNS: list[tuple[str, str]] = [
    (r"上半年", "H1"),
    (r"前三季度|1\s*[-—至~]\s*9\s*月", "Q3"),
    (r"第?一季度|1\s*[-—至~]\s*3\s*月", "Q1"),
    (r"第?二季度", "Q2"),
    (r"第?三季度", "Q3"),
]


def _month_period(s: str) -> str | None:
    m = re.search(r"(?<!\d)1\s*[-—至~到]\s*(\d{1,2})\s*月", s)
    if m and 1 <= int(m.group(1)) <= 11:
        n = int(m.group(1))
        return {6: "H1", 3: "Q1", 9: "Q3"}.get(n, f"M{n}")
    return None


def _period_from_phrase(s: str) -> str | None:
    for pat, p in _PERIOD_PATTERNS:
        if re.search(pat, s):
            return p
    mp = _month_period(s)
    if mp:
        return mp
    if re.search(r"年度|全年|年(?:工作)?(?:总结|报告|工作)|一年来|今年", s):
        return "annual"
    return None


def _infer_period(title: str | None, text: str, year_found: bool) -> tuple[str | None, str]:
    if title:
        t = title
        # drop the plan part of "…总结及2023年工作思路"
        cut = re.search(r"(及|和|暨|与)[^及和暨与]*(" + "|".join(_PLAN_WORDS) + r")", t)
        if cut:
            t = t[: cut.start()]
        p = _period_from_phrase(t)
        if p:
            return p, f"title '{title}'"
    # The report's own review heading: "上半年工作总结", "今年工作总结报告如下", "2021年度工作总结"
    m = re.search(
        r"(上半年|前三季度|第?[一二三]季度|1\s*[-—至~到]\s*\d{1,2}\s*月|(?:19|20)\d{2}\s*年度?|今年|全年|本年度?|一年来)"
        r"(?:的)?(?:主要)?(?:工作)?(?:总结|工作情况|工作回顾|开展情况|工作成效|主要工作)",
        text,
    )
    if m:
        p = _period_from_phrase(m.group(1) + "工作")
        if p:
            return p, f"'{m.group(0)}' in text"
    # The opening words: "2023年上半年,…", "今年1-9月,…", "上半年以来,…"
    m = re.match(r"[\s\ufeff]*(?:(?:19|20)\d{2}\s*年|今年)?\s*(上半年|前三季度|第?[一二三]季度|1\s*[-—至~到]\s*\d{1,2}\s*月)"
                 r"\s*(?:[,,、]|以来|来|里|中|全)", text)
    if m:
        p = _period_from_phrase(m.group(1))
        if p:
            return p, f"text opens with {m.group(0).strip()}"
    # Counting: a text that reviews 上半年 and plans 下半年 is a half-year report, etc.
    h1 = len(re.findall(r"上半年", text))
    plans_h2 = re.search(r"下半年(?:的)?(?:工作|重点|打算|计划|思路|安排|部署)|做好下半年", text)
    if h1 >= 2 and plans_h2:
        return "H1", f"上半年 {h1}x and plans for 下半年"
    q3 = len(re.findall(r"前三季度|1\s*[-—至~]\s*9\s*月", text))
    if q3 >= 2 and re.search(r"第?四季度", text):
        return "Q3", f"前三季度 {q3}x and plans for 四季度"
    q1 = len(re.findall(r"第?一季度|1\s*[-—至~]\s*3\s*月", text))
    if q1 >= 2 and re.search(r"第?二季度(?:的)?(?:工作|重点|打算|计划)", text):
        return "Q1", f"一季度 {q1}x and plans for 二季度"
    if year_found:
        return "annual", "no sub-annual period stated; a work report reviews its year"
    return None, "no period stated"


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------

def infer_report_meta(file_name: str, text: str, regions: RegionIndex,
                      manifest_entry: dict | None = None,
                      document: DocumentMeta | None = None) -> ReportMeta:
    """Metadata of one report. Manifest values (non-null) override inference field by field;
    the document's own metadata (HTML title/发布日期, DOCX core properties, PDF Info) fills in
    what the text does not state."""
    man = manifest_entry or {}
    sources: dict[str, str] = {}
    reasons: dict[str, str] = {}

    def pick(field_name: str, key: str, inferred, why: str):
        if man.get(key) is not None:
            sources[field_name], reasons[field_name] = "manifest", "manifest"
            return man[key]
        sources[field_name] = "inferred" if inferred is not None else "unknown"
        reasons[field_name] = why
        return inferred

    title_i, title_date, title_why = _detect_title(text)
    doc_title = _document_title(document)
    if title_i is None and doc_title:
        title_i, title_why = doc_title, f"{document.format} document title"
    title = pick("title", "title", title_i, title_why)

    if title_i is not None:
        year_i, year_why = _title_year(title_i), f"title '{title_i}'"
        if year_i is None:
            year_i, year_why = _body_year(text)
    else:
        year_i, year_why = _body_year(text)
    pub_i, pub_why = _find_publish_date(text, title_date)
    pub_i, pub_why = _document_date(document, pub_i, pub_why)
    if year_i is None and pub_i is not None:
        # Last resort: annual reports are published early in the following year.
        year_i = pub_i.year - 1 if pub_i.month <= 3 else pub_i.year
        year_why = f"from publication date {pub_i.isoformat()}"
    report_year = pick("report_year", "year", year_i, year_why)

    period_i, period_why = _infer_period(title_i, text, report_year is not None)
    period_type = pick("period_type", "period", period_i, period_why)
    publish_date = pick("publish_date", "publish_date", pub_i, pub_why)

    # Region: the manifest's place fields are a hint the index resolves (code → names).
    hint = {k: man[k] for k in ("region_code", "street", "district", "city", "province")
            if man.get(k) is not None}
    rm: RegionMatch = regions.resolve(title, text, hint or None)
    for f in ("region_code", "street", "district", "city", "province"):
        if rm.source == "manifest":
            sources[f] = "manifest"
        else:
            sources[f] = "inferred" if getattr(rm, f) is not None else "unknown"
        reasons[f] = rm.reason
    return ReportMeta(
        file_name=file_name,
        title=title,
        report_year=report_year,
        period_type=period_type,
        publish_date=publish_date,
        region_code=rm.region_code,
        street=rm.street,
        district=rm.district,
        city=rm.city,
        province=rm.province,
        region_source=rm.source,
        region_reason=rm.reason,
        sources=sources,
        reasons=reasons,
        region_level=rm.region_level,
        issuing_department=rm.department,
    )


def _document_title(document: DocumentMeta | None) -> str | None:
    """A document title property worth using: Chinese, not a file name or an editor's default
    ("Microsoft Word - 报告.doc", "无标题")."""
    if document is None or not document.title:
        return None
    t = re.sub(r"^Microsoft Word\s*-\s*", "", document.title).strip()
    t = re.sub(r"\.(docx?|pdf|wps)$", "", t, flags=re.IGNORECASE)
    if not re.search(r"[\u4e00-\u9fff]{4}", t) or len(t) > 80 or t in ("无标题", "新建文档"):
        return None
    return t


def _document_date(document: DocumentMeta | None, found: date | None, why: str) -> tuple[date | None, str]:
    """The page's own 发布日期 (HTML) beats a date in the text; a DOCX/PDF creation date is
    only a last resort (it is often the date of a conversion)."""
    if document is None or not document.publish_date:
        return found, why
    try:
        stated = date.fromisoformat(document.publish_date)
    except ValueError:
        return found, why
    if document.format == "html":
        return stated, "the page's publish date (发布日期/PubDate)"
    if found is None:
        return stated, f"{document.format} document creation date"
    return found, why
