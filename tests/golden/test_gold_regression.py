"""Regression guard: the extractor on the five bundled reports against the hand-made gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.matching import same_indicator, score
from transforms.extract import extract_documents, facts_to_jsonl_records

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "gold"
SAMPLES = HERE.parent.parent / "data" / "samples"


def _gold() -> list[dict]:
    rows = []
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


@pytest.fixture(scope="module")
def result():
    gold = _gold()
    docs = sorted({g["doc"] for g in gold})
    texts = {doc: (SAMPLES / doc).read_text(encoding="utf-8") for doc in docs}
    pred = facts_to_jsonl_records(extract_documents(texts.items()))
    return score(gold, pred, texts)


def test_gold_files_are_bundled() -> None:
    assert len(list(GOLD_DIR.glob("*.jsonl"))) == 5
    assert len(_gold()) == 401


def test_scores_are_held_by_the_ratchets(result) -> None:
    # the figures themselves are held in tests/golden/ratchets.py (test_ratchets.py); here only
    # that the fixture scores what the ratchet module scores
    from tests.golden.ratchets import figures, result as ratchet_result

    assert figures(result) == figures(ratchet_result("samples"))


def test_matcher_rejects_what_it_should() -> None:
    # the yardstick itself must be able to say no
    assert same_indicator("地方税收收入", "税收收入")
    assert not same_indicator("新增托位", "走访企业")
    gold = [{"doc": "d", "evidence": "新增托位125个", "indicator": "新增托位", "value": 125, "unit": "个"}]
    wrong = [{"doc": "d", "evidence": "新增托位125个", "indicator": "新增托位", "value": 126, "unit": "个"}]
    assert score(gold, wrong, {"d": "新增托位125个。"}).fact_hits == 0
    assert score(gold, gold, {"d": "新增托位125个。"}).fact_f1 == 1.0
