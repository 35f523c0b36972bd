"""Language knowledge as data: one YAML file per vocabulary in transforms/data/.

Each file has sections; each section is an ordered list of rows, and each row has an `id`, either
`words` (literal alternatives) or a `pattern` (a regular expression, for words that need a
lookaround), optional fields of its own (a sign, a qualifier) and example sentences on which it
`fires` and does `not_fire` — tests/transforms/test_lexicon.py runs every example through the
extractor. Row order is kept: a section becomes one alternation in the order written, so a
longer word listed first wins as it did when these were inline regexes.

A section compiled with `tagged()` names each row as a group, so a match says which row (rule id)
fired; the extractor records those ids in each fact's `rules`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    fields: dict[str, Any]


@lru_cache(maxsize=None)
def load(vocabulary: str) -> dict[str, Any]:
    """The parsed YAML of transforms/data/<vocabulary>.yaml."""
    path = DATA / f"{vocabulary}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _pattern(row: dict[str, Any]) -> str:
    if "pattern" in row:
        return row["pattern"]
    if "words_from" in row:  # another vocabulary's words (one place per vocabulary): "file:section"
        vocabulary, section = row["words_from"].split(":")
        return "|".join(re.escape(w) for w in words(vocabulary, section))
    pattern = "|".join(re.escape(w) for w in row["words"])
    # exceptions as data: the words may not be followed by these (争取上级…), nor by money within
    # six characters of the clause unless a verb of completion comes first (争取…资金 is obtained)
    unless = [re.escape(w) for w in row.get("unless_next", [])]
    if row.get("unless_money_within_6"):
        money = "|".join(re.escape(w) for w in row["unless_money_within_6"])
        unless.append(rf"[^,，;；。、\d完实达]{{0,6}}?(?:{money})")
    if unless:
        pattern = f"(?:{pattern})(?!{'|'.join(unless)})"
    # nor preceded by these (成功争取…: obtained); one fixed-width lookbehind per word
    before = "".join(f"(?<!{re.escape(w)})" for w in row.get("unless_after", []))
    return before + pattern if before else pattern


@lru_cache(maxsize=None)
def rules(vocabulary: str, section: str) -> tuple[Rule, ...]:
    rows = load(vocabulary)["sections"][section]
    return tuple(Rule(row["id"], _pattern(row), {k: v for k, v in row.items()
                                                  if k not in ("id", "words", "pattern", "fires", "not_fires")})
                 for row in rows)


def words(vocabulary: str, section: str) -> list[str]:
    """The literal words of a section, in order (rows given as `words`)."""
    return [w for row in load(vocabulary)["sections"][section] for w in row.get("words", [])]


def alternation(vocabulary: str, *sections: str) -> str:
    """The rows of the sections as one regex alternation, in order."""
    return "|".join(f"(?:{r.pattern})" for s in sections for r in rules(vocabulary, s))


class Tagged:
    """A compiled alternation of rows whose match tells which row fired (`rule_of`)."""

    def __init__(self, vocabulary: str, sections: tuple[str, ...], before: str, after: str,
                 where: tuple[str, Any] | None) -> None:
        self.ids: dict[str, str] = {}
        parts = []
        for s in sections:
            for r in rules(vocabulary, s):
                if where is not None and r.fields.get(where[0]) != where[1]:
                    continue
                group = f"r{len(self.ids)}"
                self.ids[group] = r.id
                parts.append(f"(?P<{group}>{r.pattern})")
        self.regex = re.compile(before + "(?:" + "|".join(parts) + ")" + after)
        # the compiled pattern's own methods (text, pos, endpos): no Python frame per call
        self.search = self.regex.search
        self.match = self.regex.match

    def rule_of(self, match: re.Match[str] | None) -> str | None:
        """Id of the row whose words made `match` (None for no match)."""
        if match is None:
            return None
        return self.ids.get(match.lastgroup or "") or next(
            (rule_id for group, rule_id in self.ids.items() if match.group(group) is not None), None)


@lru_cache(maxsize=None)
def tagged(vocabulary: str, *sections: str, before: str = "", after: str = "",
           where: tuple[str, Any] | None = None) -> Tagged:
    """The rows of `sections` (optionally only those whose field where[0] equals where[1]) as one
    regex, each row a named group, wrapped in `before` … `after`."""
    return Tagged(vocabulary, sections, before, after, where)


def examples() -> list[tuple[str, str, str, bool, dict[str, Any]]]:
    """(vocabulary, section, rule id, fires?, example) for every example of every row."""
    out = []
    for path in sorted(DATA.glob("*.yaml")):
        data = load(path.stem)
        if "sections" not in data:
            continue
        for section, rows in data["sections"].items():
            for row in rows:
                for ex in row.get("fires", []):
                    out.append((path.stem, section, row["id"], True, ex))
                for ex in row.get("not_fires", []):
                    out.append((path.stem, section, row["id"], False, ex))
    return out
