"""Fact extraction: report text -> the facts frame (docs/architecture.md, Contract 1).

Stages: find mentions (transforms.mentions) -> place each in its clause and sentence, give it an
indicator, measure, period and plan flag -> normalise units, multipliers and qualifiers as
polars expressions over the whole frame (transforms.units, transforms.qualifiers).
"""
from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from transforms.lexicon import alternation, tagged
from transforms.indicator_text import build_indicator, clean_left, enumerated_items, noun_head
from transforms.mentions import Mention, find_mentions
from transforms.period_text import PeriodIndex
from transforms.qualifiers import qualifier_expr
from transforms.sections import SectionIndex
from transforms.units import PERCENT_UNITS, VALUE_DTYPE, normalise_units

FACT_SCHEMA: dict[str, pl.DataType] = {
    "doc": pl.Utf8, "evidence": pl.Utf8, "evidence_start": pl.Int64, "evidence_end": pl.Int64,
    "value_start": pl.Int64, "value_end": pl.Int64, "indicator": pl.Utf8, "raw_value": pl.Utf8,
    "unit_written": pl.Utf8, "value": VALUE_DTYPE, "unit": pl.Utf8, "measure": pl.Utf8,
    "qualifier": pl.Utf8, "period_text": pl.Utf8, "plan": pl.Boolean, "section_path": pl.Utf8,
    "section_title": pl.Utf8, "section_titles": pl.Utf8, "rules": pl.List(pl.Utf8),
}
_RAW_SCHEMA: dict[str, pl.DataType] = {
    "doc": pl.Utf8, "evidence": pl.Utf8, "evidence_start": pl.Int64, "evidence_end": pl.Int64,
    "value_start": pl.Int64, "value_end": pl.Int64, "indicator": pl.Utf8, "raw_value": pl.Utf8,
    "unit_written": pl.Utf8, "numeral": pl.Utf8, "sign": pl.Int8, "qualifier_word": pl.Utf8,
    "measure": pl.Utf8, "period_text": pl.Utf8, "plan": pl.Boolean, "section_path": pl.Utf8,
    "section_title": pl.Utf8, "section_titles": pl.Utf8,
    "rules": pl.Utf8,  # ids joined by spaces: one string per row builds fast
}

