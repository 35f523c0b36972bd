"""Second, independent round of unseen-genre passages (tests/transforms/fixtures/unseen_genres_round2/).

Sixteen invented passages written by a different engineer than the first round, in genres and styles the
first round lacks: a 县 review paragraph, a 街道 half-year summary in numbered bullets, a 社区 annual
summary full of small counts and Chinese numerals, a 镇 agricultural report (亩, 公斤, 头, 只, 袋),
an 开发区 report (亿美元, 到位资金, 家, targets under a 目标 heading), 卫健/教育/民政 department
summaries (张, ‰, 覆盖率, 万人次), 文旅, 乡 safety, 商务 and 社区 reports, a report in full-width digits with full-width thousands
separators, a plan-only section (力争/确保/计划/不少于) and a village summary. See the README there.

Run as a script for the per-fact misses:  python -m tests.transforms.test_unseen_genres_round2
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.matching import score
from transforms.extract import extract_documents, facts_to_jsonl_records

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "unseen_genres_round2"
FACT_F1_FLOOR = 0.95
VALUE_F1_FLOOR = 0.97


def _load() -> tuple[list[dict], dict[str, str]]:
    gold: list[dict] = []
    texts: dict[str, str] = {}
    for path in sorted(FIXTURES.glob("*.jsonl")):
        doc = path.stem + ".txt"
        texts[doc] = (FIXTURES / doc).read_text(encoding="utf-8")
        gold += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return gold, texts


@pytest.fixture(scope="module")
def scored():
    gold, texts = _load()
    pred = facts_to_jsonl_records(extract_documents(texts.items()))
    return score(gold, pred, texts), gold, pred


def test_fixtures_are_consistent() -> None:
    gold, texts = _load()
    assert len(texts) >= 8
    for g in gold:
        assert g["evidence"] in texts[g["doc"]], g
        assert g["raw_value"] in g["evidence"], g


def test_round2_fact_f1(scored) -> None:
    result, _, _ = scored
    assert result.fact_f1 >= FACT_F1_FLOOR, f"fact F1 {result.fact_f1:.3f}; missed e.g. {result.missed[:5]}"


def test_round2_value_f1(scored) -> None:
    result, _, _ = scored
    assert result.value_f1 >= VALUE_F1_FLOOR, f"value F1 {result.value_f1:.3f}"


if __name__ == "__main__":  # pragma: no cover - a diagnostic for whoever edits the rules
    gold, texts = _load()
    pred = facts_to_jsonl_records(extract_documents(texts.items()))
    res = score(gold, pred, texts)
    print(f"gold {res.gold} pred {res.pred} value_f1 {res.value_f1:.3f} fact_f1 {res.fact_f1:.3f}")
    for g in res.missed:
        print("missed:", g["doc"], "|", g["evidence"], "|", g["indicator"], "=", g["value"], g["unit"])
    golds = {(g["doc"], g["raw_value"]) for g in gold}
    for p in pred:
        if (p["doc"], p["raw_value"]) not in golds:
            print("extra?:", p["doc"], "|", p["evidence"], "|", p["indicator"], "=", p["value"], p["unit"])
