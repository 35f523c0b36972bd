"""Fact extraction: report text -> the facts frame (docs/architecture.md, Contract 1).

Stages: find mentions (transforms.mentions) -> place each in its clause and sentence, give it an
indicator, measure, period and plan flag -> normalise units, multipliers and qualifiers as
polars expressions over the whole frame (transforms.units, transforms.qualifiers).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from decimal import Decimal

import polars as pl

from transforms.indicator_text import build_indicator, clean_left, enumerated_items, noun_head
from transforms.mentions import Mention, find_mentions
from transforms.period_text import PeriodIndex
from transforms.qualifiers import qualifier_expr
from transforms.sections import SectionIndex
from transforms.units import VALUE_DTYPE, normalise_units

FACT_SCHEMA: dict[str, pl.DataType] = {
    "doc": pl.Utf8, "evidence": pl.Utf8, "evidence_start": pl.Int64, "evidence_end": pl.Int64,
    "value_start": pl.Int64, "value_end": pl.Int64, "indicator": pl.Utf8, "raw_value": pl.Utf8,
    "unit_written": pl.Utf8, "value": VALUE_DTYPE, "unit": pl.Utf8, "measure": pl.Utf8,
    "qualifier": pl.Utf8, "period_text": pl.Utf8, "plan": pl.Boolean, "section_path": pl.Utf8,
    "section_title": pl.Utf8, "section_titles": pl.Utf8,
}
_RAW_SCHEMA: dict[str, pl.DataType] = {
    "doc": pl.Utf8, "evidence": pl.Utf8, "evidence_start": pl.Int64, "evidence_end": pl.Int64,
    "value_start": pl.Int64, "value_end": pl.Int64, "indicator": pl.Utf8, "raw_value": pl.Utf8,
    "unit_written": pl.Utf8, "numeral": pl.Utf8, "sign": pl.Int8, "qualifier_word": pl.Utf8,
    "measure": pl.Utf8, "period_text": pl.Utf8, "plan": pl.Boolean, "section_path": pl.Utf8,
    "section_title": pl.Utf8, "section_titles": pl.Utf8,
}

# a space before a digit is just spacing (面积达 855.31平米); other whitespace separates headings;
# a comma between digits followed by three digits groups thousands (1,234 / full-width ４，２８６)
_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|(?<![０-９])，|，(?![０-９]{3}(?![０-９]))|[;；。！？!?：:\n\r()（）]|[ \t\u3000](?=[\u4e00-\u9fff(（])")
# semicolons do not end a sentence: a period phrase governs all of its clauses (今年1-11月,…;…)
_SENTENCE_SPLIT = re.compile(r"[。！？!?\n\r]|[ \t\u3000](?=[\u4e00-\u9fff(（])")
_GROWTH = re.compile(r"(?:增长|增加|上升|提高|提升|增幅|增速|涨幅|上涨|增产|下降|减少|降低|回落|下滑|降幅|下跌|减产|扩大|缩小)(?:了|为|达到|达|是)?$")
_DECREASE = re.compile(r"(?:下降|减少|降低|回落|下滑|降幅|下跌|减产|拉低|拉下|缩小)(?:了|为|达到|达|是)?$")
_PULL_DOWN = re.compile(r"(?:拉低|拉下|下拉)[^,，;；、\d]{0,12}$")
# a growth verb right after a subject and right before an amount (收入减少4.6亿元, 人口增加2万人)
_SUBJECT_CHANGE = re.compile(r"[\u4e00-\u9fff](?:收入|支出|人口|人数|总量|产量|面积|余额|总额|规模)(?:增加|减少|下降|增长)$")
_COMPARED = re.compile(r"(?:较|比|同比|环比)")
# 计划 as a verb (计划年内完成), not the noun of 行动计划/工作计划
# 争取 before funding (争取上级资金/中央预算内投资/专项债券) reports money secured, not a target
_ACHIEVED = re.compile(r"已|完成|建成|实现|累计|达到|达|共计|合计|同比|增长|下降")
_PLAN_LEAD = re.compile(r"[ \u3000]*(?:并|将|均)?(?:计划|力争|争取|预计|拟)(?:于|在|到|年内|年底|今年|明年|\d|[一二两三四五六七八九十]+年)")
_PLAN_WORDS = re.compile(r"(?<![动作度划])计划(?![,，。、;；》”的书表])|力争|"
                         r"争取(?!到|上级|中央|省|市|国家|各级|各类|专项|资金|债券|补助|转移支付|政策|地方政府|支持"
                         r"|[^,，;；。、\d完实达]{0,6}?(?:资金|投资|债券|补助|补贴|拨款|奖补))|"
                         r"(?<![模虚])拟|预计|预期(?:增长|目标|达到|完成|实现)|目标[是为]|确保完成|下一步|下步|下阶段|明年|"
                         # 将 + an adverb of intent announces what is to be done (下半年,街道将全力冲刺…)
                         r"(?<![即])将(?:全力|继续|进一步|着力|重点|加快|持续|力争|确保|紧紧|紧扣|聚焦|全面|深入|大力)")


# 年度计划投资2180亿元: the amount named as planned is a target
_PLANNED_AMOUNT = re.compile(r"^(?:(?!完成|占|为).)*计划(?:总)?[^\W\d_的]{1,3}$")
_PLAN_AFTER = re.compile(r"计划|力争|争取|预计|拟")


def _bracketed(text: str, start: int, pos: int) -> bool:
    """Is `pos` inside a bracket opened after `start` and not yet closed?"""
    opened = max(text.rfind("(", start, pos), text.rfind("（", start, pos))
    return opened >= 0 and max(text.rfind(")", opened, pos), text.rfind("）", opened, pos)) < 0


def _bounds(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    """Segment [a, b) around `pos` given sorted delimiter positions."""
    i = bisect.bisect_right(starts, pos - 1)
    a = starts[i - 1] + 1 if i > 0 else 0
    b = starts[i] if i < len(starts) else length
    return a, b


def _measure(left: str, unit_written: str) -> tuple[str, int]:
    """(measure, sign) from the words right before the number."""
    if unit_written.endswith("百分点"):
        # 拉低全区投资增速2.2个百分点: pulling a rate down by points is a negative change
        return "change", -1 if _DECREASE.search(left) or _PULL_DOWN.search(left) else 1
    grows = _GROWTH.search(left)
    if unit_written == "倍":
        # 增长2倍 is a change by a multiple; 是上年的1.6倍 a level (ratio to the baseline)
        return ("change", -1 if _DECREASE.search(left) else 1) if grows else ("level", 1)
    if unit_written in ("%", "％", "‰", "成"):
        if grows:
            return "yoy_pct", -1 if _DECREASE.search(left) else 1
        return "rate", 1
    if grows and (_COMPARED.search(left) or _SUBJECT_CHANGE.search(left)):
        return "change", -1 if _DECREASE.search(left) else 1
    return "level", 1


_SEPARATORS = "、和及与,，;；"
_BASELINE = re.compile(r"^(?:为|是|占|相当于|完成了?|达到)[^,，;；、\d]{1,12}?的$")
_SHARE_WORDS = {"占比", "比重", "比例", "占"}


def _assign_between_text(text: str, mentions: list[Mention], clause_of: list[tuple[int, int]]
                         ) -> list[tuple[str, str, str]]:
    """Left and right context of each mention, cut at neighbouring numbers of the same clause.

    The words between two numbers name one of them: "A、B 2个" style lists (text opens with a
    separator) give them to the next number, "2个A、3个B" (text ends with a separator) to the
    previous one; without separators they go to the previous number when the next one has words
    of its own after it (N1 X N2 Y), else to the next (X N1 Y N2), and the previous number then
    shares them (returned third: text it may take its noun head from).
    """
    out: list[list[str]] = []
    for k, m in enumerate(mentions):
        c_start, c_end = clause_of[k]
        has_prev = k > 0 and clause_of[k - 1] == clause_of[k]
        has_next = k + 1 < len(mentions) and clause_of[k + 1] == clause_of[k]
        left = "" if has_prev else text[c_start:m.start]
        right = "" if has_next else text[m.end:c_end]
        out.append([left, right, ""])
    for k in range(len(mentions) - 1):
        if clause_of[k + 1] != clause_of[k]:
            continue
        between = text[mentions[k].end:mentions[k + 1].start]
        if not between:
            # 23处近5100m2 / 5375户12419人: adjacent numbers measure the same thing
            out[k][2] = out[k][2] or text[mentions[k + 1].end:clause_of[k][1]]
            continue
        after_next_end = mentions[k + 2].start if k + 2 < len(mentions) and clause_of[k + 2] == clause_of[k] else clause_of[k][1]
        after_next = text[mentions[k + 1].end:after_next_end]
        if between[0] in _SEPARATORS:
            out[k + 1][0] = between
        elif between[-1] in _SEPARATORS:
            out[k][1] = between
        elif after_next.strip(_SEPARATORS) and after_next[0] not in _SEPARATORS:
            out[k][1] = between
        else:
            out[k + 1][0] = between
            if not out[k][1]:
                out[k][2] = between
    return [tuple(o) for o in out]  # type: ignore[misc]


_COMPARISON_LEFT = re.compile(r"^(?P<rate>增速|增幅|降幅|涨幅)?(?:增长)?(?:高于|低于|快于|慢于|高出|低出|较|比)")
_RESPECTIVELY_BARE = re.compile(r"^\s*(?:同比|比上年|较上年|比去年|较去年)?(?:也|均)?分别(?:为|是|达到|达|增长|增加|提高|下降|减少|上涨)?$")
_RESPECTIVELY_BASELINE = re.compile(r"^\s*(?:也|均)?分别(?P<base>(?:为|是|占|相当于|完成了?|达到|恢复到|恢复至)"
                                    r"(?:[^,，;；、\d]|\d{4}年){1,14}?)的$")
_RESPECTIVELY = re.compile(r"^(?P<items>[^,，;；]+?)(?:的)?分别(?:为|是|达到|达|完成|实现|增长|增加|提高|下降|减少"
                           r"|(?:提高|提升|增加|增长|下降|降低|调整)(?:到|至)|控制在|保持在)?"
                           r"(?:每[人户名]每[月日年天]|每[月日年天人户名])?$")


_HEAD_NOUN = re.compile(r"(?:支出|收入|投资|增加值|产值|销售额|零售额|营业额|产量|面积|余额)$")


def _distribute_head(items: list[str]) -> list[str]:
    """第一、二、三产业增加值 / 城镇、农村居民收入: short items share the last item's head noun
    (-> 第一产业增加值, 第二产业增加值, …; 城镇居民收入, 农村居民收入)."""
    if len(items) < 2:
        return items
    ordinal = items[0].startswith("第") and len(items[0]) == 2
    short = [i[1:] if ordinal and n == 0 else i for n, i in enumerate(items[:-1])]
    width = len(short[0])
    if width > 3 or any(len(i) != width for i in short) or len(items[-1]) <= width + 1:
        # 教育、社会保障和就业、城乡社区支出: a head noun closing the last item only is shared
        head = _HEAD_NOUN.search(items[-1])
        if head and len(items[-1]) > len(head.group(0)) and not any(_HEAD_NOUN.search(i) for i in items[:-1]):
            return [i + head.group(0) for i in items[:-1]] + [items[-1]]
        return items
    last = items[-1][1:] if ordinal and items[-1].startswith("第") else items[-1]
    head = last[width:]
    prefix = "第" if ordinal else ""
    return [prefix + i + head for i in short] + [prefix + last]


def _respectively(text: str, mentions: list[Mention], clause_of: list[tuple[int, int]]
                  ) -> dict[int, tuple]:
    """A、B分别增长X和Y: pair the listed names with the numbers of the clause, in order
    (name None: the number takes the first number's indicator; an int -n: the n-th last level
    stated in the sentence before the clause, with an optional third item, a baseline to append)."""
    out: dict[int, tuple] = {}
    k = 0
    while k < len(mentions):
        group = [j for j in range(k, len(mentions)) if clause_of[j] == clause_of[k]]
        k = group[-1] + 1
        if len(group) < 2:
            continue
        c0 = clause_of[group[0]][0]
        lead = text[c0:mentions[group[0]].start]
        if c0 > 0 and text[c0 - 1] in ")）" and "分别" in lead:
            # 批发业、零售业销售额(营业额)分别增长…: the names are before the parenthetical remark
            opened = max(text.rfind("(", 0, c0 - 1), text.rfind("（", 0, c0 - 1))
            if opened > 0 and c0 - opened <= 16:
                before = re.split(r"[,，;；。:：\n]", text[max(0, opened - 40):opened])[-1]
                lead = before + lead
        based = _RESPECTIVELY_BASELINE.match(lead)
        if based:
            # A 2亿美元、B 146亿元,分别完成年度任务的107%和104%: each level's ratio to its baseline
            for i, j in enumerate(group):
                out[j] = (i - len(group), group[0], based.group("base"))
            continue
        if _RESPECTIVELY_BARE.match(lead):
            # A 8亿元、B 4亿元,分别增长5%和7%: the names are the levels just stated (negative
            # index: how far back among the sentence's levels)
            for i, j in enumerate(group):
                out[j] = (i - len(group), group[0])
            continue
        m = _RESPECTIVELY.match(lead)
        if not m:
            continue
        items = [clean_left(i) for i in m.group("items").split("、") if i]
        if len(items) != len(group):  # 城镇和农村居民…: 和/及/与 join items too, unless inside one (社会保障和就业)
            items = [clean_left(i) for i in re.split(r"[、和及与]", m.group("items")) if i]
        items = _distribute_head(items)
        if len(items) != len(group):
            # 标准分别提高5%和8%: one name, several numbers; they share the first one's reading
            for j in group[1:]:
                out[j] = (None, group[0])
            continue
        for name, j in zip(items, group):
            out[j] = (name, group[0])
    return out


def _share_indicator(text: str, c_start: int, s_start: int, word: str,
                     level: tuple[str, int, int] | None) -> str:
    """A bare 占比/比重 takes its subject from the clause before (…收入比重稳步提升,占比达到14%)
    or from the level just stated (调解案件560件,占比47%)."""
    prev_clause = text[s_start:max(s_start, c_start - 1)]
    prev_clause = re.split(r"[,，;；:：]", prev_clause)[-1] if prev_clause else ""
    m = re.search(r"^.*?(?:比重|占比|比例)", prev_clause)
    if m:
        return m.group(0)
    if level is not None:
        return level[0] + word
    return word


def _unique_evidence(text: str, clause_starts: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Extend evidence leftwards clause by clause until it is the first occurrence in the text,
    so that anyone locating it by search lands on this place."""
    while text.find(text[start:end]) != start and start > 0:
        i = bisect.bisect_left([c[0] for c in clause_starts], start) - 1
        if i < 0:
            break
        start = clause_starts[i][0]
    return start, end