# a space before a digit is just spacing (面积达 855.31平米); other whitespace separates headings;
# a comma between digits followed by three digits groups thousands (1,234 / full-width ４，２８６)
_CLAUSE_SPLIT = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|(?<![０-９])，|，(?![０-９]{3}(?![０-９]))|[;；。！？!?\n\r()（）]|(?<!\d)[：:]|[：:](?!\d)|[ \t\u3000](?=[\u4e00-\u9fff(（])")
# semicolons do not end a sentence: a period phrase governs all of its clauses (今年1-11月,…;…)
_SENTENCE_SPLIT = re.compile(r"[。！？!?\n\r]|[ \t\u3000](?=[\u4e00-\u9fff(（])")
# change verbs, their signs and the words that make an amount a change: transforms/data/change_words.yaml
_TAIL = f"(?:{alternation('change_words', 'verb_tail')})?$"
_GROWTH = tagged("change_words", "change_verbs", after=_TAIL, where=("growth", True))
_DECREASE = tagged("change_words", "change_verbs", after=_TAIL, where=("sign", -1))
_PULL_DOWN = tagged("change_words", "pull_down_points", after="$")
_SUBJECT_CHANGE = tagged("change_words", "subject_change", after="$")
_COMPARED = tagged("change_words", "compared")
# 计划 as a verb (计划年内完成), not the noun of 行动计划/工作计划
# 争取 before funding (争取上级资金/中央预算内投资/专项债券) reports money secured, not a target
# plan triggers, their exceptions and the budgets that are targets: transforms/data/plan_words.yaml
_ACHIEVED = tagged("plan_words", "achieved")
_PLAN_LEAD = tagged("plan_words", "clause_lead")
_PLAN_WORDS = tagged("plan_words", "triggers")
_PLANNED_AMOUNT = tagged("plan_words", "planned_amount")
# a sentence that itemises the total just stated takes its period (其中… / 分产业看… / 从结构看…)
_ITEMISING = re.compile(r"[ \u3000]*(?:其中|分[\u4e00-\u9fff]{1,4}看|从[\u4e00-\u9fff]{1,8}看|按[\u4e00-\u9fff]{1,8}分[,，])")
# a budget figure that results are measured against (年初预算为X, 调整预算X, 经批准的预算收入为X) is a
# target; 预算安排…资金X (money arranged) is not
_BUDGET_TARGET = tagged("plan_words", "budget_target")
_BUDGET_NOUN = re.compile(r"(?:年初预算|调整预算|调整后预算|预算数)$")
# 为年初预算的103.5%: completion against a budget, named after what was completed
_BUDGET_BASE = re.compile(r"^(?:为|是|占|完成了?|达到)(?P<base>(?:年初|调整|调整后|年度)?预算(?:数)?)的$")
# 一般公共预算收入完成预算的102.1%: subject and budget in one clause
_BUDGET_RATE_INLINE = re.compile(r"^(?P<subject>[^,，;；、\d]+?)(?:实际)?(?:完成|为|达到)(?:了)?"
                                 r"(?P<base>(?:年初|调整|调整后|年度)?预算(?:数)?)的$")
_COMPLETED_ONLY = re.compile(r"^(?:实际)?(?:完成|实现|执行)(?:了|数为|数|为)?$")
_RATIO_VERB = re.compile(r"(?:调整|优化|变化|变)$")  # 三次产业结构调整为a：b：c names the structure
_PLAN_AFTER = tagged("plan_words", "after_number")


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


def _measure(left: str, unit_written: str) -> tuple[str, int, list[str]]:
    """(measure, sign, rule ids) from the words right before the number."""
    falls = _DECREASE.search(left)
    sign = -1 if falls else 1
    grows = _GROWTH.search(left)
    verbs = [r for r in (_GROWTH.rule_of(grows), _DECREASE.rule_of(falls)) if r]
    verbs = list(dict.fromkeys(verbs))
    if unit_written.endswith("百分点"):
        # 拉低全区投资增速2.2个百分点: pulling a rate down by points is a negative change
        pulled = None if falls else _PULL_DOWN.search(left)
        return "change", -1 if falls or pulled else 1, ["measure.points", *verbs] + (
            [_PULL_DOWN.rule_of(pulled)] if pulled else [])  # type: ignore[list-item]
    if unit_written == "倍":
        # 增长2倍 is a change by a multiple; 是上年的1.6倍 a level (ratio to the baseline)
        return ("change", sign, verbs) if grows else ("level", 1, ["measure.multiple"])
    if unit_written in PERCENT_UNITS:
        if grows:
            return "yoy_pct", sign, verbs
        return "rate", 1, ["measure.percent"]
    if grows:
        basis = _COMPARED.search(left)
        subject = None if basis else _SUBJECT_CHANGE.search(left)
        if basis or subject:
            return "change", sign, [*verbs, _COMPARED.rule_of(basis) or _SUBJECT_CHANGE.rule_of(subject)]  # type: ignore[list-item]
    return "level", 1, ["measure.level"]


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
                           r"|(?:提高|提升|增加|增长|下降|降低|调整)(?:到|至)|控制在|保持在"
                           r"|(?:拉动|拉低|下拉)[\u4e00-\u9fff]{0,6})?"
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
    last = items[-1][1:] if ordinal and items[-1].startswith("第") else items[-1]
    finals = {i[-1] for i in short}
    if not ordinal and len(finals) == 1 and width <= last.rfind(short[0][-1]) < len(last) - 1:
        # 采矿业、制造业、电力…供应业增加值: the last item's name ends where the items' common last
        # character (业) last occurs; what follows is the shared head
        head = last[last.rfind(short[0][-1]) + 1:]
        return [i + head for i in items[:-1]] + [items[-1]]
    if width > 3 or any(len(i) != width for i in short) or len(items[-1]) <= width + 1:
        # 教育、社会保障和就业、城乡社区支出: a head noun closing the last item only is shared
        head = _HEAD_NOUN.search(items[-1])
        if head and len(items[-1]) > len(head.group(0)) and not any(_HEAD_NOUN.search(i) for i in items[:-1]):
            return [i + head.group(0) for i in items[:-1]] + [items[-1]]
        return items
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
        # mentions come in text order, so a clause's mentions are one contiguous run
        end = k + 1
        while end < len(mentions) and clause_of[end] == clause_of[k]:
            end += 1
        group = list(range(k, end))
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


# how far back an evidence string must be unique: the whole of any ordinary report, while a
# huge or repetitive file costs a bounded search per fact (linear in its size, issue 12)
EVIDENCE_WINDOW = 20_000


def _unique_evidence(text: str, clause_starts: list[int], sentence_start: int, start: int, end: int
                     ) -> tuple[int, int]:
    """Extend evidence leftwards clause by clause, within its sentence, until no copy of it starts
    in the EVIDENCE_WINDOW characters before it, so that a search from there lands on this place.
    `clause_starts` are the sorted starts of the clauses seen so far."""
    while start > sentence_start:
        sub = text[start:end]
        if text.find(sub, max(0, start - EVIDENCE_WINDOW), start + len(sub) - 1) < 0:
            break
        i = bisect.bisect_left(clause_starts, start) - 1
        if i < 0 or clause_starts[i] < sentence_start:
            break
        start = clause_starts[i]
    return start, end


@dataclass
class _Document:
    """Pass 1 (locate): a text's mentions placed in their clauses and sentences."""
    text: str
    mentions: list[Mention]
    clause_delims: list[int]
    sentence_delims: list[int]
    clause_of: list[tuple[int, int]]
    sentence_of_mention: list[tuple[int, int]]
    owners: list[tuple[str, str, str]]
    respectively: dict[int, tuple]
    periods: PeriodIndex
    sections: SectionIndex

    def sentence_of(self, pos: int) -> tuple[int, int]:
        return _bounds(self.sentence_delims, pos, len(self.text))

    def clause_at(self, pos: int) -> tuple[int, int]:
        return _bounds(self.clause_delims, pos, len(self.text))

    def in_same_clause(self, j: int, k: int) -> bool:
        return 0 <= j < len(self.mentions) and self.clause_of[j] == self.clause_of[k]


@dataclass
class _Memory:
    """What the naming pass remembers of the sentences read so far (keyed by sentence bounds)."""
    last_level: dict[tuple[int, int], tuple[str, int, int]] = field(default_factory=dict)
    last_fact: dict[tuple[int, int], str] = field(default_factory=dict)
    sentence_levels: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    formula_subject: dict[tuple[int, int], str] = field(default_factory=dict)
    group_levels: dict[int, list[str]] = field(default_factory=dict)
    rows_measure: dict[int, tuple[str, int, list[str]]] = field(default_factory=dict)
    rows_indicator: dict[int, str] = field(default_factory=dict)


@dataclass
class _Naming:
    """Pass 2 (name and measure): what a number measures, how, and the rules that said so."""
    indicator: str
    measure: str
    sign: int
    measure_rules: list[str]
    name_rule: str
    completion_rate: bool = False


@dataclass
class _Dating:
    """Pass 3 (date and flag): the governing period and whether the figure is a target."""
    period: str | None
    period_rule: str | None
    plan: bool
    plan_rule: str | None


def _locate(text: str) -> _Document | None:
    mentions = find_mentions(text)
    if not mentions:
        return None
    n = len(text)
    clause_delims = [m.start() for m in _CLAUSE_SPLIT.finditer(text)]
    clause_of = [_bounds(clause_delims, m.start, n) for m in mentions]
    sentence_delims = [m.start() for m in _SENTENCE_SPLIT.finditer(text)]
    return _Document(
        text=text, mentions=mentions, clause_delims=clause_delims, sentence_delims=sentence_delims,
        clause_of=clause_of, sentence_of_mention=[_bounds(sentence_delims, m.start, n) for m in mentions],
        owners=_assign_between_text(text, mentions, clause_of),
        respectively=_respectively(text, mentions, clause_of),
        periods=PeriodIndex(text), sections=SectionIndex(text))


def _name(doc: _Document, k: int, memory: _Memory) -> _Naming:
    text, m = doc.text, doc.mentions[k]
    c_start, c_end = doc.clause_of[k]
    s_start, _ = key = doc.sentence_of_mention[k]
    prev_in_clause = doc.mentions[k - 1] if doc.in_same_clause(k - 1, k) else None
    left, right, shared = doc.owners[k]
    measure, sign, measure_rule = _measure(text[c_start:m.start], m.unit_written)
    last_level, last_fact = memory.last_level, memory.last_fact
    pair = doc.respectively.get(k)
    if m.ratio_start is not None:
        # 三次产业结构为7.8：38.4：53.8: each part is a share of what the ratio describes
        indicator = _RATIO_VERB.sub("", build_indicator(text[c_start:m.ratio_start], ""))
        return _Naming(indicator, "rate", 1, ["measure.ratio_part"], "name.ratio")
    if pair is not None:
        name, first = pair[0], pair[1]
        rule = "name.respectively"
        if isinstance(name, int):
            if first == k:
                memory.group_levels[k] = list(memory.sentence_levels.get(key, []))
            levels = memory.group_levels[first]
            indicator = levels[name] if len(levels) >= -name else build_indicator(left, right)
            if len(pair) > 2 and len(levels) >= -name:
                indicator += pair[2]
            rule = "name.respectively_levels"
        else:
            indicator = name if name is not None else memory.rows_indicator[first]
        if first != k:  # 分别增长5.2%和3.1%: the later numbers share the first one's measure
            measure, sign, measure_rule = memory.rows_measure[first]
        return _Naming(indicator, measure, sign, measure_rule, rule)
    if measure == "yoy_pct" and key in last_level and not clean_left(left):
        return _Naming(last_level[key][0], measure, sign, measure_rule, "name.growth_of_level")
    if measure == "change" and key in last_fact and (not clean_left(left) or _COMPARISON_LEFT.match(clean_left(left))):
        indicator = last_fact[key]  # 比上年提高2.3个百分点: the change of what was just stated
        compared = _COMPARISON_LEFT.match(clean_left(left))
        if compared and compared.group("rate") and not indicator.endswith(compared.group("rate")):
            indicator += compared.group("rate")  # 降幅较一季度收窄6.5个百分点: the change of the rate
        return _Naming(indicator, measure, sign, measure_rule, "name.change_of_fact")
    indicator, rule = build_indicator(left, right), "name.context"
    if shared:
        # 16个重点项目完成投资11.51亿元: the words after 16个 start with what it counts
        indicator, rule = build_indicator(left, noun_head(shared)), "name.shared_head"
    if not indicator and not prev_in_clause and c_start > 0 and text[c_start - 1] in "(（":
        # 出口额(同比增长6.1%): a figure in parentheses is about the words before them
        indicator, rule = build_indicator(text[doc.clause_at(c_start - 1)[0]:c_start - 1], ""), "name.before_bracket"
    if not indicator and not prev_in_clause and c_start > 0 and text[c_start - 1] in ")）":
        # 储蓄存款余额(含外币)达到512亿元: the name is before the parenthetical remark
        opened = max(text.rfind("(", 0, c_start - 1), text.rfind("（", 0, c_start - 1))
        if opened > 0 and c_start - opened <= 30:
            indicator, rule = build_indicator(text[doc.clause_at(opened)[0]:opened], ""), "name.before_remark"
    if not indicator and doc.in_same_clause(k + 1, k):
        indicator, rule = build_indicator("", doc.owners[k + 1][1]), "name.next_count"  # 6支231人的志愿服务分队
    if not indicator and prev_in_clause is not None:
        indicator, rule = build_indicator(text[c_start:prev_in_clause.start], ""), "name.clause_before"
    if not indicator and key in last_fact:
        indicator, rule = last_fact[key], "name.sentence_fact"  # 增长2倍: about what the sentence just measured
    bare_left = left.strip(" ,，\u3000")
    base = _BASELINE.match(bare_left)
    budget_base = _BUDGET_BASE.match(bare_left)
    completion_rate = False
    if budget_base and key in last_level and measure == "rate":
        # 为年初预算的103.5%: the completion rate of the formula's subject
        subject = memory.formula_subject.get(key) or last_level[key][0]
        indicator, rule = f"{subject}完成{budget_base.group('base')}比例", "name.budget_completion"
        completion_rate = True
    elif measure == "rate" and _BUDGET_RATE_INLINE.match(bare_left) and clean_left(
            _BUDGET_RATE_INLINE.match(bare_left).group("subject")):  # type: ignore[union-attr]
        inline = _BUDGET_RATE_INLINE.match(bare_left)
        indicator = f"{clean_left(inline.group('subject'))}完成{inline.group('base')}比例"  # type: ignore[union-attr]
        rule, completion_rate = "name.budget_completion", True
    elif base and key in last_level and measure in ("rate", "level"):
        # 为预算的102.4% / 是上年的1.6倍 / 完成年度目标的64%: a ratio of what was just stated
        indicator, rule = last_level[key][0] + base.group(0)[:-1], "name.ratio_to_level"
    elif measure == "level" and key in memory.formula_subject and _COMPLETED_ONLY.match(bare_left):
        indicator, rule = memory.formula_subject[key], "name.budget_completed"  # 实际完成X
    elif measure == "level" and _BUDGET_NOUN.search(indicator):
        # 收入年初预算为X, 调整预算为Y: the budget figures of one subject
        subject = _BUDGET_NOUN.sub("", indicator)
        if subject:
            memory.formula_subject[key] = subject
        elif key in memory.formula_subject:
            indicator, rule = memory.formula_subject[key] + indicator, "name.budget_of_subject"
    if indicator.startswith("占") and measure == "rate" and last_fact.get(key) \
            and not indicator.startswith(last_fact[key]):
        indicator, rule = last_fact[key] + indicator, "name.share_of_fact"  # …1402.6亿元,占进出口总额的比重为60.5%
    if indicator in _SHARE_WORDS:
        indicator, rule = _share_indicator(text, c_start, s_start, indicator, last_level.get(key)), "name.share_word"
    return _Naming(indicator, measure, sign, measure_rule, rule, completion_rate)


def _remember(doc: _Document, k: int, naming: _Naming, memory: _Memory) -> None:
    key = doc.sentence_of_mention[k]
    memory.rows_measure[k] = (naming.measure, naming.sign, naming.measure_rules)
    memory.rows_indicator[k] = naming.indicator
    if naming.measure == "level":
        memory.last_level[key] = (naming.indicator, doc.clause_of[k][0], k)
        memory.sentence_levels.setdefault(key, []).append(naming.indicator)
    if naming.measure in ("level", "rate", "yoy_pct") and not naming.completion_rate:
        memory.last_fact[key] = naming.indicator  # (比上年增加X after 为预算的Y%: the change of the subject)


def _date_and_flag(doc: _Document, k: int) -> _Dating:
    text, m, mentions, clause_of = doc.text, doc.mentions[k], doc.mentions, doc.clause_of
    n = len(text)
    c_start, c_end = clause_of[k]
    s_start, s_end = doc.sentence_of_mention[k]
    itemising = _ITEMISING.match(text, s_start)
    prev_sentence_start = doc.sentence_of(max(0, s_start - 2))[0] if itemising else None
    period, period_rule = doc.periods.govern(m.start, m.end, s_start, c_end, prev_sentence_start)
    section = doc.sections.at(m.start)
    plan_rule = None
    if section and section.plan:
        plan_rule = "plan.section"
    else:
        for rule_id in (_PLAN_WORDS.rule_of(_PLAN_WORDS.search(text, s_start, c_end)),
                        _PLANNED_AMOUNT.rule_of(_PLANNED_AMOUNT.search(text[c_start:m.start])),
                        _BUDGET_TARGET.rule_of(_BUDGET_TARGET.search(text, c_start, m.start))):
            if rule_id:
                plan_rule = rule_id
                break
    plan = plan_rule is not None
    plan_period = None
    if not plan and c_end < s_end and not _ACHIEVED.search(text, c_start, c_end):
        # 新建安置房1200套,计划两年内完成 / 对79个车棚(地面52个、地下27个)进行建设,计划在两年内
        # 完成: a plan clause after the sentence's last figures (those in brackets aside) makes
        # them targets, and a time phrase in it is their period
        later = list(itertools.takewhile(lambda j: mentions[j].start < s_end, range(k + 1, len(mentions))))
        if all(clause_of[j] == clause_of[k] or _bracketed(text, s_start, mentions[j].start) for j in later):
            cur = max([clause_of[j][1] for j in later] + [c_end])
            for _ in range(3):
                nxt = _bounds(doc.clause_delims, cur + 1, n)
                if nxt[0] >= s_end or nxt[1] > s_end:
                    break
                lead = _PLAN_LEAD.match(text, nxt[0])
                if lead:
                    plan, plan_rule = True, _PLAN_LEAD.rule_of(lead)
                    plan_period = doc.periods.first_within(nxt[0], nxt[1])
                    break
                cur = nxt[1]
    else:
        # 另有12个车棚计划年内完成改造: a plan verb and a time phrase after the number, in its clause
        lead = _PLAN_AFTER.search(text, m.end, c_end)
        if lead or plan:
            # (a target's own deadline: 确保12个重点项目年底前竣工投产)
            plan_period = doc.periods.first_within(lead.end() if lead else m.end, c_end)
    if plan_period:
        period, period_rule = plan_period, "period.target_deadline"
    return _Dating(period, period_rule, plan, plan_rule)


def _evidence_span(doc: _Document, k: int, naming: _Naming, memory: _Memory, clause_starts: list[int]
                   ) -> tuple[int, int]:
    """Pass 4 (evidence): the clause, from the level a growth is about, unique in the text."""
    text, m = doc.text, doc.mentions[k]
    c_start, c_end = doc.clause_of[k]
    s_start, _ = key = doc.sentence_of_mention[k]
    ev_start, ev_end = c_start, max(c_end, m.end)  # 8.7万头（只）: a unit may hold a bracket
    if naming.measure in ("yoy_pct", "change") and key in memory.last_level:
        ev_start = min(ev_start, memory.last_level[key][1])
    while ev_start < ev_end and text[ev_start] in " \u3000\t":
        ev_start += 1
    return _unique_evidence(text, clause_starts, s_start, ev_start, ev_end)


def _raw_rows(text: str, doc_name: str) -> list[dict]:
    doc = _locate(text)
    if doc is None:
        return []
    memory = _Memory()
    clause_starts: list[int] = []
    rows: list[dict] = []
    for k, m in enumerate(doc.mentions):
        c_start = doc.clause_of[k][0]
        naming = _name(doc, k, memory)
        dating = _date_and_flag(doc, k)
        ev_start, ev_end = _evidence_span(doc, k, naming, memory, clause_starts)
        _remember(doc, k, naming, memory)
        if not clause_starts or clause_starts[-1] != c_start:
            clause_starts.append(c_start)
        section = doc.sections.at(m.start)
        rules = [*m.rules, naming.name_rule, *naming.measure_rules]
        rules += [r for r in (dating.plan_rule, dating.period_rule) if r]
        left_from = doc.mentions[k - 1].end if doc.in_same_clause(k - 1, k) else c_start
        items = enumerated_items(text[left_from:m.start].strip()) if naming.measure == "rate" else []
        for name in items or [naming.indicator]:
            rows.append({
                "doc": doc_name, "evidence": text[ev_start:ev_end], "evidence_start": ev_start, "evidence_end": ev_end,
                "value_start": m.start, "value_end": m.end, "indicator": name, "raw_value": m.raw_value,
                "unit_written": m.unit_written, "numeral": m.numeral, "sign": naming.sign * m.sign,
                "qualifier_word": m.qualifier_word, "measure": naming.measure, "period_text": dating.period,
                "plan": dating.plan, "section_path": section.path if section else None,
                "section_title": section.title if section else None,
                "section_titles": section.titles_text if section else None,
                "rules": " ".join(rules + (["name.enumerated"] if items else [])),
            })
    return rows


def _normalise(raw: pl.DataFrame) -> pl.DataFrame:
    """Multipliers, canonical units and qualifiers as frame-wide polars expressions."""
    return (
        normalise_units(raw)
        .with_columns(qualifier=qualifier_expr("qualifier_word"), rules=pl.col("rules").str.split(" "))
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
