"""The indicator of a number, in the report's own words, from its clause.

Left context (地方税收收入达8.63亿元) and right context (完成219间宿舍微更新) are trimmed of
the verbs, adverbs and connectives that carry no meaning of their own (实现, 达到, 累计, 其中 …).
"""
from __future__ import annotations

import re
from functools import lru_cache

import jieba.posseg

from transforms.lexicon import alternation
from transforms.period_text import PERIOD

# words that open a clause without naming anything, and words that close a left context before
# the number (…收入达 / …率为 / …共计): transforms/data/indicator_words.yaml
_LEAD = re.compile(f"^(?:{alternation('indicator_words', 'lead')})+")
_TRAIL = re.compile(f"(?:{alternation('indicator_words', 'trail')})+$")
_TRAIL_BEFORE_AMOUNT = re.compile(f"(?:{alternation('indicator_words', 'trail_before_amount')})$")
_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]+[批期轮次届个项位名]")
# a right context ends where a new predicate about something else starts
_RIGHT_CUT = re.compile(r"[,，;；。:：、]|的?基础上|的同时|并(?=[\u4e00-\u9fff])")
_CONNECTIVE = re.compile(r"^(?:和|及|以及|与|、|或)+|(?:和|及|以及|、|或|等|的)+$")
# "A、B、C等" lists name examples, not the thing counted
_EXAMPLE_LIST = re.compile(r"[^、]*(?:、[^、]+)+等")
# "完成甲、乙2个老旧小区改造": a list of names right before the count it sums up
_LIST_BEFORE_COUNT = re.compile(r"[^、]*(?:、[^、]+)+$")


def strip_periods(s: str) -> str:
    return PERIOD.sub("", s) if s else s


@lru_cache(maxsize=4096)
def _leading_verbs(s: str) -> str:
    """The verbs that open `s` (协调解决疫苗接种… -> 协调解决), by jieba on this short string."""
    out = []
    for word, flag in jieba.posseg.lcut(s[:12]):
        if not flag.startswith("v") or flag == "vn":
            break
        out.append(word)
    return "".join(out)


def drop_example_lists(s: str) -> str:
    m = _EXAMPLE_LIST.search(s)
    if not m:
        return s
    head = s[:m.start()] + _leading_verbs(m.group(0))
    return head + s[m.end():]


# a threshold that opens a noun phrase (80周岁以上老年人, 500万元以上项目) belongs to it
_THRESHOLD_HEAD = re.compile(r"^[\d０-９]+(?:[.．][\d０-９]+)?(?:周岁|岁|万元|亿元|元|万|亿)?(?:及以上|及以下|以上|以下)")


@lru_cache(maxsize=4096)
def noun_head(s: str) -> str:
    """The noun phrase at the start of `s` (区级隔离点共接待 -> 区级隔离点)."""
    threshold = _THRESHOLD_HEAD.match(s)
    if threshold:
        rest = noun_head(s[threshold.end():])
        return threshold.group(0) + rest if rest else ""
    out = []
    words = jieba.posseg.lcut(s[:16])
    for i, (word, flag) in enumerate(words):
        if word in ("和", "及", "与") and out and i + 1 < len(words) and words[i + 1].flag.startswith("n") \
                and i + 2 < len(words):
            out.append(word)  # 困难群众和优抚对象: two nouns joined are one phrase
            continue
        if flag[:1] in ("v", "d", "p", "c", "u", "m", "q", "x", "r") and flag != "vn":
            break
        out.append(word)
    return "".join(out)


def clean_left(left: str) -> str:
    left = strip_periods(left)
    prev = None
    while prev != left:
        prev = left
        left = _TRAIL.sub("", left)
        left = _LEAD.sub("", left)
    return left


# a right context that opens with an adverb is a predicate (93户312人全部稳定脱贫), not a name
_PREDICATE_ADVERB = re.compile(r"^(?:全部|全都|均已|均|都|已经|已|基本|陆续|相继|如期|顺利)")


def clean_right(right: str) -> str:
    right = _RIGHT_CUT.split(right, 1)[0]
    if _PREDICATE_ADVERB.match(right):
        return ""
    right = _CONNECTIVE.sub("", right)
    return right.strip()


def enumerated_items(left: str) -> list[str]:
    """签收率、派遣率、结案率均达到 -> the three rates, when several names share one number."""
    if "、" not in left:
        return []
    if not re.search(r"(?:均|都|全部)(?:达到|达|为|是)?$|率$", left):
        return []
    core = re.sub(r"(?:均|都|全部)(?:达到|达|为|是)?$", "", left)
    items = [i for i in core.split("、") if i]
    if len(items) < 2 or any(len(i) > 12 for i in items):
        return []
    return items


_BARE_SUFFIX = {"率", "额", "量", "数", "值", "度"}


def build_indicator(left: str, right: str) -> str:
    """Left and right context of a number (already cut at neighbouring numbers) -> indicator."""
    lc, rc = clean_left(left), clean_right(right)
    if not rc and lc:
        lc = clean_left(_TRAIL_BEFORE_AMOUNT.sub("", lc)) or lc
    rc = _LEAD.sub("", rc) if rc else rc
    if rc and "、" in lc:
        m = _LIST_BEFORE_COUNT.search(lc)
        if m:
            lc = lc[:m.start()] + _leading_verbs(m.group(0))
    name = _ORDINAL.sub("", drop_example_lists(lc) + rc)
    name = _LEAD.sub("", name).strip(" \u3000“”\"")
    if name.count("”") > name.count("“") and name.find("”") < (name.find("“") % (len(name) + 1)):
        name = "“" + name  # 对“一带一路”沿线国家: the opening quote went with the lead word
    if name in _BARE_SUFFIX and not rc:
        # 完成率96.1%, 实现额: the verb stripped as a lead word was part of the name
        name = _TRAIL.sub("", strip_periods(left)).strip(" \u3000“”\"、,，;；") or name
    return name
