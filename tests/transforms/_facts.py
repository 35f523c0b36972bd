"""Small helpers shared by the extractor tests: facts of an invented sentence as plain dicts."""
from __future__ import annotations

from transforms.extract import extract_facts, facts_to_jsonl_records


def facts(text: str) -> list[dict]:
    return facts_to_jsonl_records(extract_facts(text, "t.txt"))


def one(text: str) -> dict:
    found = facts(text)
    assert len(found) == 1, found
    return found[0]


def by_raw(text: str) -> dict[str, dict]:
    return {f["raw_value"]: f for f in facts(text)}
