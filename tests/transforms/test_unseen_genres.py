"""Generalisation guard: invented passages of genres the bundled samples lack.

Each folder under tests/transforms/fixtures/ holds passages written for this test (never copied
from the sample reports) with hand-made expected facts (<name>.jsonl, GUIDELINES.md format); the
extractor is scored with the gold matching rules. Three rounds, by different engineers:
- unseen_genres/: one-paragraph county and township reports, department reports (商务局, 统计局,
  财政局, 发改委), township reports with headings;
- unseen_genres_round2/: a 县 review paragraph, 街道 bullets, 社区 summaries full of small counts
  and Chinese numerals, a 镇 agricultural report (亩, 公斤, 头), an 开发区 report (亿美元, targets
  under a 目标 heading), 卫健/教育/民政/文旅/商务 reports, full-width digits, a plan-only section;
- unseen_genres_round3/: long one-paragraph 县/商务/外贸 reports (800+ characters, 50+ figures),
  商务/发改/财政/统计公报 department reports (亿元人民币, 万美元, 拉低/高出…个百分点, 年末), 广东/四川/
  山东/河南 街道 and 乡镇 summaries (万余人次, 近千户, 上百次, 数十个, 4千余, 过亿元项目);
- unseen_genres_round4/ (issue 9): a district 政府工作报告, 财政局 budget execution and final
  accounts, a 统计局 analysis and a department summary with its plan.
Each folder's README records the annotation decisions. The scores each round must keep are the
ratchets of tests/golden/ratchets.py (tests/golden/test_ratchets.py), not floors here.

Run as a script for the per-fact misses:  python -m tests.transforms.test_unseen_genres
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden.matching import score
from transforms.extract import extract_documents, facts_to_jsonl_records

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROUNDS = {"unseen_genres": 6, "unseen_genres_round2": 8, "unseen_genres_round3": 10,
          "unseen_genres_round4": 5}  # folder → minimum number of passages


def _load(folder: str) -> tuple[list[dict], dict[str, str]]:
    gold: list[dict] = []
    texts: dict[str, str] = {}
    for path in sorted((FIXTURES / folder).glob("*.jsonl")):
        doc = path.stem + ".txt"
        texts[doc] = (FIXTURES / folder / doc).read_text(encoding="utf-8")
        gold += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return gold, texts


@pytest.mark.parametrize("folder", sorted(ROUNDS))
def test_fixtures_are_consistent(folder: str) -> None:
    gold, texts = _load(folder)
    assert len(texts) >= ROUNDS[folder]
    for g in gold:
        assert g["evidence"] in texts[g["doc"]], g
        assert g["raw_value"] in g["evidence"], g


def test_every_round_is_ratcheted() -> None:
    from tests.golden.ratchets import RATCHETS

    assert set(ROUNDS) <= set(RATCHETS)


if __name__ == "__main__":  # pragma: no cover - a diagnostic for whoever edits the rules
    for folder in sorted(ROUNDS):
        gold, texts = _load(folder)
        pred = facts_to_jsonl_records(extract_documents(texts.items()))
        res = score(gold, pred, texts)
        print(f"{folder}: gold {res.gold} pred {res.pred} value_f1 {res.value_f1:.3f} fact_f1 {res.fact_f1:.3f}")
        for g in res.missed:
            print("missed:", g["doc"], "|", g["evidence"], "|", g["indicator"], "=", g["value"], g["unit"])
        golds = {(g["doc"], g["raw_value"]) for g in gold}
        for p in pred:
            if (p["doc"], p["raw_value"]) not in golds:
                print("extra?:", p["doc"], "|", p["evidence"], "|", p["indicator"], "=", p["value"], p["unit"])
