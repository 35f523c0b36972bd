"""Every example sentence of every vocabulary row (transforms/data/*.yaml) through the extractor.

A row `fires` on its examples and does `not_fire` on the others; each example names the fact by
its raw value and states the fields that show the rule at work (`absent`: no fact has that raw
value). One parametrised test, so adding a row with its examples adds its tests.
"""
from __future__ import annotations

import pytest

from transforms.extract import extract_facts, facts_to_jsonl_records
from transforms.lexicon import examples, load
from transforms.mentions import find_mentions

FIELDS = ("indicator", "value", "unit", "measure", "qualifier", "period_text", "plan")
EXAMPLES = examples()


@pytest.mark.parametrize("vocabulary,section,rule_id,fires,example", EXAMPLES,
                         ids=[f"{e[2]}-{'fires' if e[3] else 'not'}-{i}" for i, e in enumerate(EXAMPLES)])
def test_example(vocabulary: str, section: str, rule_id: str, fires: bool, example: dict) -> None:
    frame = extract_facts(example["text"], "t.txt")
    found = facts_to_jsonl_records(frame)
    raws = [f["raw_value"] for f in found]
    attributed = section in load(vocabulary).get("attributed", [])
    if "absent" in example:
        assert example["absent"] not in raws, found
        if attributed and fires:
            rejected: list[tuple[int, int, str, str]] = []
            find_mentions(example["text"], rejected)
            assert (example["absent"], rule_id) in {(r[2], r[3]) for r in rejected}, rejected
    if "raw" in example:
        assert example["raw"] in raws, found
        k = raws.index(example["raw"])
        fact = found[k]
        for field in FIELDS:
            if field in example:
                assert fact[field] == example[field], (field, fact)
        if attributed and "absent" not in example:
            # the fact names the row among the rules behind it exactly when the row fires
            assert (rule_id in frame["rules"][k].to_list()) is fires, frame["rules"][k].to_list()


def test_every_row_has_an_id_and_examples_that_fire() -> None:
    seen: set[str] = set()
    for vocabulary in ("change_words", "plan_words", "indicator_words", "name_patterns", "qualifiers"):
        for section, rows in load(vocabulary)["sections"].items():
            for row in rows:
                assert row["id"] not in seen, row["id"]
                seen.add(row["id"])
                assert sum(k in row for k in ("words", "pattern", "words_from")) == 1, row["id"]
    assert len(seen) >= 40
