"""The rule report counts each rule's facts by outcome, on every scored text of the repo."""
from __future__ import annotations

from tests.golden.rule_report import OUTCOMES, collect


def test_rule_report_accounts_for_every_fact() -> None:
    per_rule, missed = collect()
    assert per_rule["mention.unit"]["facts"] > 1000
    for rule, counts in per_rule.items():
        assert set(counts) <= set(OUTCOMES), rule
        assert counts["right"] + counts["name"] + counts["spurious"] <= counts["facts"], rule
    # the naming rules together name every fact exactly once
    named = sum(c["facts"] for r, c in per_rule.items() if r.startswith("name.") and r != "name.enumerated")
    accepted = sum(c["facts"] for r, c in per_rule.items() if r in ("mention.unit", "mention.percent",
                   "mention.chinese_numeral", "mention.population_implied", "mention.score", "mention.da_count",
                   "mention.clause_final_measure_word", "mention.implied_measure_word", "mention.bare_list_number",
                   "mention.ratio_part"))
    assert named == accepted
    assert isinstance(missed, list)
