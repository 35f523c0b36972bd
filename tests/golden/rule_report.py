"""Hits and misses of the extractor's rules on every scored text in the repo (issue 9).

    python -m tests.golden.rule_report [--rule ID] [--misses 20]

Runs the extractor on the five samples and every fixture round, matches its facts with the
hand-made gold (tests/golden/matching.py), and for each rule id in the facts' `rules` counts the
facts it took part in: right (value, indicator, measure, period and plan all as annotated), wrong
name, wrong measure / period / plan, and spurious (no gold fact). Gold facts the extractor missed
are listed with the rule that rejected their number, when one did.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

from tests.golden.matching import score
from transforms.extract import extract_documents, facts_to_jsonl_records
from transforms.mentions import find_mentions

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SETS = {"samples": (HERE / "gold", REPO / "data" / "samples")} | {
    p.name: (p, p) for p in sorted((REPO / "tests" / "transforms" / "fixtures").iterdir()) if p.is_dir()}
OUTCOMES = ("facts", "right", "name", "measure", "period", "plan", "spurious")


def _gold(folder: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(folder.glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def collect() -> tuple[dict[str, Counter], list[tuple[str, dict, str | None]]]:
    """Per rule id, a Counter of outcomes; and the missed gold facts with their rejecting rule."""
    per_rule: dict[str, Counter] = defaultdict(Counter)
    missed: list[tuple[str, dict, str | None]] = []
    for set_name, (gold_dir, text_dir) in SETS.items():
        gold = _gold(gold_dir)
        texts = {d: (text_dir / d).read_text(encoding="utf-8") for d in sorted({g["doc"] for g in gold})}
        frame = extract_documents(texts.items())
        pred = facts_to_jsonl_records(frame)
        for record, rules in zip(pred, frame["rules"].to_list()):
            record["rules"] = rules
        result = score(gold, pred, texts)
        for g, p, named in result.matches:
            wrong = [k for k in ("measure", "period_text", "plan") if p.get(k) != g.get(k)]
            for rule in p["rules"]:
                c = per_rule[rule]
                c["facts"] += 1
                c["right"] += named and not wrong
                c["name"] += not named
                for k in wrong:
                    c["period" if k == "period_text" else k] += 1
        for p in result.spurious:
            for rule in p["rules"]:
                per_rule[rule]["facts"] += 1
                per_rule[rule]["spurious"] += 1
        for g in result.missed:
            text = texts[g["doc"]]
            at = text.find(g["evidence"])
            value_at = text.find(g["raw_value"], max(at, 0))
            rejected: list[tuple[int, int, str, str]] = []
            find_mentions(text, rejected)
            rule = next((r[3] for r in rejected if r[0] <= value_at < r[1]), None)
            missed.append((set_name, g, rule))
    return per_rule, missed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rule", help="only this rule id")
    ap.add_argument("--misses", type=int, default=20, help="missed gold facts to list")
    args = ap.parse_args()
    per_rule, missed = collect()
    print(f"{'rule':34s}" + "".join(f"{o:>9s}" for o in OUTCOMES))
    for rule, c in sorted(per_rule.items(), key=lambda kv: (-(kv[1]["facts"] - kv[1]["right"]), kv[0])):
        if args.rule and rule != args.rule:
            continue
        print(f"{rule:34s}" + "".join(f"{c[o]:9d}" for o in OUTCOMES))
    print(f"\nmissed gold facts: {len(missed)}")
    for set_name, g, rule in missed[:args.misses]:
        print(f"  {set_name} {g['doc']} | {g['evidence']} | {g['raw_value']} | rejected by {rule or '-'}")


if __name__ == "__main__":
    main()
