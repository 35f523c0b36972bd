"""The gold matching rules of the project's scorer, small enough to read in one sitting.

A predicted fact matches a gold fact of the same document when the units are equal, the values
agree to 0.1 %, and the evidence spans lie within 40 characters of each other; matching is
one-to-one, preferring pairs whose indicators agree (containment, or character-bigram Dice
>= 0.5) and then nearer spans.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

NEAR = 40


def _bigrams(s: str) -> set[str]:
    s = "".join(s.split())
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def same_indicator(a: str | None, b: str | None) -> bool:
    a, b = (a or "").strip(), (b or "").strip()
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= 0.5


def close_values(p: object, g: object) -> bool:
    try:
        pf, gf = float(p), float(g)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return abs(pf - gf) <= max(1e-6, 1e-3 * abs(gf))


def _locate(text: str, evidence: str | None, hint: int = 0) -> tuple[int, int] | None:
    if not evidence:
        return None
    at = text.find(evidence, hint)
    if at < 0:
        at = text.find(evidence)
    return None if at < 0 else (at, at + len(evidence))


def _close(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return True
    return a[0] - NEAR <= b[1] and b[0] - NEAR <= a[1]


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    value_hits: int = 0
    fact_hits: int = 0
    missed: list[dict] = field(default_factory=list)
    matches: list[tuple[dict, dict, bool]] = field(default_factory=list)  # (gold, pred, indicator agrees)
    spurious: list[dict] = field(default_factory=list)

    @staticmethod
    def _f1(hit: int, n_pred: int, n_gold: int) -> float:
        p = hit / n_pred if n_pred else 0.0
        r = hit / n_gold if n_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value_f1(self) -> float:
        return self._f1(self.value_hits, self.pred, self.gold)

    @property
    def fact_f1(self) -> float:
        return self._f1(self.fact_hits, self.pred, self.gold)

    def accuracy(self, key: str) -> float:
        """Share of value-matched pairs that agree on `key` (measure, period_text, plan, qualifier)."""
        if not self.matches:
            return 0.0
        return sum(p.get(key) == g.get(key) for g, p, _ in self.matches) / len(self.matches)


def score(gold: list[dict], pred: list[dict], texts: dict[str, str]) -> Score:
    """Match predicted against gold facts over the documents of `texts`."""
    gold_by, pred_by = defaultdict(list), defaultdict(list)
    for g in gold:
        gold_by[g["doc"]].append(g)
    for p in pred:
        pred_by[p["doc"]].append(p)
    result = Score()
    for doc, golds in gold_by.items():
        text, preds = texts[doc], pred_by.get(doc, [])
        result.gold += len(golds)
        result.pred += len(preds)
        cursor, g_spans = 0, []
        for g in golds:
            span = _locate(text, g.get("evidence"), cursor)
            g_spans.append(span)
            cursor = span[0] if span else cursor
        p_spans = [_locate(text, p.get("evidence")) for p in preds]
        pairs = []
        for gi, g in enumerate(golds):
            for pi, p in enumerate(preds):
                if p.get("unit") != g["unit"] or not close_values(p.get("value"), g["value"]):
                    continue
                if not _close(p_spans[pi], g_spans[gi]):
                    continue
                named = same_indicator(p.get("indicator"), g["indicator"])
                gs, ps = g_spans[gi], p_spans[pi]
                dist = 0 if gs is None or ps is None else abs(gs[0] - ps[0])
                pairs.append((not named, dist, gi, pi))
        pairs.sort()
        used_g: set[int] = set()
        used_p: set[int] = set()
        for unnamed, _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            result.value_hits += 1
            result.fact_hits += not unnamed
            result.matches.append((golds[gi], preds[pi], not unnamed))
        result.missed += [g for i, g in enumerate(golds) if i not in used_g]
        result.spurious += [p for i, p in enumerate(preds) if i not in used_p]
    return result
