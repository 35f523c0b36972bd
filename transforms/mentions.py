"""Find number mentions (numeral + qualifier words + unit) and drop the ones that are not facts.

A mention needs a unit: a measure word from the unit table, %, 个百分点, or — after digits —
any single Han character that closes its clause (304产, → unit 产). Dates, ordinals, numbers
inside quoted names or formulas, thresholds inside noun phrases and idioms are rejected here.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

import jieba
import jieba.posseg

from transforms.jieba_tables import initialised as jieba_initialised
from transforms.lexicon import rules, tagged
from transforms.numbers import CHINESE_DIGITS, CHINESE_NUMERAL_CHARS, FULLWIDTH, parse_chinese_number
from transforms.qualifiers import PREFIX_WORDS, RULE_OF_WORD
from transforms.units import MULTIPLIER_PATTERN, written_units


CLAUSE_END = set(",;。!?:、)）\n\r\t ;；，。！？：“”\"'")
HAN = re.compile(r"[\u4e00-\u9fff]")
_COMPARATORS = "低于|高于|少于|多于|不低于|不高于|不少于"
_PREFIX = "|".join(map(re.escape, [*PREFIX_WORDS, *_COMPARATORS.split("|")]))
_CN_NUMERAL = CHINESE_NUMERAL_CHARS
_DETERMINERS = set("上下这那每同单唯统另任某其逐首前后")
_DURATIONS = {"小时", "分钟", "天", "个月", "周", "年"}
_POPULATION_BEFORE = re.compile(r"(?:人口|人数|人员)(?:总数|总量|规模)?(?:为|达到|达|约|共|有|超过)?$")
_SCORE_BEFORE = re.compile(r"(?:得分|评分|分数|打分|总分|成绩)(?:为|达到|达|是)?$")
_RANGE_SEPARATORS = "至到-~～—"
_RANGE_BEFORE = re.compile(r"(?P<lo>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})(?:至|到|-|~|～|—)$")
# numbers inside names, slogans, fixed terms and session numbers: transforms/data/name_patterns.yaml
_SLOGAN_AFTER_DA = tagged("name_patterns", "slogan_after_da")
_TERM_AFTER_DA = tagged("name_patterns", "fixed_term_after_da")
_SESSION_BEFORE = tagged("name_patterns", "session_before", after="$")
_SESSION_AFTER = tagged("name_patterns", "session_after")
_FIXED_TERMS = {r.fields["unit"]: (tagged("name_patterns", "fixed_terms", where=("unit", r.fields["unit"])), r.id)
                for r in rules("name_patterns", "fixed_terms")}
_THRESHOLD_WORDS = {"超过", "超", "逾", "不足", "不到", "突破"}
_COUNT_LATER = re.compile(r"的[^,，;；。:：、\d]{1,12}\d")
_DESCRIPTOR_RUN = re.compile(r"[^\d,，;；。、:：()（）]{1,6}的")
_PER_POPULATION = re.compile(r"每[十百千万]+人口?$")
# a noun then a count right after an amount (…亿元项目2个)
_COUNT_RIGHT_AFTER = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:\d+|[一两二三四五六七八九十百千]+)[个家项户所座宗笔]")
# a minus sign or 负 before digits, not inside a code, date or range (2023-12, G-35, 3-5个)
_NEGATIVE_BEFORE = re.compile(r"(?:(?<![\dA-Za-z.\-−])[-−]|负)$")
_COMMON_WORD = 50  # jieba frequency above which a two-character word is a real word, not noise


@dataclass(frozen=True)
class Rejected:
    """A number the scanner found and a rule turned down (the rule id says which)."""
    rule: str


@dataclass
class Mention:
    start: int          # start of the numeral (or of the prefix qualifier word)
    num_start: int
    end: int            # end of unit / trailing qualifier
    raw_value: str
    numeral: str        # exact decimal string
    unit_written: str
    qualifier_word: str | None
    chinese: bool
    ratio_start: int | None = None  # a part of a：b：c: where the ratio's first number starts
    sign: int = 1                   # -1 when the text writes a minus sign or 负 before the number
    rules: list[str] = field(default_factory=list)  # ids of the rules that accepted it


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    jieba_initialised()  # once per process; the dictionary is also used for word checks
    units = "|".join(map(re.escape, written_units()))
    per = "|".join(map(re.escape, written_units())) + "|月|日"  # 元/月, 元/人, 元/吨
    cn_units = "|".join(map(re.escape, written_units(after_chinese_numeral=True)))
    # a mention starts with a qualifier word, 百分之, a digit or a Chinese numeral: the lookahead
    # lets the engine skip every other position at C speed
    first = "".join(sorted({w[0] for w in _PREFIX.split("|")} | set(_CN_NUMERAL)))
    return re.compile(
        rf"(?=[\d{re.escape(first)}])"
        rf"(?P<pre>{_PREFIX})?"
        rf"(?:(?P<pct>百分之)(?P<pctnum>[\d.]+|[{_CN_NUMERAL}点]+)"
        rf"|(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?P<mid>余|多)?(?P<mult>{MULTIPLIER_PATTERN}|千(?=[余多]))?(?P<mid2>余|多)?"
        rf"(?P<da>大)?(?P<unit>(?:{units})(?:/(?:{per}))?)?"
        rf"|(?P<cn>[{_CN_NUMERAL}]+)(?P<cmid>余|多)?(?P<cda>大)?(?P<cunit>{cn_units})?)"
        rf"(?P<post>以上|左右|以下|以内|上下)?"
    )


@lru_cache(maxsize=16)
def _marks(text: str, mark: str) -> list[int]:
    """Sorted positions of `mark` in `text` (once per text: bisect is cheaper than many rfinds)."""
    return [m.start() for m in re.finditer(re.escape(mark), text)]


def _inside_pair(text: str, pos: int, opener: str, closer: str, width: int = 14) -> bool:
    """True when `pos` sits inside a short opener…closer span (a quoted name, a title)."""
    openers = _marks(text, opener)
    i = bisect.bisect_left(openers, pos) - 1
    if i < 0 or openers[i] < pos - width:
        return False
    left = openers[i]
    closers = _marks(text, closer)
    j = bisect.bisect_left(closers, left)
    if j < len(closers) and closers[j] < pos:
        return False  # closed before pos
    return j < len(closers) and closers[j] < pos + width - (len(closer) - 1)


def _lexicalised(text: str, start: int, end: int) -> bool:
    """jieba on a short window: does numeral+measure word belong to a longer word (一次性, 统一批)?"""
    lo = max(0, start - 3)
    pos = lo
    for tok in jieba.lcut(text[lo:end + 3], HMM=False):
        tok_end = pos + len(tok)
        if pos < start < tok_end or pos < end < tok_end:
            return True
        pos = tok_end
    return False


def _noun_follows(text: str, end: int) -> bool:
    """Is the word right after `end` a noun (jieba posseg on a few characters)?"""
    window = text[end:end + 4]
    if not window or not HAN.match(window[0]):
        return False
    word, flag = next(iter(jieba.posseg.lcut(window)))
    return (flag.startswith("n") and flag != "nr") or flag == "vn"


def _adjective_follows(text: str, end: int) -> bool:
    window = text[end:end + 4]
    if not window or not HAN.match(window[0]):
        return False
    word, flag = next(iter(jieba.posseg.lcut(window)))
    return flag.startswith("a")


def _verb_follows(text: str, end: int) -> bool:
    window = text[end:end + 4]
    if not window or not HAN.match(window[0]):
        return False
    word, flag = next(iter(jieba.posseg.lcut(window)))
    return flag == "v"


# 每生每年1500元, 每亩389.5公斤: a rate written with 每 before the number (not 每万人口…)
_PER_BEFORE = re.compile(r"每(?P<per>[\u4e00-\u9fff])(?:每(?P<per2>[年月日天周]))?$")
# what joins two amounts of one rate (每人每月780元和620元, 由每人每月900元提高到960元)
_LIST_JOINER = re.compile(r"[、和及与]|(?:提高|增加|上调|调整|增长|下调|降低)(?:到|至|为)|增至|降至")
# a bare number in a 分别 list whose unit closes the list (分别拉动0.3、2.5、2.8个百分点)
_BARE_BEFORE_LIST = re.compile(r"(?<![\d.第])(\d+(?:\.\d+)?)[、和]$")
# (no lookbehind: a match starts at the first digit of its run, so only "." or ":" before it is
# checked, in _ratio_parts; a pattern that opens with a digit lets the engine skip fast)
_RATIO = re.compile(r"\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?){2,}(?![\d.:：])")
# the noun a：b：c describes: a structure or proportion of named parts
_RATIO_BEFORE = re.compile(r"(?:结构|比例|之比|比重|构成|比)(?:调整为|优化为|调整到|优化到|为|是|达到)?$")


def find_mentions(text: str, rejected: list[tuple[int, int, str, str]] | None = None) -> list[Mention]:
    """Mentions of `text` in text order; numbers turned down go to `rejected` as (start, end, text,
    rule id) when a list is given."""
    norm = text.translate(FULLWIDTH)
    out: list[Mention] = []
    for m in _scanner().finditer(norm):
        mention = _accept(norm, m)
        if isinstance(mention, Mention):
            out.append(mention)
        elif rejected is not None:
            rejected.append((m.start(), m.end(), text[m.start():m.end()], mention.rule))
    out = _per_unit_rates(norm, out)
    out = _bare_list_numbers(norm, out)
    out = sorted(out + _ratio_parts(norm), key=lambda x: x.start)
    for mention in out:
        mention.raw_value = text[mention.start:mention.end]
    return out


def _per_unit_rates(text: str, mentions: list[Mention]) -> list[Mention]:
    """每人每月300元 -> unit 元/人/月, raw value from 每; a number joined to it by 和/、 with the same
    unit shares the rate (每人每月780元和620元)."""
    previous: Mention | None = None
    base_of_previous = ""
    for m in mentions:
        per = _PER_BEFORE.search(text, max(0, m.start - 4), m.start) if m.qualifier_word is None else None
        if per and not m.chinese and "/" not in m.unit_written:
            suffix = "/" + per.group("per") + ("/" + per.group("per2") if per.group("per2") else "")
            base_of_previous = m.unit_written
            m.unit_written += suffix
            m.start = per.start()
            m.rules.append("mention.per_unit_rate")
        elif previous is not None and "/" in previous.unit_written and m.unit_written == base_of_previous \
                and _LIST_JOINER.fullmatch(text, previous.end, m.start):
            m.unit_written = previous.unit_written
            m.rules.append("mention.per_unit_rate_listed")
        previous = m
    return mentions


def _bare_list_numbers(text: str, mentions: list[Mention]) -> list[Mention]:
    """分别拉动经济增长0.3、2.5、2.8个百分点: the numbers before the last take its unit."""
    added: list[Mention] = []
    for m in mentions:
        if m.chinese or m.qualifier_word is not None or m.ratio_start is not None:
            continue
        clause_from = max(0, m.start - 40)
        start = m.start
        items: list[Mention] = []
        while True:
            if start == 0 or text[start - 1] not in "、和":
                break  # (the cheap test first: most numbers are not the end of a list)
            bare = _BARE_BEFORE_LIST.search(text, max(clause_from, start - 20), start)
            if not bare:
                break
            items.append(Mention(start=bare.start(1), num_start=bare.start(1), end=bare.end(1), raw_value="",
                                 numeral=bare.group(1), unit_written=m.unit_written, qualifier_word=None,
                                 chinese=False, rules=["mention.bare_list_number"]))
            start = bare.start(1)
        lead = text[clause_from:start]
        lead = re.split(r"[,，;；。:：!?！？\n]", lead)[-1]
        if items and "分别" in lead:
            added.extend(items)
    return sorted(mentions + added, key=lambda x: x.start) if added else mentions


def _ratio_parts(text: str) -> list[Mention]:
    """三次产业结构为7.8：38.4：53.8 -> one percent share per part."""
    out: list[Mention] = []
    for ratio in _RATIO.finditer(text):
        if ratio.start() > 0 and text[ratio.start() - 1] in ".:：":
            continue
        if not _RATIO_BEFORE.search(text, max(0, ratio.start() - 8), ratio.start()):
            continue
        for part in re.finditer(r"\d+(?:\.\d+)?", ratio.group(0)):
            start = ratio.start() + part.start()
            out.append(Mention(start=start, num_start=start, end=start + len(part.group(0)), raw_value="",
                               numeral=part.group(0), unit_written="%", qualifier_word=None, chinese=False,
                               ratio_start=ratio.start(), rules=["mention.ratio_part"]))
    return out


def _accept(text: str, m: re.Match[str]) -> Mention | Rejected:
    if m.group("cn") is not None and m.group("cunit") is None and m.group("cda") is None:
        return Rejected("reject.no_unit")  # 一般, 十分: a Chinese numeral without a measure word (most candidates)
    pre = m.group("pre")
    if pre and len(pre) == 1 and m.start() > 0 and (jieba.dt.FREQ.get(text[m.start() - 1] + pre) or 0) >= _COMMON_WORD \
            and jieba.lcut(text[max(0, m.start() - 3):m.end("pre")], HMM=False)[-1] != pre:
        pre = None  # (收入超20万元: 入超 is a word too, but here 收入 takes the 入)  # 签约39台: 约 ends the word 签约, it does not qualify the number
    num_start = m.start("pre") + len(m.group("pre")) if m.group("pre") else m.start()
    prev = text[num_start - 1] if num_start > 0 else ""
    rng = None
    if not pre and not m.group("pct") and prev in _RANGE_SEPARATORS:
        rng = _RANGE_BEFORE.search(text, max(0, num_start - 12), num_start)
        if rng and (rng.group("lo")[0].isdigit() != m.group(0)[0].isdigit()
                    or text[rng.start() - 1:rng.start()] in ("第", "+", "·")
                    or (rng.start() > 0 and text[rng.start() - 1].isdigit())):
            rng = None
    negative = False
    if not pre and not rng and m.group("num") is not None and num_start > 0 and _NEGATIVE_BEFORE.search(
            text, max(0, num_start - 2), num_start):
        negative = True  # −12家, -5000万元, 为负300人: a sign written before the digits
        prev = ""
    if prev == "第" or (prev and prev in "+·•×/*#-—" and not m.group("pct") and not rng):
        return Rejected("reject.ordinal_or_symbol")
    if prev.isascii() and prev.isalnum():
        return Rejected("reject.code")  # part of a code or model number (G60, 5G)
    if _inside_pair(text, num_start, "“", "”") or _inside_pair(text, num_start, "《", "》"):
        return Rejected("reject.quoted_name")
    end = m.end()
    after = text[end:end + 1]
    post = m.group("post")
    qualifier_word = pre
    how = "mention.unit"  # the rule that accepts it (changed below where another one does)
    if m.group("pct"):
        how = "mention.percent"
        numeral_text = m.group("pctnum")
        unit = "%"
        chinese = not numeral_text[0].isdigit()
        if chinese and "点" in numeral_text and not re.fullmatch(
                f"[{_CN_NUMERAL}]+点[零〇一二三四五六七八九]+", numeral_text):
            return Rejected("reject.chinese_percent_point")  # 百分之九十六点五 is a decimal; any other 点 is not part of the number
    elif m.group("num") is not None:
        numeral_text = m.group("num")
        chinese = False
        unit = m.group("unit")
        mult = m.group("mult") or ""
        if after and after in "+·":  # ("" is in every string: a number ending the text counts)
            return Rejected("reject.formula_symbol")
        if unit is None and not m.group("da") and _POPULATION_BEFORE.search(text, max(0, num_start - 8), num_start) \
                and (end >= len(text) or text[end] in CLAUSE_END):
            unit, how = "人", "mention.population_implied"  # 常住人口3.6万: a population noun implies people (only when nothing follows)
        if unit is None and not m.group("da") and text.startswith("分", m.end()) \
                and _SCORE_BEFORE.search(text, max(0, num_start - 6), num_start) \
                and text[m.end() + 1:m.end() + 2] in CLAUSE_END:
            unit, how = "分", "mention.score"  # 测评得分96.2分: points of a score (elsewhere 分 is minutes)
            end = m.end() + 1
            after = text[end:end + 1]
        if unit is None and not m.group("da"):
            # unknown measure word: one Han character that closes the clause
            nxt = text[m.end():m.end() + 1]
            if post or not nxt or not HAN.match(nxt) or nxt in "年月日号时点分秒的" or text[m.end() + 1:m.end() + 2] not in CLAUSE_END:
                return Rejected("reject.no_unit")
            unit, how = nxt, "mention.clause_final_measure_word"
            end = m.end() + 1
            after = text[end:end + 1]
        elif unit is None:  # 6大方面 without a known word: 大 + noun counts 个
            unit, how = "个", "mention.da_count"
            end = m.end("da")
            post = None
        if unit == "年" and (float(numeral_text.replace(",", "")) >= 1000 or after in "度底初末内来前后以中"):
            return Rejected("reject.year")
        if after.isascii() and after.isalpha():
            return Rejected("reject.code_after")  # 110kV, 5G
        if unit in _DURATIONS and (after == "的" or text[num_start - 2:num_start] == "为期"
                                   or _noun_follows(text, end)):
            return Rejected("reject.duration_modifier")  # 为期3个月的行动, 3年行动计划, 15分钟生活圈: a duration describing a noun
        if unit in _DURATIONS and text[num_start - 2:num_start] == "连续":
            return Rejected("reject.streak")  # 连续24个月保持两位数增长: the length of a streak describes the growth
        if unit in _DURATIONS and _DESCRIPTOR_RUN.match(text, end):
            return Rejected("reject.duration_in_modifier")  # 形成24小时持续不间断的防控格局: a duration inside a modifier ending in 的
        if _PER_POPULATION.search(text, max(0, num_start - 6), num_start) and text.startswith("标准", end):
            return Rejected("reject.staffing_norm")  # 按每万人18名标准配齐: a staffing norm, not a count
        unit = mult + unit
        qualifier_word = pre or m.group("mid") or m.group("mid2") or post
    else:
        numeral_text = m.group("cn")
        chinese = True
        how = "mention.chinese_numeral"
        if numeral_text[0] not in CHINESE_DIGITS and numeral_text[0] not in "十百千" and not (
                numeral_text in ("万", "亿") and m.group("cmid")):
            return Rejected("reject.bare_wan_yi")  # 万余人次 / 亿余元 count; a bare 万 or 亿 is not a numeral
        unit = m.group("cunit")
        if m.group("cda"):
            # 三大比赛馆 counts; 二十大 is a congress, 一大批 an idiom
            if len(numeral_text) != 1 or numeral_text == "一":
                return Rejected("reject.da_idiom")
            if unit is None:
                unit, how = "个", "mention.da_count"
                end = m.end("cda")
                post = None
        if unit is None:
            return Rejected("reject.no_unit")
        about_round = prev == "上" and numeral_text in ("百", "千", "万") and not pre
        if about_round:
            pre = "上"  # 上百次, 上千人: reaching a round number, at least that many
        if prev and prev in "”\"":
            return Rejected("reject.quoted_label")  # “粤菜师傅”“南粤家政”三项工程: a numeral right after quoted names labels them
        if prev and prev in _DETERMINERS and not about_round and not (
                prev == "前" and (jieba.dt.FREQ.get(text[num_start - 2:num_start]) or 0) >= _COMMON_WORD):
            return Rejected("reject.determiner")  # 上一轮, 每一次, 同一家: a determiner, not a count (目前三项目: 前 ends 目前)
        if numeral_text == "二":
            return Rejected("reject.ordinal_er")  # counts say 两; 二次/二期 are ordinals (secondary, phase two)
        if numeral_text == "一":
            # 一 is mostly an article (一项重大任务, 一批人才); it counts when it closes the clause
            # (加装空气微站一处) or follows a verb of adding (新增一家)
            closes = text[end:end + 1] in CLAUSE_END or end >= len(text)
            if not closes and not re.search(r"(?:新增|新建|增加|增设|新设|新开|建成|新成立)$", text[max(0, num_start - 3):num_start]):
                return Rejected("reject.article_yi")
        implied = unit == "项" and text.startswith("目", end)
        if implied:
            unit, end, how = "个", end + 1, "mention.implied_measure_word"  # 三项目: 项目 is the noun counted, the measure word is implied
        elif _lexicalised(text, num_start - len(pre or ""), m.end("cunit") if m.group("cunit") else end):
            return Rejected("reject.lexicalised")
        if numeral_text in ("百", "千", "万") and not (pre or m.group("cmid") or post) and _adjective_follows(text, end):
            return Rejected("reject.round_title")  # 百个优秀…, 千名干部进万家: a round bare numeral inside a title or slogan
        if unit == "个" and not implied and _verb_follows(text, end):
            return Rejected("reject.slogan_principle")  # 两个维护, 两个确立: a slogan naming principles, not a count
        qualifier_word = pre or m.group("cmid") or post
    if (m.group("da") or m.group("cda")) and _SLOGAN_AFTER_DA.match(text, end if unit == "个" else m.end("da") if m.group("da") else m.end("cda")):
        return Rejected("name.slogan_da")  # 三大攻坚战, 两大行动, 六大领域: a rhetorical grouping, not a count
    if unit == "次" and _SESSION_BEFORE.search(text, max(0, num_start - 8), num_start) \
            and _SESSION_AFTER.match(text, end):
        return Rejected("name.session")  # 十二届五次全会, 十七届人大三次会议: the number of a session, not a count
    if (m.group("da") or m.group("cda")) and _TERM_AFTER_DA.match(text, m.end("da") if m.group("da") else m.end("cda")):
        return Rejected("name.da_lei")  # 八大类民生支出: the count is part of a fixed term
    if unit in _FIXED_TERMS and (unit != "项" or chinese) and _FIXED_TERMS[unit][0].match(text, end):
        return Rejected(_FIXED_TERMS[unit][1])  # 三次产业, 八项规定: a numeral and measure word inside a name
    if post in ("以上", "以下", "以内") and after and (after.isdigit() or HAN.match(after)):
        return Rejected("reject.threshold_in_noun")  # 60岁以上老人, 亿元以上项目: a threshold inside a noun phrase
    if pre in _COMPARATORS.split("|") and after == "的":
        return Rejected("reject.comparator_descriptor")  # 低于5万元的企业
    if pre in _THRESHOLD_WORDS and after == "的" and _COUNT_LATER.match(text, end):
        return Rejected("reject.threshold_of_count")  # 收入超过10万元的村达到14个: the threshold of the count that follows
    if pre in _COMPARATORS.split("|"):
        qualifier_word = pre
    if unit.endswith("元") and _COUNT_RIGHT_AFTER.match(text, end) and _noun_follows(text, end):
        return Rejected("reject.amount_describes_count")  # 过10亿元项目2个, 5000万元项目6个: the amount describes the projects counted
    if numeral_text in ("万", "亿"):
        numeral_text = "一" + numeral_text  # 万余人次: ten thousand
    try:
        value = parse_chinese_number(numeral_text)
    except ValueError:
        return Rejected("reject.unparsable")
    start = num_start - len(pre) if pre else num_start - negative
    if rng:
        # 3至5个, 3-5万元: a range counts as its lower bound ("at least"), raw_value the whole range
        try:
            value = parse_chinese_number(rng.group("lo"))
        except ValueError:
            return Rejected("reject.unparsable")
        start, qualifier_word = rng.start(), "至少"
    rules = [how] + (["mention.range"] if rng else []) + (["mention.negative"] if negative else [])
    if qualifier_word in RULE_OF_WORD:
        rules.append(RULE_OF_WORD[qualifier_word])
    return Mention(
        start=start, num_start=num_start, end=end, raw_value="",
        numeral=format(value, "f"), unit_written=unit, qualifier_word=qualifier_word, chinese=chinese,
        sign=-1 if negative else 1, rules=rules,
    )
