"""The scores each scored set has reached, to three decimals: regressions fail, gains are kept.

Each set (the five samples with tests/golden/gold, each fixture round under
tests/transforms/fixtures/) is held at its value F1, fact F1 and the accuracy of measure, period,
plan and qualifier on matched facts. When a change raises a figure, raise it here in the same
commit (python -m tests.golden.ratchets prints the current figures in this format); a change
that lowers one must say why in its commit, with the gold re-annotated if the conventions moved.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.golden.matching import Score, score
from transforms.extract import extract_documents, facts_to_jsonl_records

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = REPO / "tests" / "transforms" / "fixtures"
METRICS = ("value_f1", "fact_f1", "measure", "period_text", "plan", "qualifier")

RATCHETS: dict[str, dict[str, float]] = {
    # set: value_f1, fact_f1, then accuracy on matched facts
    "samples":              {"value_f1": 1.000, "fact_f1": 0.975, "measure": 1.000, "period_text": 0.993, "plan": 1.000, "qualifier": 1.000},
    "unseen_genres":        {"value_f1": 0.998, "fact_f1": 0.998, "measure": 1.000, "period_text": 0.849, "plan": 1.000, "qualifier": 1.000},
    "unseen_genres_round2": {"value_f1": 1.000, "fact_f1": 1.000, "measure": 1.000, "period_text": 0.997, "plan": 1.000, "qualifier": 1.000},
    "unseen_genres_round3": {"value_f1": 1.000, "fact_f1": 1.000, "measure": 1.000, "period_text": 1.000, "plan": 1.000, "qualifier": 1.000},
    "unseen_genres_round4": {"value_f1": 1.000, "fact_f1": 1.000, "measure": 1.000, "period_text": 1.000, "plan": 1.000, "qualifier": 1.000},
}


def folders(name: str) -> tuple[Path, Path]:
    """(gold folder, text folder) of a scored set."""
    if name == "samples":
        return HERE / "gold", REPO / "data" / "samples"
    return FIXTURES / name, FIXTURES / name


def result(name: str) -> Score:
    gold_dir, text_dir = folders(name)
    gold = [json.loads(line) for p in sorted(gold_dir.glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {d: (text_dir / d).read_text(encoding="utf-8") for d in sorted({g["doc"] for g in gold})}
    return score(gold, facts_to_jsonl_records(extract_documents(texts.items())), texts)


def figures(res: Score) -> dict[str, float]:
    out = {"value_f1": res.value_f1, "fact_f1": res.fact_f1}
    out |= {m: res.accuracy(m) for m in METRICS[2:]}
    return {k: round(v, 3) for k, v in out.items()}


if __name__ == "__main__":  # pragma: no cover - prints the table above with today's figures
    for name in RATCHETS:
        values = ", ".join(f'"{k}": {v:.3f}' for k, v in figures(result(name)).items())
        print(f'    "{name}": {{{values}}},')