def _raw_rows(text: str, doc: str) -> list[dict]:
    mentions = find_mentions(text)
    if not mentions:
        return []
    n = len(text)
    clause_delims = [m.start() for m in _CLAUSE_SPLIT.finditer(text)]
    sentence_delims = [m.start() for m in _SENTENCE_SPLIT.finditer(text)]
    periods = PeriodIndex(text)
    sections = SectionIndex(text)
    clause_of = [_bounds(clause_delims, m.start, n) for m in mentions]
    clause_list: list[tuple[int, int]] = []
    rows: list[dict] = []
    last_level: dict[tuple[int, int], tuple[str, int, int]] = {}
    last_fact: dict[tuple[int, int], str] = {}
    owners = _assign_between_text(text, mentions, clause_of)
    respectively = _respectively(text, mentions, clause_of)
    rows_measure: dict[int, tuple[str, int]] = {}
    rows_indicator: dict[int, str] = {}
    sentence_levels: dict[tuple[int, int], list[str]] = {}
    group_levels: dict[int, list[str]] = {}
    for k, m in enumerate(mentions):
        c_start, c_end = clause_of[k]
        s_start, s_end = _bounds(sentence_delims, m.start, n)
        prev_in_clause = mentions[k - 1] if k > 0 and clause_of[k - 1] == clause_of[k] else None
        left_from = prev_in_clause.end if prev_in_clause else c_start
        left, right, shared = owners[k]
        measure, sign = _measure(text[c_start:m.start], m.unit_written)
        key = (s_start, s_end)
        pair = respectively.get(k)
        if pair is not None:
            name, first = pair[0], pair[1]
            if isinstance(name, int):
                if first == k:
                    group_levels[k] = list(sentence_levels.get(key, []))
                levels = group_levels[first]
                indicator = levels[name] if len(levels) >= -name else build_indicator(left, right)
                if len(pair) > 2 and len(levels) >= -name:
                    indicator += pair[2]
            else:
                indicator = name if name is not None else rows_indicator[first]
            if first != k:  # 分别增长5.2%和3.1%: the later numbers share the first one's measure
                measure, sign = rows_measure[first]
        elif measure == "yoy_pct" and key in last_level and not clean_left(left):
            indicator = last_level[key][0]
        elif measure == "change" and key in last_fact and (
                not clean_left(left) or _COMPARISON_LEFT.match(clean_left(left))):
            indicator = last_fact[key]  # 比上年提高2.3个百分点: the change of what was just stated
            compared = _COMPARISON_LEFT.match(clean_left(left))
            if compared and compared.group("rate") and not indicator.endswith(compared.group("rate")):
                indicator += compared.group("rate")  # 降幅较一季度收窄6.5个百分点: the change of the rate
        else:
            indicator = build_indicator(left, right)
            if shared:
                # 16个重点项目完成投资11.51亿元: the words after 16个 start with what it counts
                indicator = build_indicator(left, noun_head(shared))
            if not indicator and not prev_in_clause and c_start > 0 and text[c_start - 1] in "(（":
                # 出口额(同比增长6.1%): a figure in parentheses is about the words before them
                indicator = build_indicator(text[_bounds(clause_delims, c_start - 1, n)[0]:c_start - 1], "")
            if not indicator and not prev_in_clause and c_start > 0 and text[c_start - 1] in ")）":
                # 储蓄存款余额(含外币)达到512亿元: the name is before the parenthetical remark
                opened = max(text.rfind("(", 0, c_start - 1), text.rfind("（", 0, c_start - 1))
                if opened > 0 and c_start - opened <= 30:
                    p_start = _bounds(clause_delims, opened, n)[0]
                    indicator = build_indicator(text[p_start:opened], "")
            if not indicator and k + 1 < len(mentions) and clause_of[k + 1] == clause_of[k]:
                indicator = build_indicator("", owners[k + 1][1])  # 6支231人的志愿服务分队
            if not indicator and prev_in_clause is not None:
                indicator = build_indicator(text[c_start:prev_in_clause.start], "")
            if not indicator and key in last_fact:
                indicator = last_fact[key]  # 增长2倍: about what the sentence just measured
            base = _BASELINE.match(left.strip(" ,，\u3000"))
            if base and key in last_level and measure in ("rate", "level"):
                # 为预算的102.4% / 是上年的1.6倍 / 完成年度目标的64%: a ratio of what was just stated
                indicator = last_level[key][0] + base.group(0)[:-1]
            if indicator.startswith("占") and measure == "rate" and last_fact.get(key) \
                    and not indicator.startswith(last_fact[key]):
                indicator = last_fact[key] + indicator  # …1402.6亿元,占进出口总额的比重为60.5%
            if indicator in _SHARE_WORDS:
                indicator = _share_indicator(text, c_start, s_start, indicator, last_level.get(key))
        prev_sentence_start = (_bounds(sentence_delims, max(0, s_start - 2), n)[0]
                               if text.startswith("其中", s_start) else None)
        period = periods.governing(m.start, m.end, s_start, c_end, prev_sentence_start)
        section = sections.at(m.start)
        plan = bool(section and section.plan) or bool(_PLAN_WORDS.search(text, s_start, c_end)) \
            or bool(_PLANNED_AMOUNT.match(text[c_start:m.start]))
        plan_period = None
        if not plan and c_end < s_end and not _ACHIEVED.search(text, c_start, c_end):
            # 新建安置房1200套,计划两年内完成 / 对79个车棚(地面52个、地下27个)进行建设,计划在两年内
            # 完成: a plan clause after the sentence's last figures (those in brackets aside) makes
            # them targets, and a time phrase in it is their period
            later = [j for j in range(k + 1, len(mentions)) if mentions[j].start < s_end]
            if all(clause_of[j] == clause_of[k] or _bracketed(text, s_start, mentions[j].start) for j in later):
                cur = max([clause_of[j][1] for j in later] + [c_end])
                for _ in range(3):
                    nxt = _bounds(clause_delims, cur + 1, n)
                    if nxt[0] >= s_end or nxt[1] > s_end:
                        break
                    if _PLAN_LEAD.match(text, nxt[0]):
                        plan = True
                        plan_period = periods.first_within(nxt[0], nxt[1])
                        break
                    cur = nxt[1]
        else:
            # 另有12个车棚计划年内完成改造: a plan verb and a time phrase after the number, in its clause
            lead = _PLAN_AFTER.search(text, m.end, c_end)
            if lead or plan:
                # (a target's own deadline: 确保12个重点项目年底前竣工投产)
                plan_period = periods.first_within(lead.end() if lead else m.end, c_end)
        if plan_period:
            period = plan_period
        ev_start, ev_end = c_start, c_end
        if measure in ("yoy_pct", "change") and key in last_level:
            ev_start = min(ev_start, last_level[key][1])
        while ev_start < ev_end and text[ev_start] in " \u3000\t":
            ev_start += 1
        ev_start, ev_end = _unique_evidence(text, clause_list, ev_start, ev_end) if clause_list else (ev_start, ev_end)
        rows_measure[k] = (measure, sign)
        rows_indicator[k] = indicator
        if measure == "level":
            last_level[key] = (indicator, c_start, k)
            sentence_levels.setdefault(key, []).append(indicator)
        if measure in ("level", "rate", "yoy_pct"):
            last_fact[key] = indicator
        if not clause_list or clause_list[-1] != (c_start, c_end):
            clause_list.append((c_start, c_end))
        items = enumerated_items(text[left_from:m.start].strip()) if measure == "rate" else []
        for name in items or [indicator]:
            rows.append({
                "doc": doc, "evidence": text[ev_start:ev_end], "evidence_start": ev_start, "evidence_end": ev_end,
                "value_start": m.start, "value_end": m.end, "indicator": name, "raw_value": m.raw_value,
                "unit_written": m.unit_written, "numeral": m.numeral, "sign": sign,
                "qualifier_word": m.qualifier_word, "measure": measure, "period_text": period, "plan": plan,
                "section_path": section.path if section else None,
                "section_title": section.title if section else None,
                "section_titles": section.titles_text if section else None,
            })
    return rows


def _normalise(raw: pl.DataFrame) -> pl.DataFrame:
    """Multipliers, canonical units and qualifiers as frame-wide polars expressions."""
    return (
        normalise_units(raw)
        .with_columns(qualifier=qualifier_expr("qualifier_word"))
        .select([pl.col(c).cast(t) for c, t in FACT_SCHEMA.items()])
    )


def extract_documents(docs: Iterable[tuple[str, str]]) -> pl.DataFrame:
    """Facts of many (doc, text) pairs, one frame, in document then text order."""
    rows: list[dict] = []
    for doc, text in docs:
        rows.extend(_raw_rows(text, doc))
    raw = pl.DataFrame(rows, schema=_RAW_SCHEMA) if rows else pl.DataFrame(schema=_RAW_SCHEMA)
    return _normalise(raw)


def extract_facts(text: str, doc: str) -> pl.DataFrame:
    """Facts of one report (Contract 1)."""
    return extract_documents([(doc, text)])


def _json_number(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def facts_to_jsonl_records(df: pl.DataFrame) -> list[dict]:
    """Rows of the facts frame as the `baogao extract --format jsonl` objects (value a JSON number)."""
    keys = ["doc", "evidence", "indicator", "raw_value", "value", "unit", "measure", "qualifier",
            "period_text", "plan", "evidence_start", "evidence_end", "section_path", "section_title"]
    records = []
    for row in df.select(keys).iter_rows(named=True):
        row["value"] = _json_number(row["value"])
        records.append(row)
    return records
